"""The websocket that follows a push run: ``/ws/push/{id}/`` sends the run's state whenever it changes."""

from __future__ import annotations

import asyncio
import contextlib

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from designer.models import PushRun
from designer.services.access import designs_for

from .runs import run_state
from .worker import push_group

CLOSE_NOT_FOUND = 4404
ENDED = ("finished", "stopped", "failed", "cancelled")


class PushRunConsumer(AsyncJsonWebsocketConsumer):
    """Every member of the design may watch; states come from the worker over a shared channel layer, and
    the run is read again every JOB_POLL_SECONDS too (the in-memory layer cannot carry a worker's messages)."""

    async def connect(self) -> None:
        self.run_id = int(self.scope["url_route"]["kwargs"]["run_id"])
        self._sent: dict | None = None
        self._poller: asyncio.Task | None = None
        await self.channel_layer.group_add(push_group(self.run_id), self.channel_name)
        state = await self._read()
        if state is None:
            await self.channel_layer.group_discard(push_group(self.run_id), self.channel_name)
            await self.close(code=CLOSE_NOT_FOUND)
            return
        await self.accept()
        await self._send(state)
        self._poller = asyncio.create_task(self._poll())

    async def disconnect(self, code: int) -> None:
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
        await self.channel_layer.group_discard(push_group(self.run_id), self.channel_name)

    async def push_state(self, event: dict) -> None:
        await self._send(event["state"])

    async def receive_json(self, content, **kwargs) -> None:
        """The socket only listens."""

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(settings.JOB_POLL_SECONDS)
            state = await self._read()
            if state is not None:
                await self._send(state)

    async def _send(self, state: dict) -> None:
        if state != self._sent:
            self._sent = state
            await self.send_json(state)

    @database_sync_to_async
    def _read(self) -> dict | None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            return None
        run = (PushRun.objects.filter(pk=self.run_id, design__in=designs_for(user).values("pk"))
               .select_related("revision", "started_by", "confirmed_by", "design").first())
        return run_state(run) if run is not None else None
