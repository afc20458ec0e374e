"""The review socket: who else has the review open, each event as it happens; members only."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.core import mail
from django.test import Client

from designer.consumers import CLOSE_NOT_FOUND
from designer.review.services.comments import thread_start
from weft.asgi import application

TIMEOUT = 10


def session_of(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def socket(review_id: int, session: str | None) -> WebsocketCommunicator:
    headers = [(b"origin", b"http://127.0.0.1")]
    if session is not None:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={session}".encode()))
    return WebsocketCommunicator(application, f"/ws/reviews/{review_id}/", headers=headers)


async def _presence(communicator, people: list[str]) -> None:
    """Read messages until the presence list is ``people``."""
    for _ in range(10):
        message = await communicator.receive_json_from(timeout=TIMEOUT)
        if message["type"] == "presence" and message["people"] == people:
            return
    raise AssertionError(f"never told that {people} are here")


@pytest.mark.django_db(transaction=True)
def test_two_people_see_each_other_and_hear_a_comment(review, people):
    sessions = {name: session_of(people[name]) for name in ("editor", "reviewer")}

    async def run():
        author, reviewer = socket(review.pk, sessions["editor"]), socket(review.pk, sessions["reviewer"])
        assert (await author.connect(timeout=TIMEOUT))[0]
        await _presence(author, ["editor"])
        assert (await reviewer.connect(timeout=TIMEOUT))[0]
        await _presence(reviewer, ["editor", "reviewer"])
        await _presence(author, ["editor", "reviewer"])
        await sync_to_async(thread_start)(review=review, author=people["reviewer"], kind="node",
                                          anchor={"node": "leaf1"}, body="hello @editor")
        kinds = set()
        for _ in range(4):
            message = await author.receive_json_from(timeout=TIMEOUT)
            if message["type"] == "event":
                kinds.add(message["event"]["kind"])
            if kinds == {"comment", "mention"}:
                break
        assert kinds == {"comment", "mention"}
        await reviewer.disconnect()
        await _presence(author, ["editor"])
        await author.disconnect()

    asyncio.run(run())


@pytest.mark.django_db(transaction=True)
def test_outsiders_and_anonymous_callers_are_turned_away(review, people):
    async def run(user):
        communicator = socket(review.pk, user)
        connected, code = await communicator.connect(timeout=TIMEOUT)
        await communicator.disconnect()
        return connected, code

    assert asyncio.run(run(session_of(people["outsider"]))) == (False, CLOSE_NOT_FOUND)
    assert asyncio.run(run(None)) == (False, CLOSE_NOT_FOUND)


@pytest.mark.django_db
def test_the_people_concerned_are_mailed_once_the_change_is_stored(review, people,
                                                                   django_capture_on_commit_callbacks):
    people["editor"].email, people["reviewer"].email = "ed@example.net", "rev@example.net"
    people["editor"].save()
    people["reviewer"].save()
    with django_capture_on_commit_callbacks(execute=True):
        thread_start(review=review, author=people["reviewer"], kind="review", anchor={}, body="have a look, @editor")
    # the author is mentioned: one mail, with the words; the commenter is not mailed their own
    assert [m.to for m in mail.outbox] == [["ed@example.net"]]
    assert "have a look" in mail.outbox[0].body and mail.outbox[0].subject.startswith("[Weft] proxmox-evpn")
