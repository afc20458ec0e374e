"""What a node's own record says about a run whose outcome push lost: read ``--status --json``
(the node's ``applied.json``) and name the state the node is really in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .states import NodeState


@dataclass(frozen=True, slots=True)
class Resolution:
    state: NodeState
    reason: str


def _applied(status: Any) -> tuple[dict, dict]:
    """``--status --json`` is ``{"node", "applied": <applied.json or null>, "pending": ...}``."""
    status = status if isinstance(status, dict) else {}
    applied = status.get("applied") if isinstance(status.get("applied"), dict) else {}
    pending = status.get("pending") or applied.get("pending") or {}
    return applied, pending


def resolve(status: Any, *, run: str, manifest: str) -> Resolution:
    """The state of run ``run`` (installing ``manifest``) on a node whose ``--status --json`` is ``status``.

    - its last outcome for this run is rolled-back or failed: that, with the node's reason
    - the node awaits confirmation of this run: APPLIED (its watchdog is armed; health and confirm may go on)
    - it runs ``manifest``, confirmed: VERIFIED
    - this run never reached it: CHECKED (nothing was installed; applying it is safe)
    """
    applied, pending = _applied(status)
    last = applied.get("last") or {}
    if last.get("run") == run and last.get("outcome") in ("rolled-back", "failed"):  # final, whatever else remains
        reason = last.get("reason") or ""
        if last["outcome"] == "rolled-back":
            return Resolution(NodeState.ROLLED_BACK, reason or "the node's watchdog restored the previous files")
        return Resolution(NodeState.FAILED, reason or "the apply failed and the node restored its files")
    if pending.get("run") == run:
        return Resolution(NodeState.APPLIED, f"awaiting confirmation until {pending.get('deadline', '?')}")
    if applied.get("manifest") == manifest and applied.get("state") == "confirmed":
        return Resolution(NodeState.VERIFIED, "the node runs the new files, confirmed")
    if last.get("run") == run and last.get("outcome") in ("applied", "confirmed", "nothing-to-do") \
            and applied.get("manifest") == manifest:
        return Resolution(NodeState.VERIFIED, "the node runs the new files")
    return Resolution(NodeState.CHECKED, "this run never reached the node: nothing was installed")


def running_manifest(status: Any) -> str | None:
    """The manifest hash the node runs, confirmed; None if nothing Weft installed or a run awaits confirmation."""
    applied, pending = _applied(status)
    if pending or applied.get("state") != "confirmed":
        return None
    return applied.get("manifest")
