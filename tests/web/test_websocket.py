"""Following a job over ``/ws/jobs/{id}/``: members of its design only, told when its worker is lost."""

from __future__ import annotations

import asyncio
import time

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from django.utils import timezone

from designer.consumers import CLOSE_NOT_FOUND
from designer.models import Job
from designer.services.exports import export_start
from weft.asgi import application


def connect(job_id: int, cookie: str | None) -> tuple[bool, object]:
    """Connect, then read the first message (or the close code); always disconnect."""

    async def run():
        headers = [(b"origin", b"http://127.0.0.1")]
        if cookie:
            headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()))
        communicator = WebsocketCommunicator(application, f"/ws/jobs/{job_id}/", headers=headers)
        connected, code = await communicator.connect(timeout=10)
        if not connected:
            await communicator.disconnect()  # lets the consumer finish before the loop ends
            return False, code
        try:
            return True, await communicator.receive_json_from(timeout=10)
        finally:
            await communicator.disconnect()

    return asyncio.run(run())


def session_of(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture
def job(design, people):
    return export_start(design=design, revision=design.current_revision, archive_format="zip", node="",
                        user=people["editor"])


@pytest.mark.django_db(transaction=True)
def test_a_viewer_gets_the_job_state_on_connect(job, people):
    connected, state = connect(job.pk, session_of(people["viewer"]))
    assert connected
    assert (state["id"], state["status"], state["progress"], state["log"]) == (job.pk, "queued", 0, [])


@pytest.mark.django_db(transaction=True)
def test_an_outsider_or_anonymous_caller_is_turned_away(job, people):
    assert connect(job.pk, session_of(people["outsider"])) == (False, CLOSE_NOT_FOUND)
    assert connect(job.pk, None) == (False, CLOSE_NOT_FOUND)
    assert connect(job.pk + 1000, session_of(people["viewer"])) == (False, CLOSE_NOT_FOUND)


@pytest.mark.django_db(transaction=True)
def test_a_follower_is_told_when_the_jobs_worker_stops_answering(job, people, settings):
    settings.JOB_STALE_SECONDS = 1.0
    settings.JOB_POLL_SECONDS = 0.1
    Job.objects.filter(pk=job.pk).update(status="running", started=timezone.now(), heartbeat=timezone.now())
    cookie = session_of(people["viewer"])

    async def follow() -> list[dict]:
        communicator = WebsocketCommunicator(application, f"/ws/jobs/{job.pk}/", headers=[
            (b"origin", b"http://127.0.0.1"),
            (b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode())])
        connected, _ = await communicator.connect(timeout=10)
        assert connected
        states: list[dict] = []
        deadline = time.monotonic() + 20
        try:
            while not states or states[-1]["status"] == "running":
                assert time.monotonic() < deadline, states
                states.append(await communicator.receive_json_from(timeout=20))
        finally:
            await communicator.disconnect()
        return states

    states = asyncio.run(follow())
    assert [state["status"] for state in states] == ["running", "failed"]  # nobody pushed: the socket read it
    assert "stopped answering" in states[-1]["error"]
