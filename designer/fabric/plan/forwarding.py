"""Which devices forward packets for others: routers by role, hosts only where they route for what is behind them."""

from __future__ import annotations

from ..spec import Design

ROUTER_ROLES = frozenset({"spine", "leaf", "border", "gateway", "router"})
HOST_ROUTES = ("/32", "/128")


def plan_forwarding(design: Design, vrf_members: set[str], announced: dict[str, list[str]]) -> set[str]:
    """The devices with IP forwarding on: the design's word where it gives one, the plan's otherwise.

    A host forwards when it routes for something behind it: a VRF, a routed network (seed 002), a
    subnet it announces (an LXD bridge, seed 003). An egress gateway forwards its clients' flows.
    """
    routed = {a.device for net in design.networks if net.mode == "routed" for a in net.attach}
    gateways = {gateway for egress in design.egress for gateway in egress.gateways}
    out = set()
    for device in design.devices:
        if device.forwarding is not None:
            decided = device.forwarding
        else:
            decided = (device.role in ROUTER_ROLES or device.id in vrf_members or device.id in routed
                       or device.id in gateways
                       or any(not prefix.endswith(HOST_ROUTES) for prefix in announced.get(device.id, ())))
        if decided:
            out.add(device.id)
    return out
