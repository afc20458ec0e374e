"""Checks on ASNs and BGP sessions: eBGP, iBGP route reflection, dynamic neighbours."""

from __future__ import annotations

from collections.abc import Iterator

from ..plan.bgp import egress_speakers, mesh_speakers
from ..plan.model import BgpSession
from ..plan.pools import number_range
from ..plan.wireguard import blacklisted_peers
from ..spec import PRIVATE_ASN_RANGES
from .findings import Context, Issue, check
from .groups import Groups
from .overlay import segments_of
from .physical import SWITCH_ROLES

FULL_MESH_SPEAKERS = 10  # 45 sessions; beyond this every new speaker touches every other one
SHOWN = 6  # how many examples a message lists before it counts the rest
PRIVATE_RANGES_TEXT = " and ".join(f"{first}-{last}" for first, last in PRIVATE_ASN_RANGES)


def sessions_of(ctx: Context) -> dict[str, list[BgpSession]]:
    """Each device's BGP sessions, built once per lint run."""
    if "sessions_of" not in ctx.cache:
        found: dict[str, list[BgpSession]] = {}
        for session in ctx.plan.sessions:
            found.setdefault(session.a, []).append(session)
            found.setdefault(session.b, []).append(session)
        ctx.cache["sessions_of"] = found
    return ctx.cache["sessions_of"]


def listing(names: list[str]) -> str:
    """A readable list that stays short on large fabrics."""
    more = len(names) - SHOWN
    return ", ".join(names[:SHOWN]) + (f" and {more} more" if more > 0 else "")


@check("asn-shared-by-vteps", "error", "VTEPs that must exchange EVPN routes share an eBGP ASN")
def asn_shared_by_vteps(ctx: Context) -> Iterator[Issue]:
    if ctx.plan.underlay_style != "ebgp":
        return
    carried = segments_of(ctx)
    by_asn: dict[int, list[str]] = {}
    for device_id in carried:
        asn = ctx.plan.devices[device_id].asn
        if asn is not None:
            by_asn.setdefault(asn, []).append(device_id)
    for asn, vteps in by_asn.items():
        if len(vteps) < 2:
            continue
        # an MLAG pair shares one ASN and one anycast VTEP; it never needs its partner's routes
        domains: dict[int, dict[str, list[str]]] = {}
        for device_id in vteps:
            device = ctx.topo.device(device_id)
            mlag = device.role in SWITCH_ROLES and ctx.topo.rack_multihoming.get(device.rack or "") == "mlag"
            domain = device.rack if mlag else device_id
            for segment in carried[device_id]:
                domains.setdefault(segment.vni, {}).setdefault(domain, []).append(device_id)
        clashing = sorted({d for by_domain in domains.values() if len(by_domain) > 1
                           for members in by_domain.values() for d in members},
                          key=ctx.topo.position.__getitem__)
        if clashing:
            shared = sorted(vni for vni, by_domain in domains.items() if len(by_domain) > 1)
            yield Issue(f"{listing([ctx.name(d) for d in clashing])} share AS {asn} and VNI(s) "
                        f"{listing([str(v) for v in shared])}: eBGP drops routes whose AS path holds its own AS, "
                        "so these VTEPs never learn each other's loopbacks and EVPN routes",
                        tuple(clashing), "give each VTEP its own ASN (asn.<role>: node), or one per MLAG rack")


def _is_private(asn: int) -> bool:
    return any(first <= asn <= last for first, last in PRIVATE_ASN_RANGES)


@check("asn-not-private", "warning", "An ASN is outside the private ranges")
def asn_not_private(ctx: Context) -> Iterator[Issue]:
    by_asn: dict[int, list[str]] = {}
    for device in ctx.plan.devices.values():
        if device.asn is not None and not _is_private(device.asn):
            by_asn.setdefault(device.asn, []).append(device.id)
    for asn, devices in by_asn.items():
        yield Issue(f"AS {asn} of {listing([ctx.name(d) for d in devices])} is outside the private ranges "
                    f"{PRIVATE_RANGES_TEXT}: it belongs to someone on the internet",
                    tuple(devices), "use a private ASN unless this AS is registered to you")


