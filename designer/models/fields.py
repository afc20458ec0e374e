"""A model field whose JSON value is sealed with Fernet before it reaches the database."""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import InvalidToken
from django.db import models

from designer.services.sealing import fernet


class SealedJSONField(models.TextField):
    """JSON stored as a Fernet token: the database and its backups never hold the plain value."""

    description = "JSON sealed with Fernet"

    def from_db_value(self, value: str | None, expression, connection) -> Any:
        if value is None:
            return None
        return unseal(value)

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return fernet().encrypt(json.dumps(value, sort_keys=True).encode()).decode()


def unseal(token: str) -> Any:
    try:
        return json.loads(fernet().decrypt(token.encode()))
    except InvalidToken:
        raise ValueError("a sealed value cannot be opened with the configured WEFT_FERNET_KEYS "
                         "(was the key rotated without keeping the old one?)") from None
