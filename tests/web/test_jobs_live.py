"""An export end to end: started over the API, run by a real Celery worker process, followed over the
websocket to 100 %, downloaded, and its manifest checked against the compiler's own bundle."""

from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connection
from django.test import Client

from designer.fabric.bundle import build_bundle
from designer.fabric.diagrams import bundle_diagrams
from designer.models.choices import Role
from designer.services.compiling import revision_compiled, revision_record
from tests.conftest import ROOT
from weft.asgi import application

from .conftest import import_example

WORKER_START_SECONDS = 60
JOB_SECONDS = 120
HEARTBEAT_SECONDS = 0.3  # how often the tests' workers say they live


def database_url() -> str:
    """The test database as a URL, for the worker process to use the very same one."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@contextmanager
def running_worker(log: Path, broker: str, data_dir: Path) -> Iterator[subprocess.Popen]:
    """A Celery worker process on the test database and ``broker``, writing ``log``; stopped on leaving."""
    env = {**os.environ, "DATABASE_URL": database_url(), "CELERY_BROKER_URL": broker,
           "WEFT_EXPORTS_DIR": str(settings.STORAGES["default"]["OPTIONS"]["location"]),
           "WEFT_DATA_DIR": str(data_dir), "WEFT_LOG_LEVEL": "DEBUG",
           "WEFT_JOB_HEARTBEAT_SECONDS": str(HEARTBEAT_SECONDS)}
    with log.open("w") as output:
        process = subprocess.Popen([sys.executable, "-m", "celery", "-A", "weft", "worker", "--pool=solo",
                                    "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO",
                                    "-n", f"test-{os.getpid()}@localhost"],
                                   cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + WORKER_START_SECONDS
        while "ready." not in log.read_text():
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, f"the worker did not start:\n{log.read_text()}"
            time.sleep(0.2)
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)


@pytest.fixture
def worker(transactional_db, tmp_path, broker_of_the_tests):
    """A Celery worker process on the test database and the tests' broker; its log file."""
    log = tmp_path / "worker.log"
    with running_worker(log, broker_of_the_tests, tmp_path / "worker-data"):
        yield log


async def follow(job_id: int, session_cookie: str) -> list[dict]:
    """Every state the websocket sends until the job ends."""
    communicator = WebsocketCommunicator(application, f"/ws/jobs/{job_id}/", headers=[
        (b"cookie", f"{settings.SESSION_COOKIE_NAME}={session_cookie}".encode()), (b"origin", b"http://127.0.0.1")])
    connected, _ = await communicator.connect(timeout=10)
    assert connected
    states: list[dict] = []
    deadline = time.monotonic() + JOB_SECONDS
    try:
        while not states or states[-1]["status"] not in ("succeeded", "failed"):
            assert time.monotonic() < deadline, states[-1:]
            states.append(await communicator.receive_json_from(timeout=JOB_SECONDS))
    finally:
        await communicator.disconnect()
    return states


@pytest.mark.django_db(transaction=True)
def test_export_runs_in_a_worker_is_followed_live_and_matches_the_compiler(worker, people, settings):
    try:
        export_followed_live_and_checked(people, settings, worker)
    except AssertionError as exc:  # the worker's side of the story, to tell why
        raise AssertionError(f"{exc}\n--- worker log ---\n{worker.read_text()}") from exc