@check("asn-outside-range", "warning", "A pinned ASN lies outside the design's ASN range")
def asn_outside_range(ctx: Context) -> Iterator[Issue]:
    if ctx.plan.underlay_style != "ebgp":
        return  # iBGP puts every speaker in underlay.asn
    first, last = number_range(ctx.design.asn.range)
    for device in ctx.design.devices:
        if device.asn is not None and not first <= device.asn <= last:
            yield Issue(f"{device.name} is pinned to AS {device.asn}, outside asn.range {ctx.design.asn.range}: "
                        "the range no longer tells which ASNs the fabric uses, and another fabric drawing from "
                        "the same space may hand it out again", (device.id,),
                        f"widen asn.range to cover {device.asn}, or pin an ASN inside {ctx.design.asn.range}")


@check("bond-unnumbered-to-several-routers", "error", "A bond runs BGP unnumbered to more than one router")
def bond_unnumbered_to_several_routers(ctx: Context) -> Iterator[Issue]:
    for device_id, bond in ctx.topo.bgp_bonds:
        peers = [peer for peer, _ in ctx.topo.devices[device_id].bond_peers(bond)]
        if bond.bgp == "unnumbered" and len(peers) > 1:
            yield Issue(f"{ctx.name(device_id)}:{bond.name} runs BGP unnumbered, but its members reach "
                        f"{listing([ctx.name(p) for p in peers])}: an unnumbered session over one interface peers "
                        "with the one router whose IPv6 link-local address it learns, so the others get no session",
                        (device_id, *peers), f"set bgp: numbered on {bond.name}: it peers with each router by address")


@check("device-no-uplink", "error", "A BGP speaker or VTEP has no BGP session")
def device_no_uplink(ctx: Context) -> Iterator[Issue]:
    by_device = sessions_of(ctx)
    # an egress member without a session is off the egress network, which egress-member-not-on-network says
    egress = egress_speakers(ctx.design)
    mesh = ctx.topo.underlay_mesh
    on_mesh = mesh_speakers(ctx.topo)
    for device_id, device in ctx.plan.devices.items():
        speaker = device.asn is not None or device.vnis or device.vrfs
        listening = device.bgp is not None and device.bgp.listen_ranges
        if not speaker or by_device.get(device_id) or listening or device_id in egress:
            continue
        role = "a VTEP" if device.vnis or device.vrfs else "a BGP speaker"
        yield Issue(f"{device.name} is {role} but has no BGP session: no routed link, mesh or egress "
                    "session reaches it", (device_id,),
                    f"lift the blacklist pairs of mesh {mesh.name} that cut it off" if device_id in on_mesh and mesh
                    else "cable it to a leaf or router with an unnumbered or numbered link")


@check("vtep-without-evpn-session", "error", "A VTEP has BGP sessions but none carries EVPN")
def vtep_without_evpn_session(ctx: Context) -> Iterator[Issue]:
    by_device = sessions_of(ctx)
    for device_id, found in segments_of(ctx).items():
        sessions = by_device.get(device_id, [])
        # a VTEP with no session at all is reported by device-no-uplink
        if sessions and not any(s.evpn and s.kind != "dynamic" for s in sessions):
            yield Issue(f"{ctx.name(device_id)} carries {', '.join(s.label for s in found)} but none of its BGP "
                        "sessions carries EVPN: no other VTEP learns its MACs or floods to it",
                        (device_id, *(s.element for s in found)),
                        "cable it to the fabric with an unnumbered or numbered link, or make it a mesh member")


