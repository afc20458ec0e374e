"""Reading a node's ``apply.sh --health --json`` and deciding whether a change made the node worse."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Health:
    """What a node says of itself: healthy or not, and each check that failed with its detail."""

    healthy: bool
    failing: dict[str, str]

    def as_dict(self) -> dict[str, Any]:
        return {"healthy": self.healthy, "failing": dict(self.failing)}


def read_health(report: Any, exit_status: int | None) -> Health:
    """``report``: the parsed JSON of ``--health --json``: ``{"healthy", "checks": [{name, ok, detail, items}]}``.

    Each failing item of a check (a BGP peer, a link, a WireGuard peer) is named on its own, so a session
    that was down before the push is told apart from one the push took down. The exit status is the node's
    own verdict (0 healthy); a check without ``ok`` counts as failing.
    """
    failing: dict[str, str] = {}
    checks = report.get("checks", []) if isinstance(report, dict) else []
    for index, check in enumerate(checks if isinstance(checks, list) else []):
        if not isinstance(check, dict) or check.get("ok") is True:
            continue
        name = str(check.get("name") or f"check {index}")
        items = [item for item in check.get("items") or [] if isinstance(item, dict) and not item.get("ok", False)]
        for item in items:
            what = " ".join(str(item[key]) for key in ("interface", "peer", "link", "line") if item.get(key))
            failing[f"{name} {what}".strip()] = str(item.get("state") or check.get("detail") or "not ok")
        if not items:
            failing[name] = str(check.get("detail") or "not ok")
    healthy = exit_status == 0 and not failing
    return Health(healthy, failing)


def worse_than(after: Health, baseline: Health | None) -> dict[str, str]:
    """The checks that fail now and did not fail in the plan phase: what the change broke.

    A node that was healthy before must be healthy after; one that already had failing checks may keep
    them (the push did not cause them), but nothing new may fail.
    """
    if after.healthy:
        return {}
    known = baseline.failing if baseline is not None else {}
    new = {name: detail for name, detail in after.failing.items() if name not in known}
    if not new and not after.failing:
        return {"health": "the node reports itself unhealthy without naming a check"}
    return new
