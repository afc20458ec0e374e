"""Push runs in real Celery worker processes on the embedded broker, against simulated nodes: followed live
over the run's websocket, and a worker killed in the middle of a wave, whose run the next worker finishes
without applying any node twice."""

from __future__ import annotations

import asyncio
import time

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from designer.models import DeployKey, NodeRun, PushRun
from designer.push.simulator import Faults
from tests.push.gating import glass_broken
from tests.web.test_jobs_live import running_worker, wait_for
from weft.asgi import application

from .fleet import fleet_in_thread
from .test_api import NODES

LEASE = 2.0
RUN_SECONDS = 120
pytestmark = pytest.mark.django_db(transaction=True)


def browser_of(person) -> Client:
    browser = Client()
    browser.force_login(person)
    return browser


def enrol(browser: Client, design, fleet) -> None:
    glass_broken(design)
    nodes = {name: {"address": "127.0.0.1", "port": node.port} for name, node in fleet.nodes.items()}
    assert browser.put(f"/api/designs/{design.pk}/push/inventory/", {"nodes": nodes},
                       content_type="application/json").status_code == 200
    for name, node in fleet.nodes.items():
        assert browser.post(f"/api/designs/{design.pk}/push/host-keys/", {"node": name, "key": node.host_key_line},
                            content_type="application/json").status_code == 201


def deploy_key(browser: Client, design) -> str:
    browser.put(f"/api/designs/{design.pk}/push/inventory/", {"nodes": {}}, content_type="application/json")
    return DeployKey.objects.get(design=design).public


async def follow(run_id: int, cookie: str, until: tuple[str, ...]) -> list[dict]:
    """Every state the run's websocket sends until its status is one of ``until``."""
    communicator = WebsocketCommunicator(application, f"/ws/push/{run_id}/", headers=[
        (b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()), (b"origin", b"http://127.0.0.1")])
    connected, _ = await communicator.connect(timeout=10)
    assert connected
    states: list[dict] = []
    deadline = time.monotonic() + RUN_SECONDS
    try:
        while not states or states[-1]["status"] not in until:
            assert time.monotonic() < deadline, states[-1:]
            states.append(await communicator.receive_json_from(timeout=RUN_SECONDS))
    finally:
        await communicator.disconnect()
    return states


@pytest.fixture
def fast(settings, monkeypatch):
    settings.JOB_POLL_SECONDS = 0.05
    settings.PUSH_LEASE_SECONDS = LEASE
    monkeypatch.setenv("WEFT_PUSH_LEASE_SECONDS", str(LEASE))  # the workers' own
    return {"confirm_timeout": 40, "health_wait": 2, "command": 10, "apply": 20, "health_interval": 0.2,
            "resolve_grace": 5}


def test_a_worker_runs_the_plan_and_the_waves_and_the_page_follows_live(people, design, fast, tmp_path,
                                                                         broker_of_the_tests):
    owner, editor = browser_of(people["owner"]), browser_of(people["editor"])
    with fleet_in_thread(NODES, deploy_key(owner, design)) as fleet, \
            running_worker(tmp_path / "worker.log", broker_of_the_tests, tmp_path / "data"):
        enrol(owner, design, fleet)
        run_id = editor.post(f"/api/designs/{design.pk}/push-runs/", {"timing": fast},
                             content_type="application/json").json()["id"]
        cookie = editor.cookies[settings.SESSION_COOKIE_NAME].value
        planned = asyncio.run(follow(run_id, cookie, ("planned", "failed")))
        assert planned[-1]["status"] == "planned", planned[-1]
        assert editor.post(f"/api/designs/{design.pk}/push-runs/{run_id}/confirm/").status_code == 202
        pushed = asyncio.run(follow(run_id, cookie, ("finished", "stopped", "failed")))
    final = pushed[-1]
    assert final["status"] == "finished", (final["outcome"], (tmp_path / "worker.log").read_text()[-3000:])
    assert {n["node"]: n["state"] for n in final["nodes"]} == dict.fromkeys(NODES, "verified")
    seen = {(n["node"], n["state"]) for state in planned + pushed for n in state["nodes"]}
    assert ("leaf1", "checked") in seen and ("leaf1", "verified") in seen
    # the canaries were verified while wave 1 had not started: the page saw the waves go one after another
    assert any({n["node"]: n["state"] for n in s["nodes"]}["leaf1"] == "verified"
               and {n["node"]: n["state"] for n in s["nodes"]}["leaf2"] == "checked" for s in pushed)
    assert final == editor.get(f"/api/designs/{design.pk}/push-runs/{run_id}/").json() | {"log": final["log"]}