def _ibgp_peers(ctx: Context) -> dict[str, set[str]]:
    """Each speaker's fabric (not dynamic) BGP peers, built once per lint run."""
    if "ibgp_peers" not in ctx.cache:
        peers: dict[str, set[str]] = {}
        for session in ctx.plan.sessions:
            if session.kind != "dynamic":
                peers.setdefault(session.a, set()).add(session.b)
                peers.setdefault(session.b, set()).add(session.a)
        ctx.cache["ibgp_peers"] = peers
    return ctx.cache["ibgp_peers"]


@check("ibgp-client-without-reflector", "error", "A route-reflector client has no session with a reflector")
def ibgp_client_without_reflector(ctx: Context) -> Iterator[Issue]:
    reflectors = set(ctx.design.underlay.route_reflectors)
    if ctx.plan.underlay_style != "ibgp" or not reflectors:
        return
    for device_id, peers in _ibgp_peers(ctx).items():
        if device_id not in reflectors and not peers & reflectors:
            yield Issue(f"{ctx.name(device_id)} peers only with {listing(sorted(ctx.name(p) for p in peers))}, "
                        f"none a route reflector ({', '.join(ctx.name(r) for r in sorted(reflectors))}): iBGP "
                        "does not pass on routes learned from a peer, so it learns almost nothing",
                        (device_id, *sorted(reflectors)),
                        "cable or mesh it to a reflector, or make one of its peers a reflector")


@check("ibgp-full-mesh", "warning", "Many iBGP speakers and no route reflectors")
def ibgp_full_mesh(ctx: Context) -> Iterator[Issue]:
    if ctx.plan.underlay_style != "ibgp" or ctx.design.underlay.route_reflectors:
        return
    speakers = list(_ibgp_peers(ctx))
    if len(speakers) > FULL_MESH_SPEAKERS:
        n = len(speakers)
        yield Issue(f"{n} iBGP speakers and no route reflectors: each must peer with every other, "
                    f"{n * (n - 1) // 2} sessions, and every new node touches all of them", tuple(speakers),
                    "name two route reflectors in underlay.route_reflectors")


@check("ibgp-partial-mesh", "error", "iBGP speakers without reflectors that do not all peer with each other")
def ibgp_partial_mesh(ctx: Context) -> Iterator[Issue]:
    if ctx.plan.underlay_style != "ibgp" or ctx.design.underlay.route_reflectors:
        return
    peers = _ibgp_peers(ctx)
    mesh = ctx.topo.underlay_mesh
    # a blacklisted pair of speakers cannot peer and is not expected to
    blocked = {d: others & peers.keys() for d, others in (blacklisted_peers(mesh) if mesh else {}).items()
               if d in peers}
    lacking = sorted((d for d, mine in peers.items() if len(mine) < len(peers) - 1 - len(blocked.get(d, ()))),
                     key=ctx.topo.position.__getitem__)
    if not lacking:
        return
    expected = len(peers) * (len(peers) - 1) // 2 - sum(map(len, blocked.values())) // 2
    missing = expected - sum(map(len, peers.values())) // 2
    examples: list[str] = []
    for device_id in lacking:  # a few pairs to show; counting them all would be quadratic
        for other in peers:
            if len(examples) == SHOWN:
                break
            if device_id < other and other not in peers[device_id] and other not in blocked.get(device_id, ()):
                examples.append(f"{ctx.name(device_id)}-{ctx.name(other)}")
    yield Issue(f"iBGP without route reflectors passes routes one hop only, and {missing} pair(s) of speakers "
                f"have no session: {', '.join(examples)}{' ...' if missing > len(examples) else ''}",
                tuple(lacking), "name route reflectors in underlay.route_reflectors, or use underlay.style: ebgp")


def _passes_routes_on(ctx: Context, device_id: str) -> bool:
    """Whether BGP passes a route learned from one peer on to another as a matter of course: every
    eBGP speaker does; in iBGP only a route reflector."""
    return ctx.plan.underlay_style == "ebgp" or device_id in ctx.design.underlay.route_reflectors


