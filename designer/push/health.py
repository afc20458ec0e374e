"""Reading a node's ``apply.sh --health --json`` and deciding whether a change made the node worse."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from designer.fabric.plan.model import Plan


@dataclass(frozen=True, slots=True)
class Health:
    """What a node says of itself: healthy or not, each failing check or item with its detail, and for an
    item whose other end is a node (a BGP session, a cable, a tunnel), that node."""

    healthy: bool
    failing: dict[str, str]
    peers: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"healthy": self.healthy, "failing": dict(self.failing), "peers": dict(self.peers)}


def cable_peers(plan: Plan) -> dict[str, dict[str, str]]:
    """Node -> its cabled interface -> the node at the cable's other end, from the plan."""
    return {device.name: {iface.name: iface.peer.split(":", 1)[0] for iface in device.interfaces if iface.peer}
            for device in plan.devices.values() if device.managed}


def read_health(report: Any, exit_status: int | None, cables: dict[str, str] | None = None) -> Health:
    """``report``: the parsed JSON of ``--health --json``: ``{"healthy", "checks": [{name, ok, detail, items}]}``.

    Each failing item of a check (a BGP peer, a link, a WireGuard peer) is named on its own, so a session
    that was down before the push is told apart from one the push took down. ``cables``: the node's
    interface -> the node across the cable. The exit status is the node's own verdict (0 healthy).
    """
    failing: dict[str, str] = {}
    peers: dict[str, str] = {}
    checks = report.get("checks", []) if isinstance(report, dict) else []
    for index, check in enumerate(checks if isinstance(checks, list) else []):
        if not isinstance(check, dict) or check.get("ok") is True:
            continue
        name = str(check.get("name") or f"check {index}")
        items = [item for item in check.get("items") or [] if isinstance(item, dict) and not item.get("ok", False)]
        for item in items:
            what = " ".join(str(item[key]) for key in ("interface", "peer", "link", "line") if item.get(key))
            key = f"{name} {what}".strip()
            failing[key] = str(item.get("state") or check.get("detail") or "not ok")
            across = _other_end(name, item, cables or {})
            if across:
                peers[key] = across
        if not items:
            failing[name] = str(check.get("detail") or "not ok")
    return Health(exit_status == 0 and not failing, failing, peers)


def _other_end(check: str, item: dict, cables: dict[str, str]) -> str | None:
    if check == "bgp":
        return item.get("description") or cables.get(str(item.get("peer")))
    if check == "links":
        return cables.get(str(item.get("link")))
    if check == "wireguard":
        return item.get("peer")
    return None


def worse_than(after: Health, baseline: Health | None, *, waiting: Iterable[str] = ()) -> dict[str, str]:
    """What fails now that did not fail in the plan phase: what the change broke.

    A node that was healthy before must be healthy after; one that already had failing checks may keep them
    (the push did not cause them). A session, cable or tunnel to a node in ``waiting`` (nodes of this push
    not yet on their new configuration) is not held against the node: it cannot come up before its other
    end has its new files too.
    """
    if after.healthy:
        return {}
    known = baseline.failing if baseline is not None else {}
    waiting = set(waiting)
    new = {name: detail for name, detail in after.failing.items()
           if name not in known and after.peers.get(name) not in waiting}
    if not after.failing:
        return {"health": "the node reports itself unhealthy without naming a check"}
    return new
