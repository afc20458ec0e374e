"""What the design says about failure domains: each node's role and rack, and its redundancy groups.

A redundancy group is a set of nodes of which at most one may be changing at a time: the switches a
node is cabled up to (the two leaves of a host, the spines of a leaf), a rack's MLAG or EVPN
multihoming pair, the gateways of one egress, the route reflectors of the underlay.
"""

from __future__ import annotations

from dataclasses import dataclass

from designer.fabric.plan.model import Plan

# Higher tiers carry the traffic of lower ones: a node's uplinks are its neighbours on a higher tier.
TIERS = {"host": 0, "hypervisor": 0, "leaf": 1, "border": 1, "gateway": 1, "spine": 2, "router": 2}
MULTIHOMED_ROLES = ("leaf", "border")


@dataclass(frozen=True, slots=True)
class NodeFacts:
    """One managed node as the wave planner sees it."""

    name: str
    role: str
    rack: str | None


@dataclass(frozen=True, slots=True)
class RedundancyGroup:
    """Nodes that back each other up: never two of them in one wave."""

    name: str
    members: frozenset[str]


def node_facts(plan: Plan) -> dict[str, NodeFacts]:
    """Every managed node by name."""
    return {d.name: NodeFacts(d.name, d.role, d.rack) for d in plan.devices.values() if d.managed}


def redundancy_groups(plan: Plan) -> list[RedundancyGroup]:
    """The design's redundancy groups among managed nodes, each of two members or more, by name."""
    devices = plan.devices
    managed = {d.id for d in devices.values() if d.managed}
    neighbours: dict[str, set[str]] = {}
    for link in plan.links:
        neighbours.setdefault(link.a_device, set()).add(link.b_device)
        neighbours.setdefault(link.b_device, set()).add(link.a_device)
    groups: list[RedundancyGroup] = []

    def add(name: str, ids) -> None:
        members = frozenset(devices[i].name for i in ids if i in managed)
        if len(members) >= 2 and all(members != g.members for g in groups):
            groups.append(RedundancyGroup(name, members))

    for device in sorted(devices.values(), key=lambda d: d.name):
        tier = TIERS.get(device.role, 0)
        add(f"uplinks of {device.name}",
            sorted(n for n in neighbours.get(device.id, ()) if TIERS.get(devices[n].role, 0) > tier))
    for rack in sorted(plan.racks.values(), key=lambda r: r.name):
        if rack.multihoming != "none":
            add(f"{rack.multihoming} pair of {rack.name}",
                [d.id for d in devices.values() if d.rack == rack.id and d.role in MULTIHOMED_ROLES])
    for egress in plan.egress:
        add(f"gateways of egress {egress.name}", sorted(egress.gateways))
    reflectors = sorted(d.id for d in devices.values()
                        if d.bgp is not None and any(g.route_reflector_client for g in d.bgp.peer_groups))
    add("route reflectors", reflectors)
    return groups
