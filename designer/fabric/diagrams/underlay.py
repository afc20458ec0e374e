"""The underlay view: every BGP speaker with its ASN, router-id and loopbacks, every session with its type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import graphviz

from ..plan.model import BgpSession, DevicePlan, PeerGroup, Plan
from .style import (
    INK,
    MUTED,
    UNMANAGED,
    Key,
    box,
    crowded,
    device_subtitle,
    edge_text,
    header_cell,
    new_graph,
    place_devices,
    role_colour,
    role_legend,
    small,
    tally,
    text,
    tier,
)

L2_LINK = "#cbd5e1"
ECMP_COLOUR = "#15803d"
HASH_POLICIES = {"0": "L3", "1": "L4", "2": "L3 inner", "3": "L4 inner"}


@dataclass(frozen=True, slots=True)
class SessionStyle:
    """How one type of BGP session is named and drawn."""

    label: str
    colour: str
    line: str


SESSION_STYLES = {
    "unnumbered": SessionStyle("eBGP unnumbered", "#0e7490", "solid"),
    "numbered": SessionStyle("eBGP numbered", "#155e75", "solid"),
    "ebgp": SessionStyle("eBGP", "#0e7490", "solid"),
    "ibgp": SessionStyle("iBGP", "#7c3aed", "dashed"),
    "rr-client": SessionStyle("iBGP RR client", "#7c3aed", "dashed"),
    "dynamic": SessionStyle("eBGP dynamic", "#b45309", "dotted"),
}


@dataclass(slots=True)
class Ends:
    """Where sessions attach to one device: a cell per local interface or address, above or below the box."""

    above: dict[str, str]  # what the device is known by at that end -> port id
    below: dict[str, str]

    def port(self, end: str) -> str:
        return self.above.get(end) or self.below[end]


def underlay_graph(plan: Plan) -> graphviz.Graph:
    devices = list(plan.devices.values())
    styles = dict.fromkeys(SESSION_STYLES[session.kind] for session in plan.sessions)
    legend = [*role_legend(devices), *(Key(style.label, style.colour, style.line) for style in styles)]
    lan = [link for link in plan.links if link.kind == "lan"]
    if lan:
        legend.append(Key("L2 cable (no BGP)", L2_LINK, "solid"))
    style = "iBGP" if plan.underlay_style == "ibgp" else "eBGP"
    is_crowded = crowded(len(plan.sessions))
    if not plan.sessions:
        note = "no BGP in this design: the devices and their L2 cables"
    elif is_crowded:
        note = f"{style} underlay: {tally(session_label(s) for s in plan.sessions)} sessions"
    else:
        note = f"{style} underlay: {len(plan.sessions)} sessions, each labelled with its type"
    graph = new_graph(plan, "underlay", legend, note=note, is_crowded=is_crowded)
    reflectors = route_reflectors(plan)
    level = levels(reflectors)
    upstream = upstream_peers(plan, level)
    ends = session_ends(plan, level)
    place_devices(graph, devices, lambda device: speaker_label(device, upstream.get(device.id, 0), ends[device.id]),
                  level=level, racks=plan.racks)
    for session in plan.sessions:
        add_session(graph, plan, session, ends, level, reflectors, is_crowded=is_crowded)
    for link in lan:
        a, b = plan.devices[link.a_device], plan.devices[link.b_device]
        upper, lower = (b, a) if tier(b) < tier(a) else (a, b)
        graph.edge(upper.name, lower.name, color=L2_LINK, penwidth="1", tooltip=link.id,
                   **{"class": "cable lan"})
    return graph


def route_reflectors(plan: Plan) -> set[str]:
    """The devices that treat some of their peers as route-reflector clients."""
    return {device.id for device in plan.devices.values() if device.bgp and any(
        group.route_reflector_client for group in device.bgp.peer_groups)}


def levels(reflectors: set[str]) -> Callable[[DevicePlan], float]:
    """Tiers, with route reflectors drawn half a tier above the clients they serve."""
    return lambda device: tier(device) - 0.5 if device.id in reflectors else tier(device)


def upstream_peers(plan: Plan, level: Callable[[DevicePlan], float]) -> dict[str, int]:
    """How many sessions each device has towards a higher level: the next hops it spreads traffic over."""
    counts: dict[str, int] = {}
    for session in plan.sessions:
        a, b = plan.devices[session.a], plan.devices[session.b]
        if level(a) != level(b):
            lower = a if level(a) > level(b) else b
            counts[lower.id] = counts.get(lower.id, 0) + 1
    return counts


def local_ends(session: BgpSession) -> tuple[str, str]:
    """What each side is known by at its own end: its interface (unnumbered) or its address."""
    return (session.a_peer, session.b_peer) if session.interface else (session.b_peer, session.a_peer)


def session_ends(plan: Plan, level: Callable[[DevicePlan], float]) -> dict[str, Ends]:
    ends = {device_id: Ends({}, {}) for device_id in plan.devices}
    for session in plan.sessions:
        a, b = plan.devices[session.a], plan.devices[session.b]
        for device, peer, end in zip((a, b), (b, a), local_ends(session), strict=True):
            side = ends[device.id].above if level(peer) < level(device) else ends[device.id].below
            if end not in ends[device.id].above and end not in ends[device.id].below:
                side[end] = f"p{len(ends[device.id].above) + len(ends[device.id].below)}"
    return ends


def end_cells(ends: dict[str, str]) -> list[str]:
    return [f'<TD PORT="{port}" COLOR="{MUTED}">{small(text(end), INK, 8)}</TD>' for end, port in ends.items()]


def speaker_label(device: DevicePlan, upstream: int, ends: Ends) -> str:
    header = header_cell(text(device.name), text(device_subtitle(device)), role_colour(device))
    if device.bgp is None:
        lines = [small("no BGP"), *static_routing(device)]
        return box(header, lines, UNMANAGED if not device.managed else MUTED, dashed=True)
    bgp = device.bgp
    lines = [f"<B>AS {bgp.asn}</B>", f"router-id {text(bgp.router_id)}"]
    for loopback, length in ((device.loopback_v4, 32), (device.loopback_v6, 128)):
        if loopback:
            vtep = " (VTEP)" if loopback == device.vtep else ""
            lines.append(f"lo {text(loopback)}/{length}{vtep}")
    if device.vtep and device.vtep not in (device.loopback_v4, device.loopback_v6):
        lines.append(f"VTEP {text(device.vtep)}")
    lines += [small(text(f"peer-group {group.name}: {group.remote_as}" + peer_group_flags(group)), size=8)
              for group in bgp.peer_groups]
    lines += [small(text(f"listen {listen.prefix} → {listen.peer_group}"), size=8) for listen in bgp.listen_ranges]
    if bgp.maximum_paths > 1:
        lines.append(ecmp_line(device, upstream))
    lines += static_routing(device)
    return box(header, lines, role_colour(device), above=[end_cells(ends.above)], below=[end_cells(ends.below)])


def static_routing(device: DevicePlan) -> list[str]:
    """How a device routes without BGP: the gateways on its interfaces and its static routes."""
    lines = [text(f"{iface.name} {' '.join(iface.addresses)} → gw {iface.gateway}")
             for iface in device.interfaces if iface.gateway]
    lines += [text(f"static {route.prefix} via {route.via or route.interface}") for route in device.static_routes]
    return lines


def peer_group_flags(group: PeerGroup) -> str:
    flags = [("RR client", group.route_reflector_client), ("next-hop-self", group.next_hop_self),
             ("default-originate", group.default_originate), ("EVPN", group.evpn), ("IPv6", group.ipv6)]
    named = [name for name, on in flags if on]
    return f" · {', '.join(named)}" if named else ""


def ecmp_line(device: DevicePlan, upstream: int) -> str:
    """ECMP as the node sees it: how many upstream next hops, the limit, and the hash if the host sets one."""
    bgp = device.bgp
    spread = f"ECMP ×{upstream} upstream" if upstream > 1 else "ECMP"
    policy = device.sysctl.get("net.ipv4.fib_multipath_hash_policy")
    details = [f"maximum-paths {bgp.maximum_paths}", "multipath-relax" if bgp.multipath_relax else "",
               f"{HASH_POLICIES.get(policy, policy)} hash" if policy is not None else ""]
    return (f'<FONT COLOR="{ECMP_COLOUR}"><B>{spread}</B></FONT><BR/>'
            f'{small(text(" · ".join(detail for detail in details if detail)), size=8)}')


def session_label(session: BgpSession) -> str:
    # A session on no cable that no listen range accepts runs over the WireGuard mesh.
    carrier = " over WireGuard" if session.link is None and session.kind != "dynamic" else ""
    return SESSION_STYLES[session.kind].label + carrier + (" + EVPN" if session.evpn else "")


def add_session(graph: graphviz.Graph, plan: Plan, session: BgpSession, ends: dict[str, Ends],
                level: Callable[[DevicePlan], float], reflectors: set[str], *, is_crowded: bool) -> None:
    a, b = plan.devices[session.a], plan.devices[session.b]
    sides = list(zip((a, b), local_ends(session), strict=True))
    if level(b) < level(a):
        sides.reverse()  # the upper device is the tail, so dot ranks the session downwards
    (upper, upper_end), (lower, lower_end) = sides
    vertical = level(upper) != level(lower)
    tail = f"{upper.name}:{ends[upper.id].port(upper_end)}:s"
    head = f"{lower.name}:{ends[lower.id].port(lower_end)}" + (":n" if vertical else ":s")
    style = SESSION_STYLES[session.kind]
    ident = f"{session.id} (AS {session.a_asn} ↔ AS {session.b_asn})"
    attributes = {**edge_text(session_label(session), ident, is_crowded=is_crowded), "color": style.colour,
                  "fontcolor": style.colour, "style": style.line, "penwidth": "1.4", "class": f"bgp {session.kind}"}
    if session.kind == "rr-client":
        # The arrow points from the route reflector to its client (an rr-client session has one of each).
        attributes |= {"dir": "forward" if upper.id in reflectors else "back", "arrowsize": "0.7"}
    if session.kind == "dynamic":
        # The arrow points at the gateway, which listens on a range instead of naming its peer.
        attributes |= {"dir": "forward" if upper.id == session.a else "back", "arrowsize": "0.7"}
    graph.edge(tail, head, **attributes)
