"""API tokens and other handed-out secrets: issued once, kept only as a hash, compared in constant time.

Tokens are django-rest-knox's: 64 random hex characters, stored as a SHA-512 digest beside their first 15
characters (to find the row). ``secret_new``, ``secret_digest`` and ``secret_matches`` do the same for any
other secret given to a person, such as a share link, so none is stored in a form that signs anyone in.
"""

from __future__ import annotations

import hmac
from datetime import timedelta

from django.db.models import QuerySet
from knox import crypto

from designer.models import ApiToken

MAX_TOKEN_DAYS = 365


def token_issue(*, user, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token of ``user`` named ``name``, valid for ``days``; the token itself is returned only here."""
    return ApiToken.objects.create(user=user, expiry=timedelta(days=days), name=name)


def tokens_of(user) -> QuerySet[ApiToken]:
    """The tokens ``user`` holds (an expired one is deleted when it is next presented)."""
    return ApiToken.objects.filter(user=user)


def token_revoke(*, user, token_id: int) -> bool:
    """Revoke ``user``'s token ``token_id``; False when they hold no such token."""
    deleted, _ = tokens_of(user).filter(pk=token_id).delete()
    return bool(deleted)


def secret_new() -> str:
    return crypto.create_token_string()


def secret_digest(secret: str) -> str:
    return crypto.hash_token(secret)


def secret_matches(secret: str, digest: str) -> bool:
    return hmac.compare_digest(secret_digest(secret), digest)