@check("transit-not-forwarding", "warning",
       "Parts of the fabric would learn each other's routes only through devices that do not forward")
def transit_not_forwarding(ctx: Context) -> Iterator[Issue]:
    devices = ctx.plan.devices

    def announces(device_id: str) -> bool:
        bgp = devices[device_id].bgp
        return bgp is not None and bool(bgp.networks_v4 or bgp.networks_v6)

    # a relay that does not forward: it would pass routes on, but announces only its own prefixes
    blocked = {d for d, device in devices.items() if device.bgp is not None and device.bgp.own_routes_only
               and _passes_routes_on(ctx, d)}
    relays = {d for d in devices if _passes_routes_on(ctx, d) and d not in blocked}
    islands = Groups()  # relays that forward, joined by their sessions: all inside reach each other
    for session in ctx.plan.sessions:
        if session.a in relays and session.b in relays:
            islands.join(session.a, session.b)
    # every announcer belongs to its island, or to the islands it peers with; one that peers with none
    # can reach the others only directly, so it stands alone
    served: set[str] = set()
    for session in ctx.plan.sessions:
        for one, other in ((session.a, session.b), (session.b, session.a)):
            if other in relays and one not in relays:
                served.add(one)
    part_of = {d: ("island", islands.root(d)) if d in relays else ("alone", d)
               for d in devices if announces(d) and (d in relays or d not in served)}
    joined = Groups()  # parts that only blocked relays connect
    for session in ctx.plan.sessions:
        for one, other in ((session.a, session.b), (session.b, session.a)):
            if one not in blocked:
                continue
            if other in blocked:
                joined.join(("blocked", one), ("blocked", other))
            elif other in relays:
                joined.join(("blocked", one), ("island", islands.root(other)))
            elif other in part_of:
                joined.join(("blocked", one), part_of[other])
            if one in part_of:
                joined.join(("blocked", one), part_of[one])
    members: dict = {}
    for device_id, part in part_of.items():
        members.setdefault(part, []).append(device_id)
    by_group: dict = {}
    for part in members:
        if part in joined.parent:
            by_group.setdefault(joined.root(part), []).append(part)
    through: dict = {}
    for device_id in blocked:
        if ("blocked", device_id) in joined.parent:
            through.setdefault(joined.root(("blocked", device_id)), []).append(device_id)
    # lone devices still reach each other when every pair of them has a session of its own
    lone_sessions: dict[object, set[frozenset]] = {}
    for session in ctx.plan.sessions:
        a, b = part_of.get(session.a), part_of.get(session.b)
        if a and b and a[0] == b[0] == "alone" and a in joined.parent and b in joined.parent:
            group = joined.root(a)
            if group == joined.root(b):
                lone_sessions.setdefault(group, set()).add(frozenset((session.a, session.b)))
    position = ctx.topo.position.__getitem__
    for group, parts in by_group.items():
        n = len(parts)
        everyone_peers = len(lone_sessions.get(group, ())) == n * (n - 1) // 2
        if n < 2 or (all(kind == "alone" for kind, _ in parts) and everyone_peers):
            continue
        shown = sorted(listing([ctx.name(d) for d in sorted(members[part], key=position)]) for part in parts)
        relaying = sorted(through.get(group, ()), key=position)
        ends = sorted({members[part][0] for part in parts}, key=position)
        yield Issue(f"{', '.join(shown[:-1])} and {shown[-1]} learn each other's routes only through "
                    f"{listing([ctx.name(d) for d in relaying])}, which do not forward and so announce only "
                    "their own prefixes: these cannot reach each other's loopbacks",
                    tuple(dict.fromkeys([*ends, *relaying])),
                    "connect them through devices that forward (a link between the routers, or to a spine), "
                    f"or set forwarding: true on {ctx.name(relaying[0])} to make it a transit path")

