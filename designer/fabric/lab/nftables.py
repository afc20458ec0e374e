"""Each node's nftables BGP filter in the lab: loaded by nft inside the node's namespace, its drop counter read back."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..render.nftables import CHAIN, TABLE
from .kernel import KernelFeatures
from .process import Outcome, in_netns, run


def refusal(features: KernelFeatures) -> str:
    """Why no filter can be loaded here, or "" when nft and the kernel both take one."""
    if shutil.which("nft") is None:
        return "nft is not installed (Debian package nftables)"
    if not features.has("nftables"):
        return "this kernel refuses nftables inside a network namespace"
    return ""


def load(namespace: str, path: Path) -> Outcome:
    return run(in_netns(namespace, ["nft", "-f", str(path)]), timeout=20)


def list_chain(namespace: str) -> Outcome:
    return run(in_netns(namespace, ["nft", "-j", "list", "chain", "inet", TABLE, CHAIN]), timeout=10)


@dataclass(frozen=True, slots=True)
class DropCounter:
    """The filter's chain as ``nft -j`` listed it, its drop rule, and the packets that rule has counted."""

    listing: Outcome
    rule: dict | None
    packets: int | None


def drop_counter(namespace: str) -> DropCounter:
    listing = list_chain(namespace)
    rule = drop_rule(listing)
    return DropCounter(listing, rule, dropped(rule))


def drop_rule(listing: Outcome) -> dict | None:
    """The first rule of the listed chain that counts what it drops, as ``nft -j`` gives it."""
    if not listing.ok:
        return None
    try:
        items = json.loads(listing.stdout).get("nftables", [])
    except (ValueError, AttributeError):
        return None
    for item in items:
        expressions = item.get("rule", {}).get("expr", []) if isinstance(item, dict) else []
        keys = {key for expression in expressions if isinstance(expression, dict) for key in expression}
        if {"counter", "drop"} <= keys:
            return item["rule"]
    return None


def dropped(rule: dict | None) -> int | None:
    """Packets the drop rule has counted; None without such a rule."""
    if rule is None:
        return None
    return next(e["counter"].get("packets", 0) for e in rule["expr"] if isinstance(e, dict) and "counter" in e)
