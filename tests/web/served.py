"""Weft served as production serves it (``python -m weft.serve``, N uvicorn server processes), on loopback,
with a database, a Redis and a Celery worker of its own; for the serving tests and the serving benchmark.

``served(workers=2)`` yields a ``Site``: its URL, a signed-in owner's token and session, and its designs. Every
process it starts is stopped by its pid when the block ends, and its files are removed.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet

from tests.web.servers import free_port, redis, stop, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
SETUP_SECONDS = 300
LOGS = ROOT / "var" / "test-artifacts" / "served"
USERNAME, PASSWORD = "owner", "served-site-password-1"  # a throw-away account of a throw-away site
WORKER_START_SECONDS = 60

# Run in the site's own database: an owner with a token, and the designs asked for, each a generated fabric.
SETUP = """
import json, sys
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from designer.fabric.document import to_data
from designer.fabric.generate import leaf_spine
from designer.services.designs import design_create
from designer.services.tokens import token_issue
owner = get_user_model().objects.create_user(sys.argv[2], password=sys.argv[3])
designs = {}
for label, (spines, leaves, hosts) in json.loads(sys.argv[1]).items():
    document = to_data(leaf_spine(spines=spines, leaves=leaves, hypervisors_per_leaf=hosts, name=f"served-{label}"))
    design = design_create(owner=owner, name=f"served {label}", document=document)
    designs[label] = {"id": design.pk, "revision": design.current_revision_id, "document": document}
session = SessionStore()
session.update({SESSION_KEY: str(owner.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: owner.get_session_auth_hash()})
session.create()
token, secret = token_issue(user=owner, name="served", days=1)
# Far from the small ids a client revoking tokens by number tries first (a fuzzer does): the site keeps its own.
type(token).objects.filter(pk=token.pk).update(id=987_654_321)
print(json.dumps({"token": secret, "session": session.session_key, "designs": designs}))
"""


@dataclass
class Site:
    url: str
    token: str
    session: str
    designs: dict[str, dict]
    env: dict[str, str]
    workdir: Path
    server_pid: int
    workers: int
    username: str = USERNAME
    password: str = PASSWORD

    @property
    def host_port(self) -> tuple[str, int]:
        host, port = self.url.removeprefix("http://").split(":")
        return host, int(port)


def database_beside_the_tests() -> str | None:
    """When the tests run on PostgreSQL (DATABASE_URL), a new database of the site's own on that server."""
    tests = os.environ.get("DATABASE_URL", "")
    if not tests.startswith("postgres"):
        return None
    import psycopg

    name = f"weft_served_{secrets.token_hex(4)}"
    with psycopg.connect(tests, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{tests.rsplit('/', 1)[0]}/{name}"


def site_environment(workdir: Path, redis_url: str, database_url: str | None) -> dict[str, str]:
    """Production settings (debug off), on loopback and plain HTTP, with throw-away secrets."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("WEFT_", "CELERY_")) and key not in ("DATABASE_URL", "REDIS_URL", "WEB_CONCURRENCY")}
    env.update({"WEFT_DATA_DIR": str(workdir / "data"), "WEFT_EXPORTS_DIR": str(workdir / "exports"),
                "REDIS_URL": f"{redis_url}/0", "CELERY_BROKER_URL": f"{redis_url}/1", "WEFT_DEBUG": "0",
                "WEFT_SECRET_KEY": secrets.token_urlsafe(40), "WEFT_FERNET_KEYS": Fernet.generate_key().decode(),
                "WEFT_ALLOWED_HOSTS": "127.0.0.1,localhost", "WEFT_SSL_REDIRECT": "0",
                "WEFT_JOB_HEARTBEAT_SECONDS": "0.5", "DJANGO_SETTINGS_MODULE": "weft.settings",
                "PYTHONUNBUFFERED": "1"})
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


@contextmanager
def served(*, workers: int, designs: dict[str, tuple[int, int, int]] | None = None, database_url: str | None = None,
           env: dict[str, str] | None = None) -> Iterator[Site]:
    """The site, served by ``workers`` uvicorn worker processes; ``env`` adds to its settings."""
    workdir = Path(tempfile.mkdtemp(prefix="weft-served-"))
    try:
        with ExitStack() as stack:
            site_env = {**site_environment(workdir, stack.enter_context(redis(workdir)), database_url), **(env or {})}
            made = _set_up(site_env, designs or {})
            port = free_port()
            (workdir / "logs").mkdir()
            server = _start(stack, [sys.executable, "-m", "weft.serve", "--workers", str(workers), "--port", str(port)],
                            site_env, workdir / "logs" / "server.log")
            wait_for_port(port, server, "the server")
            site = Site(f"http://127.0.0.1:{port}", made["token"], made["session"], made["designs"], site_env, workdir,
                        server.pid, workers)
            deadline = time.monotonic() + WORKER_START_SECONDS
            while len(server_processes(site)) < workers:
                if server.poll() is not None or time.monotonic() > deadline:
                    log = (workdir / "logs" / "server.log").read_text()
                    raise RuntimeError(f"the server's workers did not start:\n{log}")
                time.sleep(0.1)
            yield site
    finally:
        # The logs stay for a reader of a failure; the rest (database, archives) goes.
        if (workdir / "logs").exists():
            shutil.copytree(workdir / "logs", LOGS / workdir.name, dirs_exist_ok=True)
        shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def celery_worker(site: Site) -> Iterator[subprocess.Popen]:
    """A Celery worker of the site, started now (jobs queued before wait for it); stopped on leaving."""
    with ExitStack() as stack:
        log = site.workdir / "logs" / "worker.log"
        worker = _start(stack, [sys.executable, "-m", "celery", "-A", "weft", "worker", "--pool=solo",
                                "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO",
                                "-n", f"served-{site.host_port[1]}@localhost"], site.env, log)
        _wait_for_line(log, "ready.", worker)
        yield worker


def spawned_processes(pid: int) -> list[int]:
    """The processes ``pid`` has spawned through multiprocessing and not yet reaped, from any of its threads
    (a planner pool is started by whichever request thread needs it first)."""
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError):  # a thread that ended since the listing
            children += (task / "children").read_text().split()
    found = []
    for child in children:
        with contextlib.suppress(FileNotFoundError):  # a child reaped since
            if "spawn_main" in Path(f"/proc/{child}/cmdline").read_text():
                found.append(int(child))
    return found


def server_processes(site: Site) -> list[int]:
    """The pids of the site's server processes: the server itself when it has one worker, else the workers its
    dispatcher started (``--channel``: the socket it hands them connections on)."""
    if site.workers == 1:
        return [site.server_pid]
    children = Path(f"/proc/{site.server_pid}/task/{site.server_pid}/children").read_text().split()
    return [int(pid) for pid in children if "--channel" in Path(f"/proc/{pid}/cmdline").read_text().split("\0")]


def _set_up(env: dict[str, str], designs: dict[str, tuple[int, int, int]]) -> dict:
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True,
                   timeout=SETUP_SECONDS)
    made = subprocess.run([sys.executable, "-c", "import sys, django; django.setup(); exec(sys.argv[4])",
                           json.dumps(designs), USERNAME, PASSWORD, SETUP], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True, timeout=SETUP_SECONDS)
    return json.loads(made.stdout.splitlines()[-1])


def _start(stack: ExitStack, command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    stack.callback(stop, process)
    return process


def _wait_for_line(log: Path, line: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + WORKER_START_SECONDS
    while line not in log.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{process.args[2]} did not start:\n{log.read_text()}")
        time.sleep(0.2)
