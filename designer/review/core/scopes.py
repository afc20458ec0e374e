"""Ownership scopes (like CODEOWNERS, over bundle paths and element kinds) and the rules approvals follow.

An approval is bound to bytes: it records, for the approver's scopes, a digest of every file and element in
them. On a new head it stays valid when those digests are unchanged, and is invalidated otherwise, naming
what changed. A review is approved when enough valid approvals stand, every touched scope has one of its
own, nobody's latest word is "changes requested", and no author approved their own change.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

WHOLE_BUNDLE = "*"  # the scope of an approver who owns no scope: every file and element


@dataclass(frozen=True, slots=True)
class Scope:
    """``paths``: globs over bundle paths (``*`` one name, ``**`` any depth); ``kinds``: element collections."""

    name: str
    paths: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    members: frozenset[str] = frozenset()

    def covers(self, path: str) -> bool:
        return any(_glob(pattern).fullmatch(path) for pattern in self.paths)


@cache
def _glob(pattern: str) -> re.Pattern[str]:
    out = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        elif pattern[index] == "*":
            out.append("[^/]*")
            index += 1
        elif pattern[index] == "?":
            out.append("[^/]")
            index += 1
        else:
            out.append(re.escape(pattern[index]))
            index += 1
    return re.compile("".join(out))


def validate_pattern(pattern: str) -> str | None:
    """Why ``pattern`` is not a usable path glob, or None."""
    if not pattern or pattern.startswith("/") or ".." in pattern.split("/"):
        return "a pattern is a relative bundle path such as */etc/frr/**, without '..'"
    return None


def scope_digest(scope: Scope | None, file_hashes: Mapping[str, str], document: Mapping[str, Any]) -> str:
    """A digest of everything in ``scope`` (None: the whole bundle and document) at one revision."""
    lines = []
    for path in sorted(file_hashes):
        if scope is None or scope.covers(path):
            lines.append(f"{file_hashes[path]}  {path}")
    kinds = scope.kinds if scope is not None else ()
    for kind in kinds:
        for element in document.get(kind, []):
            shown = {key: value for key, value in element.items() if key != "position"}
            lines.append(f"{kind}/{element.get('id')} {json.dumps(shown, sort_keys=True)}")
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def scope_digests(scopes: Iterable[Scope], file_hashes: Mapping[str, str], document: Mapping[str, Any]
                  ) -> dict[str, str]:
    return {scope.name: scope_digest(scope, file_hashes, document) for scope in scopes}


def touched_scopes(scopes: Iterable[Scope], base: Mapping[str, str], head: Mapping[str, str]) -> list[str]:
    """The scopes whose digest differs between base and head (``name -> digest`` each)."""
    return [scope.name for scope in scopes if base.get(scope.name) != head.get(scope.name)]


def approver_scopes(scopes: Iterable[Scope], username: str) -> list[Scope]:
    return [scope for scope in scopes if username in scope.members]


@dataclass(frozen=True, slots=True)
class Verdict:
    """A reviewer's latest word on the review: ``approved`` or ``changes_requested``.

    ``digests``: scope name -> digest at the head it was given on (``*`` for the whole bundle);
    ``manifest``: that head's bundle manifest hash.
    """

    reviewer: str
    verdict: str
    manifest: str
    digests: Mapping[str, str]


@dataclass(slots=True)
class Standing:
    """A verdict judged against the current head."""

    verdict: Verdict
    valid: bool
    reason: str = ""


def judge(verdict: Verdict, manifest: str, head_digests: Mapping[str, str]) -> Standing:
    """Whether an approval given at one head still holds at the head with ``manifest`` and ``head_digests``
    (the digests of the same scopes, ``*`` included, now)."""
    if verdict.manifest == manifest:
        return Standing(verdict, True)
    changed = sorted(name for name, digest in verdict.digests.items() if head_digests.get(name) != digest)
    if not changed:
        return Standing(verdict, True, "the files and elements in its scope are byte-identical at the new head")
    what = "the bundle changed" if changed == [WHOLE_BUNDLE] else \
        f"files or elements in scope {', '.join(c for c in changed if c != WHOLE_BUNDLE)} changed"
    return Standing(verdict, False, f"invalidated: {what} since it was given")


@dataclass(slots=True)
class Requirements:
    """What a review needs to be approved."""

    approvals: int = 1
    touched: list[str] = field(default_factory=list)
    members: Mapping[str, frozenset[str]] = field(default_factory=dict)  # scope name -> who may approve it
    authors: frozenset[str] = frozenset()
    blocking_moves: int = 0
    moves_acknowledged: bool = False
    head_errors: int = 0


def decide(requirements: Requirements, standings: Iterable[Standing]) -> dict[str, Any]:
    """``{approved, missing: [reasons], valid_approvals: [reviewers]}`` from the latest standing per reviewer."""
    standings = list(standings)
    valid = [s.verdict.reviewer for s in standings if s.verdict.verdict == "approved" and s.valid
             and s.verdict.reviewer not in requirements.authors]
    missing = []
    requesting = sorted(s.verdict.reviewer for s in standings if s.verdict.verdict == "changes_requested")
    if requesting:
        missing.append(f"changes requested by {', '.join(requesting)}: they must review again")
    if len(valid) < requirements.approvals:
        missing.append(f"{requirements.approvals - len(valid)} more approval(s) needed "
                       f"({len(valid)} of {requirements.approvals})")
    for scope in requirements.touched:
        owners = requirements.members.get(scope, frozenset())
        if not owners & set(valid):
            missing.append(f"scope {scope} is touched: one of its owners must approve")
    if requirements.blocking_moves and not requirements.moves_acknowledged:
        missing.append(f"{requirements.blocking_moves} allocation(s) of existing elements moved: "
                       "an acknowledgement is needed")
    if requirements.head_errors:
        missing.append(f"the head has {requirements.head_errors} error finding(s)")
    return {"approved": not missing, "missing": missing, "valid_approvals": sorted(valid)}
