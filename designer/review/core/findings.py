"""The findings a change introduces, resolves and leaves as they were, each known by its code and elements."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from designer.fabric.lint.findings import Finding


def _key(finding: Finding) -> tuple[str, tuple[str, ...]]:
    return finding.code, tuple(sorted(finding.elements))


def findings_diff(old: Iterable[Finding], new: Iterable[Finding]) -> dict[str, list[dict[str, Any]]]:
    before = {_key(finding): finding for finding in old}
    after = {_key(finding): finding for finding in new}
    return {"introduced": [f.as_dict() for key, f in after.items() if key not in before],
            "resolved": [f.as_dict() for key, f in before.items() if key not in after],
            "unchanged": [f.as_dict() for key, f in after.items() if key in before]}
