"""Private keys out of every text a review shows: diffs, snapshots, pages and answers."""

from __future__ import annotations

import re
from collections.abc import Iterable

REDACTED = "<redacted private key>"
# WireGuard's own key line, whatever the value; the known keys themselves are replaced wherever they occur.
_KEY_LINE = re.compile(r"^(\s*PrivateKey\s*=\s*)\S.*$", re.MULTILINE | re.IGNORECASE)


class Redactor:
    """Replaces private keys in text: every ``PrivateKey =`` line, and each known key wherever it stands."""

    def __init__(self, secrets: Iterable[str] = ()):
        self._secrets = sorted({secret for secret in secrets if secret}, key=len, reverse=True)

    def text(self, text: str) -> str:
        text = _KEY_LINE.sub(lambda match: match[1] + REDACTED, text)
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text

    def merged(self, other: Redactor) -> Redactor:
        return Redactor([*self._secrets, *other._secrets])


def plan_secrets(plan) -> list[str]:
    """The private keys a plan holds (each WireGuard member's)."""
    return [wg.private_key for device in plan.devices.values() for wg in device.wireguard]