def export_followed_live_and_checked(people, settings, worker_log: Path) -> None:
    settings.JOB_POLL_SECONDS = 0.05
    design = import_example(people[Role.OWNER], "wireguard-mesh")
    browser = Client()
    browser.force_login(people[Role.OWNER])
    started = browser.post(f"/api/designs/{design.pk}/exports/", {"format": "tar.gz"},
                           content_type="application/json")
    assert started.status_code == 202
    job_id = started.json()["job"]["id"]

    states = asyncio.run(follow(job_id, browser.cookies[settings.SESSION_COOKIE_NAME].value))

    final = states[-1]
    assert (final["status"], final["progress"], final["error"]) == ("succeeded", 100, ""), final
    progress = [state["progress"] for state in states]
    assert progress == sorted(progress)
    assert any(line.startswith("rendered node1") for line in final["log"])
    assert browser.get(f"/api/jobs/{job_id}/").json() == final  # the REST endpoint says the same

    download = browser.get(final["result"]["download_url"])
    assert download.status_code == 200
    with tarfile.open(fileobj=io.BytesIO(b"".join(download.streaming_content))) as tar:
        files = {member.name: tar.extractfile(member).read() for member in tar.getmembers() if member.isfile()}
    manifest = json.loads(files["manifest.json"])

    compiled = revision_compiled(design.current_revision)
    own = build_bundle(compiled, extra_files=bundle_diagrams(compiled.plan))
    assert manifest == json.loads(own.files["manifest.json"])
    assert {path: data for path, data in files.items() if not path.startswith("diagrams/")} == {
        path: data for path, data in own.files.items() if not path.startswith("diagrams/")}

    # A node's private key is in its own WireGuard file only; never in the job's log or the worker's.
    keys = revision_record(design.current_revision).namespace("wireguard_key")
    seen = json.dumps(states) + worker_log.read_text()
    for member, key in keys.items():
        node = compiled.plan.devices[member.split("@")[1]].name
        holders = [path for path, data in files.items() if key.encode() in data]
        assert len(holders) == 1 and holders[0].startswith(f"{node}/etc/wireguard/"), (member, holders)
        assert key not in seen


def wait_for(read, done, *, seconds: float, what: str):
    """Poll ``read()`` until ``done(value)``, for ``seconds`` at most; the value, or a failure saying ``what``."""
    deadline = time.monotonic() + seconds
    while True:
        value = read()
        if done(value):
            return value
        assert time.monotonic() < deadline, f"{what}; last seen: {value}"
        time.sleep(0.1)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_export_leaves_a_failed_job_that_says_why(people, settings, tmp_path,
                                                                        broker_of_the_tests):
    if connection.vendor != "postgresql":
        pytest.skip("holding the export's row while the worker writes the job's needs PostgreSQL's row locks "
                    "(make test runs this suite again on PostgreSQL)")
    import psycopg

    settings.JOB_STALE_SECONDS = 15 * HEARTBEAT_SECONDS  # room for a busy machine to miss a few beats
    design = import_example(people[Role.OWNER], "wireguard-mesh")
    browser = Client()
    browser.force_login(people[Role.OWNER])
    job_id = browser.post(f"/api/designs/{design.pk}/exports/", {"format": "zip"},
                          content_type="application/json").json()["job"]["id"]
    job_url = f"/api/jobs/{job_id}/"
    log = tmp_path / "worker.log"
    # The job is queued before any worker runs; holding its export's row keeps the worker's last write
    # waiting, so the worker is killed in the middle of the job, never before or after it.
    with psycopg.connect(database_url()) as holder:
        holder.execute("SELECT id FROM designer_export WHERE job_id = %s FOR UPDATE", [job_id])
        with running_worker(log, broker_of_the_tests, tmp_path / "worker-data") as process:
            blocked = wait_for(lambda: browser.get(job_url).json(), lambda state: state["progress"] >= 90,
                               seconds=JOB_SECONDS, what="the worker did not reach the archive's last write")
            # Blocked on one write for longer than a job may go unheard of, the worker still beats: the
            # job is alive and reads as running.
            time.sleep(settings.JOB_STALE_SECONDS + 1)
            alive = browser.get(job_url).json()
            assert (blocked["status"], alive["status"], alive["error"]) == ("running", "running", ""), \
                log.read_text()
            process.kill()  # as the kernel's OOM killer or a lost machine would
            process.wait(timeout=30)
        holder.rollback()

    final = wait_for(lambda: browser.get(job_url).json(), lambda state: state["status"] != "running",
                     seconds=JOB_SECONDS, what="the job of the killed worker still reads as running")
    assert final["status"] == "failed"
    assert "the worker running this job stopped answering" in final["error"]
    assert final["log"][-1] == f"failed: {final['error']}" and final["finished"]
    assert final["result"] is None
    assert browser.get(job_url).json() == final  # settled once, in the database: read again, the same
