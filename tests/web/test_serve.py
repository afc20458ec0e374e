"""Weft served as in production (``python -m weft.serve``: uvicorn server processes, channels_redis, a Celery
worker; on PostgreSQL when the tests run on it): live plans leave the rest of their process answering,
connections are spread over the processes, websockets and job progress cross them, a process that dies is
replaced, and a huge upload is refused without the server growing."""

from __future__ import annotations

import http.client
import itertools
import json
import os
import signal
import statistics
import threading
import time
from contextlib import ExitStack
from pathlib import Path

from websockets.sync.client import connect

from tests.web.served import (
    Site,
    celery_worker,
    database_beside_the_tests,
    served,
    server_processes,
    spawned_processes,
)

JOB_SECONDS = 120
REQUEST_SECONDS = 120


def call(site: Site, method: str, path: str, body: bytes | None = None,
         content_type: str = "application/json") -> tuple[int, float, bytes]:
    """Status, seconds and body of one request, on a connection of its own."""
    host, port = site.host_port
    connection = http.client.HTTPConnection(host, port, timeout=REQUEST_SECONDS)
    try:
        started = time.perf_counter()
        connection.request(method, path, body=body, headers={"Authorization": f"Token {site.token}",
                                                             "Content-Type": content_type})
        response = connection.getresponse()
        content = response.read()
        return response.status, time.perf_counter() - started, content
    finally:
        connection.close()


def peak_memory_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))) / 1024


def connections_held(pid: int, port: int) -> int:
    """Established connections to ``port`` that process ``pid`` holds."""
    inodes = set()
    lines = [line for table in ("/proc/net/tcp", "/proc/net/tcp6") for line in Path(table).read_text().splitlines()[1:]]
    for fields in (line.split() for line in lines):
        if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":  # local port, ESTABLISHED
            inodes.add(fields[9])
    held = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = fd.readlink().name
        except OSError:
            continue
        held += target.startswith("socket:[") and target[8:-1] in inodes
    return held


def test_a_live_plan_leaves_the_other_requests_of_its_process_answering():
    with served(workers=1, designs={"1000": (4, 40, 24)}, database_url=database_beside_the_tests()) as site:
        design = site.designs["1000"]
        # Every plan after an edit (a new description each time): a planner plans each, none is reused.
        document = {**design["document"], "description": "edit 000000"}
        plan = json.dumps({"document": document, "revision": design["revision"]}).encode()
        edits = itertools.count()
        assert call(site, "POST", "/api/compile/plan/", plan)[0] == 200  # the planner has started
        alone = statistics.median(call(site, "GET", "/api/designs/")[1] for _ in range(7))

        planning, plans = threading.Event(), []

        def keep_planning() -> None:
            while not planning.is_set():
                edited = plan.replace(b"edit 000000", b"edit %06d" % next(edits))
                plans.append(call(site, "POST", "/api/compile/plan/", edited)[:2])

        planners = [threading.Thread(target=keep_planning)]
        for thread in planners:
            thread.start()
        time.sleep(1)
        meanwhile = []
        for _ in range(15):
            meanwhile.append(call(site, "GET", "/api/designs/")[1])
            time.sleep(0.05)
        planning.set()
        for thread in planners:
            thread.join(timeout=REQUEST_SECONDS)

        assert len(plans) >= 3 and all(status == 200 for status, _ in plans), plans
        plan_seconds = statistics.median(seconds for _, seconds in plans)
        during = statistics.median(meanwhile)
        # A plan was always in the making; a design list of the same process is answered all the same.
        assert during < 4 * alone + 0.025, (f"the design list took {during * 1000:.0f} ms while plans of "
                                            f"{plan_seconds * 1000:.0f} ms ran, {alone * 1000:.0f} ms alone")


def running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_server_process_killed_outright_takes_its_planners_with_it():
    with served(workers=1, designs={"50": (2, 4, 5)}) as site:
        design = site.designs["50"]
        plan = json.dumps({"document": design["document"], "revision": design["revision"]}).encode()
        assert call(site, "POST", "/api/compile/plan/", plan)[0] == 200
        planners = spawned_processes(site.server_pid)
        assert planners
        os.kill(site.server_pid, signal.SIGKILL)  # no shutdown of its pool: a crash, or the OOM killer
        deadline = time.monotonic() + 30
        while any(running(pid) for pid in planners):
            assert time.monotonic() < deadline, f"planners {planners} outlived their server process"
            time.sleep(0.1)


