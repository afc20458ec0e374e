"""Telling people what happened on a review: recorded as an event, pushed live to open review pages over
Channels, and mailed through Django's mail to the people it concerns."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction

from designer.models import Design

from ..choices import EventKind
from ..models import Review, ReviewEvent

logger = logging.getLogger(__name__)


def review_group(review_id: int) -> str:
    """The channel-layer group of the sockets of review ``review_id``'s open pages."""
    return f"review.{review_id}"


def announce(*, design: Design, kind: str, message: str, actor=None, review: Review | None = None,
             recipients: Iterable = (), data: dict[str, Any] | None = None) -> ReviewEvent:
    """Record an event, and once the transaction commits push it to the review's pages and mail ``recipients``
    (users; the actor and those without an address are left out)."""
    event = ReviewEvent.objects.create(design=design, review=review, kind=kind, actor=actor, message=message,
                                       data=data or {})
    mailed = sorted({user.email for user in recipients if user.email and user != actor})
    transaction.on_commit(lambda: _deliver(event, mailed))
    return event


def event_payload(event: ReviewEvent) -> dict[str, Any]:
    return {"id": event.pk, "kind": event.kind, "message": event.message, "review": event.review_id,
            "actor": event.actor.username if event.actor_id else None, "data": event.data,
            "created": event.created.isoformat()}


def _deliver(event: ReviewEvent, mailed: list[str]) -> None:
    if event.review_id is not None:
        layer = get_channel_layer()
        try:
            if layer is not None:
                async_to_sync(layer.group_send)(review_group(event.review_id),
                                                {"type": "review.event", "event": event_payload(event)})
        except Exception:  # the change is made; a page missing it live reads it on its next load
            logger.warning("could not push event %s to the review's pages", event.pk, exc_info=True)
    if mailed:
        subject = f"[Weft] {event.design.name}: {EventKind(event.kind).label}"
        body = f"{event.message}\n\n{_link(event)}\n"
        try:
            send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in mailed])
        except Exception:
            logger.warning("could not mail event %s", event.pk, exc_info=True)


def _link(event: ReviewEvent) -> str:
    if event.review_id is not None:
        return f"/reviews/{event.review_id}/"
    return f"/designs/{event.design_id}/"
