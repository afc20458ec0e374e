"""Following a design over ``/ws/designs/{id}/``: its members are told of each revision saved, no one else is."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings

from designer.consumers import CLOSE_NOT_FOUND
from designer.services.designs import design_save
from weft.asgi import application

from .test_websocket import session_of

TIMEOUT_SECONDS = 10


def communicator(design_id: int, cookie: str | None) -> WebsocketCommunicator:
    headers = [(b"origin", b"http://127.0.0.1")]
    if cookie:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()))
    return WebsocketCommunicator(application, f"/ws/designs/{design_id}/", headers=headers)


def refused(design_id: int, cookie: str | None) -> object:
    """The close code a connection gets, or None when it is let in."""

    async def run():
        socket = communicator(design_id, cookie)
        connected, code = await socket.connect(timeout=TIMEOUT_SECONDS)
        await socket.disconnect()
        return None if connected else code

    return asyncio.run(run())


@pytest.mark.django_db(transaction=True)
def test_a_viewer_is_told_of_a_revision_an_editor_saves(design, people):
    cookie = session_of(people["viewer"])
    current = design.current_revision

    async def follow() -> dict:
        socket = communicator(design.pk, cookie)
        connected, _ = await socket.connect(timeout=TIMEOUT_SECONDS)
        assert connected
        try:
            assert await socket.receive_nothing(timeout=0.2)
            await sync_to_async(design_save)(design=design, document={**current.document, "description": "moved on"},
                                             base_revision=current, author=people["editor"], message="a new rack")
            return await socket.receive_json_from(timeout=TIMEOUT_SECONDS)
        finally:
            await socket.disconnect()

    told = asyncio.run(follow())["revision"]
    assert (told["number"], told["author"], told["message"]) == (2, "editor", "a new rack")
    assert "document" not in told


@pytest.mark.django_db(transaction=True)
def test_an_outsider_or_anonymous_caller_is_turned_away(design, people):
    assert refused(design.pk, session_of(people["outsider"])) == CLOSE_NOT_FOUND
    assert refused(design.pk, None) == CLOSE_NOT_FOUND
    assert refused(design.pk + 1000, session_of(people["viewer"])) == CLOSE_NOT_FOUND
    assert refused(design.pk, session_of(people["viewer"])) is None