def test_a_worker_killed_mid_wave_leaves_a_run_the_next_worker_finishes_applying_no_node_twice(
        people, design, fast, tmp_path, broker_of_the_tests):
    owner, editor = browser_of(people["owner"]), browser_of(people["editor"])
    slow = {name: Faults(slow={"apply": 3.0}) for name in NODES}
    with fleet_in_thread(NODES, deploy_key(owner, design), slow) as fleet:
        enrol(owner, design, fleet)
        with running_worker(tmp_path / "first.log", broker_of_the_tests, tmp_path / "data") as first:
            run_id = editor.post(f"/api/designs/{design.pk}/push-runs/", {"timing": fast},
                                 content_type="application/json").json()["id"]
            wait_for(lambda: PushRun.objects.get(pk=run_id).status, lambda s: s == "planned", seconds=RUN_SECONDS,
                     what="the plan phase did not end")
            editor.post(f"/api/designs/{design.pk}/push-runs/{run_id}/confirm/")
            wait_for(lambda: NodeRun.objects.filter(run_id=run_id, apply_sent=True).count(), lambda n: n >= 1,
                     seconds=RUN_SECONDS, what="no apply was sent")
            first.kill()  # mid-apply: the node applies, the worker never hears of it
            first.wait(timeout=30)
        lost = editor.get(f"/api/designs/{design.pk}/push-runs/{run_id}/")
        assert lost.json()["status"] == "pushing"
        wait_for(lambda: editor.get(f"/api/designs/{design.pk}/push-runs/{run_id}/").json()["worker_lost"],
                 bool, seconds=LEASE * 5, what="the lapsed lease is not shown")
        with running_worker(tmp_path / "second.log", broker_of_the_tests, tmp_path / "data"):
            final = wait_for(lambda: PushRun.objects.get(pk=run_id), lambda r: r.status not in ("pushing",),
                             seconds=RUN_SECONDS, what="the second worker did not finish the run")
        applies = {name: node.record.applies for name, node in fleet.nodes.items()}
    states = dict(NodeRun.objects.filter(run_id=run_id).values_list("node", "state"))
    assert final.status == "finished", (final.outcome, states, (tmp_path / "second.log").read_text()[-3000:])
    assert states == dict.fromkeys(NODES, "verified")
    assert applies == {name: [f"weft-{run_id}"] for name in NODES}  # every node applied exactly once


def test_the_run_socket_answers_members_only(people, design):
    run = PushRun.objects.create(design=design, revision=design.current_revision, started_by=people["owner"],
                                 status="planned", outcome="awaiting confirmation")

    async def connect(person) -> tuple[bool, int | None, dict | None]:
        browser = await asyncio.to_thread(browser_of, person)
        cookie = browser.cookies[settings.SESSION_COOKIE_NAME].value
        communicator = WebsocketCommunicator(application, f"/ws/push/{run.pk}/", headers=[
            (b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()), (b"origin", b"http://127.0.0.1")])
        connected, code = await communicator.connect(timeout=10)
        first = await communicator.receive_json_from(timeout=10) if connected else None
        await communicator.disconnect()
        return connected, code, first

    connected, _, first = asyncio.run(connect(people["viewer"]))
    assert connected and (first["status"], first["outcome"]) == ("planned", "awaiting confirmation")
    connected, code, _ = asyncio.run(connect(people["outsider"]))
    assert not connected and code == 4404
