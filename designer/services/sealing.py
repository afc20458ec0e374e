"""The Fernet keys that seal secrets at rest (allocation records with WireGuard private keys)."""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


@cache
def _keys(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    """Seals with the first of ``settings.FERNET_KEYS`` and opens with any of them (key rotation)."""
    return _keys(tuple(settings.FERNET_KEYS))
