"""Share links: a revision or a review shown to someone without an account, read-only or with comments.

The token is shown once, when the link is made; only its sha256 is stored, so a copy of the database
opens nothing. A link lasts at most 30 days, is revoked at once, and every opening is logged.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone

from designer.fabric.errors import DesignError, Problem
from designer.models import Design, Revision

from ..choices import EventKind
from ..models import Review, ShareLink, ShareOpening
from .notify import announce

MAX_DAYS = 30
TOKEN_BYTES = 32
SHARE_STATES = ("live", "expired", "revoked")


def token_hash(token: str) -> str:
    """What is stored of a share token."""
    return hashlib.sha256(token.encode()).hexdigest()


def share_create(*, design: Design, user, scope: str, days: int, review: Review | None = None,
                 revision: Revision | None = None, label: str = "") -> tuple[ShareLink, str]:
    """A new link to ``review`` or ``revision`` of ``design`` and its token (shown this once)."""
    if (review is None) == (revision is None):
        raise DesignError(Problem("review", "a share link shows a review or a revision: name one of them"))
    if not 1 <= days <= MAX_DAYS:
        raise DesignError(Problem("days", f"a share link lasts 1 to {MAX_DAYS} days, not {days}"))
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = ShareLink.objects.create(design=design, review=review, revision=revision, scope=scope, label=label,
                                    token_hash=token_hash(token), created_by=user,
                                    expires=timezone.now() + timedelta(days=days))
    what = f"review \"{review.title}\"" if review is not None else f"revision {revision.number}"
    announce(design=design, review=review, kind=EventKind.SHARE_CREATED, actor=user,
             message=f"{user.username} shared {what} ({scope}, {days} days)", data={"link": link.pk})
    return link, token


def share_revoke(*, link: ShareLink, user) -> ShareLink:
    if link.revoked is None:
        link.revoked = timezone.now()
        link.save(update_fields=["revoked"])
        announce(design=link.design, review=link.review, kind=EventKind.SHARE_REVOKED, actor=user,
                 message=f"{user.username} revoked share link {link.pk}", data={"link": link.pk})
    return link


def share_open(*, token: str, what: str, address: str | None = None, user_agent: str = "") -> ShareLink | None:
    """The live link ``token`` opens, its opening logged; None when it is unknown, expired or revoked."""
    link = (ShareLink.objects.filter(token_hash=token_hash(token), revoked__isnull=True, expires__gt=timezone.now())
            .select_related("design", "review__base", "review__head", "review__author", "revision").first())
    if link is None:
        return None
    ShareOpening.objects.create(link=link, address=address or None, user_agent=user_agent[:200], what=what)
    return link


def share_state(link: ShareLink) -> str:
    if link.revoked is not None:
        return "revoked"
    return "expired" if link.expires <= timezone.now() else "live"
