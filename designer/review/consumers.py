"""The websocket of a review page: ``/ws/reviews/{id}/`` sends what happens on the review as it happens, and
who else has the review open.

Presence needs no shared store: a page joining tells the review's group, each page there answers it
directly, and a page leaving says so; every page keeps its own list from these messages.
"""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from designer.consumers import CLOSE_NOT_FOUND
from designer.services.access import designs_for

from .models import Review
from .services.notify import review_group


class ReviewConsumer(AsyncJsonWebsocketConsumer):
    """Sends ``{"type": "event", "event": {...}}`` for each event and ``{"type": "presence", "people": [...]}``."""

    async def connect(self) -> None:
        self.review_id = int(self.scope["url_route"]["kwargs"]["review_id"])
        self.username = await self._member_name()
        self.present: dict[str, str] = {}
        if self.username is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.group = review_group(self.review_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        self.present[self.channel_name] = self.username
        await self._tell("join")
        await self._send_presence()

    async def disconnect(self, code: int) -> None:
        if getattr(self, "group", None):
            await self._tell("leave")
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        """The page only listens; anything it sends is ignored."""

    async def review_event(self, message: dict) -> None:
        await self.send_json({"type": "event", "event": message["event"]})

    async def review_presence(self, message: dict) -> None:
        channel, action = message["channel"], message["action"]
        if channel == self.channel_name:
            return
        if action == "leave":
            self.present.pop(channel, None)
        else:
            self.present[channel] = message["user"]
            if action == "join":  # answer the newcomer alone
                await self.channel_layer.send(channel, {"type": "review.presence", "action": "here",
                                                        "user": self.username, "channel": self.channel_name})
        await self._send_presence()

    async def _tell(self, action: str) -> None:
        await self.channel_layer.group_send(self.group, {"type": "review.presence", "action": action,
                                                         "user": self.username, "channel": self.channel_name})

    async def _send_presence(self) -> None:
        await self.send_json({"type": "presence", "people": sorted(set(self.present.values()))})

    @database_sync_to_async
    def _member_name(self) -> str | None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            return None
        exists = Review.objects.filter(pk=self.review_id, design__in=designs_for(user).values("pk")).exists()
        return user.username if exists else None