def test_websockets_and_job_progress_cross_server_processes():
    # With the socket's own reads of the database put off past the job's end, every state it shows came from
    # the Celery worker's process through Redis, to whichever server process holds the socket.
    with served(workers=2, designs={"small": (2, 4, 2)}, env={"WEFT_JOB_STALE_SECONDS": "600"},
                database_url=database_beside_the_tests()) as site:
        design = site.designs["small"]
        status, _, started = call(site, "POST", f"/api/designs/{design['id']}/exports/", b'{"format": "zip"}')
        assert status == 202, started
        job = json.loads(started)["job"]["id"]
        host, port = site.host_port
        with ExitStack() as opened:
            headers = {"Cookie": f"sessionid={site.session}", "Origin": site.url}
            sockets = [opened.enter_context(connect(f"ws://{host}:{port}/ws/jobs/{job}/", open_timeout=30,
                                                    additional_headers=headers)) for _ in range(2)]
            for socket in sockets:
                assert json.loads(socket.recv(timeout=30))["status"] == "queued"
            holders = {pid: connections_held(pid, port) for pid in server_processes(site)}
            assert sorted(holders.values()) == [1, 1], f"the two sockets are not one in each process: {holders}"

            with celery_worker(site):
                followed = [_follow(socket) for socket in sockets]
        for states in followed:
            assert states[-1]["status"] == "succeeded" and states[-1]["progress"] == 100, states[-1]
            assert len(states) >= 3 and [s["progress"] for s in states] == sorted(s["progress"] for s in states)
        status, _, archive = call(site, "GET", followed[0][-1]["result"]["download_url"])
        assert status == 200 and archive.startswith(b"PK")


def _follow(socket) -> list[dict]:
    states = []
    deadline = time.monotonic() + JOB_SECONDS
    while not states or states[-1]["status"] not in ("succeeded", "failed"):
        assert time.monotonic() < deadline, states[-1:]
        states.append(json.loads(socket.recv(timeout=JOB_SECONDS)))
    return states


def test_connections_opened_at_once_are_spread_over_the_server_processes():
    # What a browser, or a team of them, does: several kept-alive connections opened in a burst. Each
    # process answers the connections it was handed, so both cores work only if both were handed some.
    with served(workers=2) as site:
        host, port = site.host_port
        connections = [http.client.HTTPConnection(host, port, timeout=REQUEST_SECONDS) for _ in range(4)]
        for connection in connections:
            connection.connect()
        for connection in connections:
            connection.request("GET", "/api/designs/", headers={"Authorization": f"Token {site.token}"})
            assert json.loads(connection.getresponse().read())["count"] == 0
        held = {pid: connections_held(pid, port) for pid in server_processes(site)}
        assert sorted(held.values()) == [2, 2], f"four connections held {held}"
        for connection in connections:
            connection.close()


def test_a_server_process_that_dies_is_replaced_and_the_site_keeps_answering():
    with served(workers=2) as site:
        died = server_processes(site)[0]
        os.kill(died, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while died in server_processes(site) or len(server_processes(site)) < 2:
            assert time.monotonic() < deadline, f"no process took over from {died}: {server_processes(site)}"
            time.sleep(0.1)
        answers = [call(site, "GET", "/api/designs/")[0] for _ in range(6)]  # every process's turn, twice
        assert answers == [200] * 6
        workers = server_processes(site)
        os.kill(site.server_pid, signal.SIGTERM)  # as a service manager stops it
        deadline = time.monotonic() + 60
        while any(running(pid) for pid in [site.server_pid, *workers]):
            assert time.monotonic() < deadline, "the server or its processes did not stop on SIGTERM"
            time.sleep(0.1)


def test_a_50_mb_import_answers_413_in_the_problems_shape_and_the_server_stays_small():
    with served(workers=1, database_url=database_beside_the_tests()) as site:
        (worker,) = server_processes(site)
        body = b"name: huge\ndescription: " + b"x" * (50 * 2**20) + b"\n"
        for content_type in ("text/yaml", "application/json"):
            status, _, answer = call(site, "POST", "/api/designs/import/" if "yaml" in content_type else
                                     "/api/designs/", body, content_type)
            assert status == 413
            (problem,) = json.loads(answer)["problems"]
            assert "this server takes at most 10.0 MB" in problem["message"]
        assert call(site, "GET", "/api/designs/")[2].count(b'"id"') == 0  # nothing was stored
        assert peak_memory_mib(worker) < 300
