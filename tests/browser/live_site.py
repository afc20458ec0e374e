"""A whole Weft site of its own for the browser tests: database, ASGI server and Celery worker on loopback.

``python -m tests.browser.live_site`` starts one and prints its address and sign-in, for trying the canvas by
hand; it stops (by the pids it started) on Ctrl-C.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.web.servers import free_port, stop, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
USERNAME = "architect"
PASSWORD = "canvas-test-password-1"  # a throw-away account in a throw-away database
SETUP_TIMEOUT_SECONDS = 120


@dataclass(frozen=True)
class Site:
    url: str
    username: str
    password: str
    workdir: Path


def _environment(workdir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER")}
    env.update({
        "WEFT_DATA_DIR": str(workdir / "data"),
        "WEFT_EXPORTS_DIR": str(workdir / "exports"),
        "CELERY_BROKER_URL": f"sqla+sqlite:///{workdir / 'broker.sqlite3'}",
        "WEFT_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "weft.settings",
        "PYTHONUNBUFFERED": "1",
    })
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True,
                   timeout=SETUP_TIMEOUT_SECONDS)


@contextmanager
def running_site(workdir: Path | None = None) -> Iterator[Site]:
    """Migrate a fresh SQLite database, add one user, start the server and a worker; stop both after."""
    workdir = workdir or Path(tempfile.mkdtemp(prefix="weft-browser-"))
    env = _environment(workdir)
    _manage(env, "migrate", "--noinput")
    _manage(env, "shell", "-c", "from django.contrib.auth import get_user_model; "
            f"get_user_model().objects.create_user({USERNAME!r}, password={PASSWORD!r})")
    port = free_port()
    logs = workdir / "logs"
    logs.mkdir(exist_ok=True)
    with open(logs / "server.log", "wb") as server_log, open(logs / "worker.log", "wb") as worker_log:
        server = subprocess.Popen([PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                                  cwd=ROOT, env=env, stdout=server_log, stderr=subprocess.STDOUT)
        worker = subprocess.Popen([PYTHON, "-m", "celery", "-A", "weft", "worker", "--pool", "solo",
                                   "--concurrency", "1", "--without-heartbeat", "--without-gossip",
                                   "--without-mingle", "--loglevel", "WARNING"],
                                  cwd=ROOT, env=env, stdout=worker_log, stderr=subprocess.STDOUT)
        try:
            wait_for_port(port, server, "the Django server")
            yield Site(f"http://127.0.0.1:{port}", USERNAME, PASSWORD, workdir)
        finally:
            stop(worker)
            stop(server)


def main() -> int:
    stopping: list[int] = []
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda received, _frame: stopping.append(received))
    workdir = Path(tempfile.mkdtemp(prefix="weft-browser-"))
    try:
        with running_site(workdir) as site:
            print(f"{site.url}  sign in as {site.username} / {site.password}  (logs in {workdir / 'logs'})", flush=True)
            while not stopping:
                signal.pause()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
