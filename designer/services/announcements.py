"""Telling the canvases open on a design that a new revision of it was saved, over the channel layer."""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from designer.models import Revision

logger = logging.getLogger(__name__)


def design_group(design_id: int) -> str:
    """The channel-layer group whose sockets follow design ``design_id``."""
    return f"design.{design_id}"


def revision_summary(revision: Revision) -> dict[str, Any]:
    """What a follower is told of a new revision: enough to offer it, not its document."""
    return {"id": revision.pk, "number": revision.number, "message": revision.message,
            "author": revision.author.get_username() if revision.author is not None else None,
            "created": revision.created.isoformat()}


def announce_revision(revision: Revision) -> None:
    """Tell the sockets following the revision's design; sent once the revision is committed."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(design_group(revision.design_id),
                                        {"type": "revision.saved", "revision": revision_summary(revision)})
    except Exception:  # the save matters more than telling other tabs of it
        logger.warning("could not announce revision %s of design %s", revision.number, revision.design_id,
                       exc_info=True)
