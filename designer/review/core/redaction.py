"""Private keys out of every text a review shows: diffs, snapshots, pages and answers.

The node's engine redacts key lines in the diffs it makes; the review does the same with the same
pattern, and also replaces each key the plans hold wherever else it might stand.
"""

from __future__ import annotations

from collections.abc import Iterable

from designer.fabric.apply.engine import REDACTED, redact

__all__ = ["REDACTED", "Redactor", "plan_secrets"]


class Redactor:
    """Replaces private keys in text: every key line, and each known key wherever it stands."""

    def __init__(self, secrets: Iterable[str] = ()):
        self._secrets = sorted({secret for secret in secrets if secret}, key=len, reverse=True)

    def text(self, text: str) -> str:
        folded = text.casefold()
        if "privatekey" in folded or "presharedkey" in folded:  # the pattern's words, found before the regex runs
            text = redact(text)
        return self.known(text)

    def known(self, text: str) -> str:
        """Only the known keys replaced: for text whose key lines the node's engine has redacted already."""
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text


def plan_secrets(plan) -> list[str]:
    """The private keys a plan holds (each WireGuard member's)."""
    return [wg.private_key for device in plan.devices.values() for wg in device.wireguard]
