"""The websockets: ``/ws/jobs/{id}/`` sends a job's state whenever it changes, ``/ws/designs/{id}/`` tells a
design's open canvases of each revision saved."""

from __future__ import annotations

import asyncio
import contextlib

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import InMemoryChannelLayer
from django.conf import settings

from designer.models import Job
from designer.models.choices import FINISHED_STATUSES, JobStatus
from designer.services.access import designs_for
from designer.services.announcements import design_group
from designer.services.jobs import job_group, job_state_now

STATUS_ORDER = {JobStatus.QUEUED: 0, JobStatus.RUNNING: 1, JobStatus.SUCCEEDED: 2, JobStatus.FAILED: 2}
STALE_READS = 4  # with a shared layer, reads per JOB_STALE_SECONDS: a dead worker's job is told soon after
CLOSE_NOT_FOUND = 4404  # an application close code: the job does not exist or is not the caller's


class JobConsumer(AsyncJsonWebsocketConsumer):
    """Sends ``{"status", "progress", "log", ...}`` on connect and on every change, until the job ends.

    Changes arrive as channel-layer messages from the worker when the layer is shared (Redis); the
    in-memory layer cannot carry them from a worker process, so then the job is read again every
    ``JOB_POLL_SECONDS``. A worker that dies sends nothing more, so even with a shared layer the job is
    read now and then, to tell the browser once it reads as failed. Both paths go through
    ``_send_state``, which drops what the browser has already seen.
    """

    async def connect(self) -> None:
        self.job_id = int(self.scope["url_route"]["kwargs"]["job_id"])
        self._seen: tuple | None = None
        self._poller: asyncio.Task | None = None
        # In the group before the first read: a change pushed between the two is not missed.
        await self.channel_layer.group_add(job_group(self.job_id), self.channel_name)
        state = await self._readable_state()
        if state is None:
            await self.channel_layer.group_discard(job_group(self.job_id), self.channel_name)
            await self.close(code=CLOSE_NOT_FOUND)
            return
        await self.accept()
        finished = await self._send_state(state)
        if not finished:
            shared = not isinstance(self.channel_layer, InMemoryChannelLayer)
            interval = settings.JOB_STALE_SECONDS / STALE_READS if shared else settings.JOB_POLL_SECONDS
            self._poller = asyncio.create_task(self._poll(interval))

    async def disconnect(self, code: int) -> None:
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
        await self.channel_layer.group_discard(job_group(self.job_id), self.channel_name)

    async def job_state(self, event: dict) -> None:
        await self._send_state(event["state"])

    async def receive_json(self, content, **kwargs) -> None:
        """The socket only listens; anything sent to it is ignored."""

    async def _poll(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            state = await self._readable_state()
            if state is None or await self._send_state(state):
                return

    async def _send_state(self, state: dict) -> bool:
        """Send ``state`` unless already sent; True once the job has finished."""
        # Status and log only ever move forward (progress too, within one run), so an older state read by
        # the poller after a newer one came from the layer is recognised and dropped. The log comes before
        # progress: a job run afresh starts its progress again from 0, but its log still grows.
        seen = (STATUS_ORDER[state["status"]], len(state["log"]), state["progress"])
        if self._seen is None or seen > self._seen:
            self._seen = seen
            await self.send_json(state)
        return state["status"] in FINISHED_STATUSES

    @database_sync_to_async
    def _readable_state(self) -> dict | None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            return None
        # Every member may read the design's jobs, so membership is the whole check, as on the REST side.
        job = Job.objects.filter(pk=self.job_id, design__in=designs_for(user).values("pk")).first()
        return job_state_now(job) if job is not None else None


class DesignConsumer(AsyncJsonWebsocketConsumer):
    """Sends ``{"revision": {"id", "number", "author", "message", "created"}}`` for every revision saved of the
    design, to its members only (anyone else is refused, as for a job), so other tabs learn of it at once."""

    async def connect(self) -> None:
        self.design_id = int(self.scope["url_route"]["kwargs"]["design_id"])
        if not await self._is_member():
            await self.close(code=CLOSE_NOT_FOUND)
            return
        await self.channel_layer.group_add(design_group(self.design_id), self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(design_group(self.design_id), self.channel_name)

    async def revision_saved(self, event: dict) -> None:
        await self.send_json({"revision": event["revision"]})

    async def receive_json(self, content, **kwargs) -> None:
        """The socket only tells; anything sent to it is ignored."""

    @database_sync_to_async
    def _is_member(self) -> bool:
        user = self.scope.get("user")
        return user is not None and designs_for(user).filter(pk=self.design_id).exists()
