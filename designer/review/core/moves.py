"""Allocations that moved: an address, ASN, VNI or key of an element present in both revisions that differs.

Allocations are pinned, so a change should move none of them; one that moved (a tampered lock, an address
typed over a planned one) renumbers a running fabric and needs an explicit acknowledgement.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from designer.fabric.plan.model import DevicePlan, Plan


def _device_facts(device: DevicePlan) -> dict[str, Any]:
    facts: dict[str, Any] = {"loopback_v4": device.loopback_v4, "loopback_v6": device.loopback_v6,
                             "vtep": device.vtep, "router_id": device.router_id, "asn": device.asn}
    for iface in device.interfaces:
        for family in ("v4", "v6"):
            mine = sorted(a for a in iface.addresses if (":" in a) == (family == "v6"))
            if mine:
                facts[f"{iface.name} address{'es' if len(mine) > 1 else ''} {family}"] = mine
    for wg in device.wireguard:
        facts[f"wireguard {wg.mesh} key"] = wg.public_key  # the public key stands for the private one
        facts[f"wireguard {wg.mesh} addresses"] = sorted(wg.addresses + wg.vxlan_addresses)
    return facts


def _facts(plan: Plan) -> dict[tuple[str, str], tuple[str, dict[str, Any]]]:
    """(kind, element id) -> (element name, fact -> value) of every allocated value in the plan."""
    out: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}
    for device in plan.devices.values():
        out["device", device.id] = device.name, _device_facts(device)
    for link in plan.links:
        out["link", link.id] = link.id, {"subnet": link.subnet, "a_address": link.a_address,
                                         "b_address": link.b_address}
    for vni in plan.vnis:
        out["network", vni.network] = vni.name, {"vni": vni.vni, "vlan": vni.vlan,
                                                 "host addresses": dict(sorted(vni.host_addresses.items()))}
    for network in plan.networks:
        facts = out.setdefault(("network", network.id), (network.name, {}))[1]
        facts.update({"subnet": network.subnet, "node subnets": dict(sorted(network.node_subnets.items())),
                      "host addresses": dict(sorted(network.host_addresses.items()))})
    for vrf in plan.vrfs:
        out["vrf", vrf.id] = vrf.name, {"l3vni": vrf.l3vni, "table": vrf.table}
    return out


def moved_allocations(old: Plan, new: Plan) -> list[dict[str, Any]]:
    """Every allocated value of an element in both plans that is not what it was, as
    ``{kind, element, name, fact, old, new}``. A value only one side has (a new interface) moved nothing. One
    address told by several facts (loopback, router-id, VTEP, the address on ``lo``) is one move naming them."""
    grouped: dict[tuple, dict[str, Any]] = {}
    for move in _moves(old, new):
        key = (move["kind"], move["element"], _bare(move["old"]), _bare(move["new"]))
        if key in grouped:
            grouped[key]["fact"] += f", {move['fact']}"
        else:
            grouped[key] = move
    return list(grouped.values())


def _bare(value: str) -> str:
    """An address without its prefix length, so 10.0.0.1 and 10.0.0.1/32 are one value."""
    return ", ".join(part.split("/")[0] for part in value.split(", "))


def _moves(old: Plan, new: Plan) -> list[dict[str, Any]]:
    before, after = _facts(old), _facts(new)
    moves = []
    for key in sorted(before.keys() & after.keys()):
        (_, old_facts), (name, new_facts) = before[key], after[key]
        for fact in (fact for fact in old_facts if fact in new_facts):
            was, now = old_facts[fact], new_facts[fact]
            if was is None or now is None or was == now:
                continue
            if isinstance(was, dict):  # per-device maps: only entries both sides have
                shared = {k for k in was.keys() & now.keys() if was[k] != now[k]}
                for entry in sorted(shared):
                    moves.append(_move(key, name, f"{fact} of {entry}", was[entry], now[entry]))
                continue
            moves.append(_move(key, name, fact, was, now))
    return moves


def _move(key: tuple[str, str], name: str, fact: str, was: Any, now: Any) -> dict[str, Any]:
    return {"kind": key[0], "element": key[1], "name": name, "fact": fact, "old": _shown(was), "new": _shown(now)}


def _shown(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def describe(moves: Iterable[dict[str, Any]], limit: int = 3) -> str:
    """The first few moves in one line, for a blocking item's title."""
    listed = list(moves)
    shown = "; ".join(f"{m['name']} {m['fact']} {m['old']} -> {m['new']}" for m in listed[:limit])
    return shown + (f" and {len(listed) - limit} more" if len(listed) > limit else "")
