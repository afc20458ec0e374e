"""Start a throw-away PostgreSQL and Redis on loopback, run a command against them, stop them.

``python -m tests.web.servers -- pytest tests/web`` runs the command with DATABASE_URL, REDIS_URL
and CELERY_BROKER_URL set, and always stops both servers (by their pids) and removes their data.
"""

from __future__ import annotations

import argparse
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

START_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with status {process.returncode} while starting")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{what} did not listen on 127.0.0.1:{port} within {START_TIMEOUT_SECONDS} s")


def stop(process: subprocess.Popen, how: signal.Signals = signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(how)
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT_SECONDS)


def postgres_bin(program: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{program}"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed (Debian package: postgresql)")
    return found[-1]


@contextmanager
def postgres(workdir: Path):
    """A PostgreSQL cluster of its own, trusting local connections of the ``weft`` role, on a free port."""
    data, sockets = workdir / "pgdata", workdir / "pgsock"
    sockets.mkdir()
    # PostgreSQL refuses to run as root: run it as the postgres account when we are root.
    account = {}
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        account = {"user": owner.pw_uid, "group": owner.pw_gid, "extra_groups": []}
        for path in (workdir, sockets):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    subprocess.run([postgres_bin("initdb"), "-D", str(data), "-U", "weft", "--auth=trust", "--no-sync", "-E", "UTF8"],
                   check=True, capture_output=True, timeout=120, **account)
    port = free_port()
    process = subprocess.Popen([postgres_bin("postgres"), "-D", str(data), "-h", "127.0.0.1", "-p", str(port),
                                "-k", str(sockets), "-c", "fsync=off", "-c", "max_connections=100"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **account)
    try:
        wait_for_port(port, process, "PostgreSQL")
        yield f"postgres://weft@127.0.0.1:{port}/postgres"
    finally:
        stop(process, signal.SIGINT)  # PostgreSQL's fast shutdown: ends sessions the tests left open


@contextmanager
def redis(workdir: Path):
    port = free_port()
    process = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                                "--appendonly", "no", "--dir", str(workdir)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, process, "Redis")
        yield f"redis://127.0.0.1:{port}"
    finally:
        stop(process)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command to run, after --")
    args = parser.parse_args(argv)
    # Only the leading "--" is ours: the command's own arguments may hold more.
    command = (args.command[1:] if args.command[:1] == ["--"] else args.command) or ["true"]
    workdir = Path(tempfile.mkdtemp(prefix="weft-servers-"))
    try:
        with ExitStack() as stack:
            database_url = stack.enter_context(postgres(workdir))
            redis_url = stack.enter_context(redis(workdir))
            env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": f"{redis_url}/0",
                   "CELERY_BROKER_URL": f"{redis_url}/1"}
            print(f"PostgreSQL at {database_url}, Redis at {redis_url}", flush=True)
            return subprocess.run(command, env=env, check=False).returncode
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
