"""BGP: who peers with whom and how (unnumbered, numbered, iBGP with route reflectors, dynamic)."""

from __future__ import annotations

from ..spec import Design
from .addressing import Addressing
from .model import BgpPlan, BgpSession, BgpVrf, EvpnVni, ListenRange, Neighbor, PeerGroup, VniPlan, VrfPlan
from .topology import Topology
from .wireguard import blacklisted_peers

ECMP_PATHS = 64


def link_speakers(design: Design, topo: Topology) -> set[str]:
    """Devices that peer over their cabling: routed links, and bonds running BGP with their far ends."""
    found = {end.device for link in design.links if link.kind != "lan" for end in (link.a, link.b)}
    for device_id, bond in topo.bgp_bonds:
        found.add(device_id)
        found.update(peer for peer, _ in topo.devices[device_id].bond_peers(bond))
    return found


def mesh_speakers(topo: Topology) -> set[str]:
    mesh = topo.underlay_mesh
    return {member.device for member in mesh.members} if mesh else set()


def egress_speakers(design: Design) -> set[str]:
    return {d for egress in design.egress for d in (*egress.gateways, *egress.clients)}


def speakers(design: Design, topo: Topology, on_links: set[str]) -> list[str]:
    """Every device that runs BGP, in document order; ``on_links`` are the ``link_speakers``."""
    found = on_links | mesh_speakers(topo) | egress_speakers(design)
    return sorted(found, key=topo.position.__getitem__)


def own_router_ids(topo: Topology) -> set[str]:
    """Mesh and egress speakers that can take their router-id from an address they already have."""
    design = topo.design
    out = mesh_speakers(topo) if design.pools.wireguard_v4 else set()
    for egress in design.egress:
        members = {*egress.gateways, *egress.clients}
        net = topo.networks[egress.network]
        out.update(attachment.device for attachment in net.attach
                   if attachment.device in members and (attachment.address or net.wants_host_addresses))
    return out


def plan_sessions(design: Design, topo: Topology, asns: dict[str, int], addressing: Addressing,
                  mesh_overlay: dict[str, dict[str, str]], evpn: bool) -> list[BgpSession]:
    """Every BGP session; ``evpn`` says whether the fabric sessions carry EVPN too."""
    sessions: list[BgpSession] = []
    style = design.underlay.style
    reflectors = set(design.underlay.route_reflectors)

    def ibgp_kind(a: str, b: str) -> str:
        return "rr-client" if (a in reflectors) != (b in reflectors) else "ibgp"

    for link in design.links:
        if link.kind == "lan":
            continue
        a, b = link.a.device, link.b.device
        kind = link.kind if style == "ebgp" else ibgp_kind(a, b)
        if link.kind == "numbered":
            _, a_addr, b_addr = addressing.links[link.id]
            a_peer, b_peer = b_addr, a_addr
        else:
            a_peer, b_peer = link.a.interface, link.b.interface
        # a fabric has tens of thousands: keywords cost a dict each, made and read again
        sessions.append(BgpSession(link.id, kind, a, b, a_peer, b_peer, asns[a], asns[b], evpn, link=link.id,
                                   interface=link.kind == "unnumbered"))

    for device_id, bond in topo.bgp_bonds:
        peers = topo.devices[device_id].bond_peers(bond)
        numbered = addressing.bonds.get((device_id, bond.name))
        for i, (peer, peer_interface) in enumerate(peers):
            kind = bond.bgp if style == "ebgp" else ibgp_kind(device_id, peer)
            if numbered is not None:
                _, addresses = numbered
                a_peer, b_peer = addresses[i + 1], addresses[0]
            else:
                a_peer, b_peer = bond.name, peer_interface
            sessions.append(BgpSession(id=f"{device_id}:{bond.name}:{peer}", kind=kind, a=device_id, b=peer,
                                       a_peer=a_peer, b_peer=b_peer, a_asn=asns[device_id], b_asn=asns[peer],
                                       evpn=evpn, interface=numbered is None))

    mesh = topo.underlay_mesh
    if mesh is not None:
        overlay = mesh_overlay.get(mesh.id, {})
        blocked = blacklisted_peers(mesh)
        members = [m.device for m in mesh.members if m.device in overlay]
        for i, a in enumerate(members):
            unreachable = blocked.get(a, set())
            for b in members[i + 1:]:
                if b in unreachable:
                    continue
                if style == "ibgp" and reflectors and a not in reflectors and b not in reflectors:
                    continue  # clients learn each other's routes from the reflectors
                kind = "ebgp" if style == "ebgp" else ibgp_kind(a, b)
                sessions.append(BgpSession(id=f"{mesh.id}:{a}:{b}", kind=kind, a=a, b=b, a_peer=overlay[b],
                                           b_peer=overlay[a], a_asn=asns[a], b_asn=asns[b], evpn=evpn))

    for egress in design.egress:
        hosts = addressing.hosts.get(egress.network, {})
        for client in egress.clients:
            for gateway in egress.gateways:
                if client in hosts and gateway in hosts:
                    sessions.append(BgpSession(
                        id=f"{egress.id}:{client}:{gateway}", kind="dynamic", a=client, b=gateway,
                        a_peer=hosts[gateway], b_peer=hosts[client], a_asn=asns[client], b_asn=asns[gateway],
                        evpn=False))
    return sessions


def plan_bgp(design: Design, topo: Topology, sessions: list[BgpSession], asns: dict[str, int],
             router_ids: dict[str, str], addressing: Addressing, announced: dict[str, list[str]],
             vnis_by_device: dict[str, list[VniPlan]], vrfs_by_device: dict[str, list[VrfPlan]],
             evpn_fabric: bool, forwarding: set[str]) -> dict[str, BgpPlan]:
    """Each speaker's BGP: peer groups, neighbours, listen ranges, originated prefixes, EVPN and VRFs.

    A speaker that does not forward (not in ``forwarding``) announces its own prefixes only: passing on
    a route learned from one peer to another would make it their next hop and drop the traffic.
    """
    underlay = design.underlay
    group = underlay.peer_group
    remote = "external" if underlay.style == "ebgp" else "internal"
    reflectors = set(underlay.route_reflectors)
    ipv6 = design.pools.loopback_v6 is not None
    link_based = design.underlay.mesh is None
    plans: dict[str, BgpPlan] = {}
    groups: dict[str, dict[str, PeerGroup]] = {}
    sessions_of: dict[str, int] = {}

    def peer_group(device_id: str, name: str, remote_as: str, flags: tuple[str, ...] = ()) -> str:
        """The group ``name`` of ``device_id`` (its BGP planned with its first), doing what ``flags`` say too."""
        found = groups.get(device_id)
        if found is None:
            plans[device_id] = BgpPlan(asn=asns[device_id], router_id=router_ids[device_id],
                                       connect_retry=underlay.connect_retry)
            found = groups[device_id] = {}
        peers = found.get(name)
        if peers is None:
            peers = found[name] = PeerGroup(name=name, remote_as=remote_as)
        for flag in flags:  # a group does what any of its sessions needs
            setattr(peers, flag, True)
        return name

    # the flags of a fabric session's group, by whether the session runs over an interface (unnumbered)
    fabric_flags = {over: (*(("evpn",) if evpn_fabric else ()), *(("ipv6",) if ipv6 and over else ()))
                    for over in (False, True)}
    client_flags = {over: ("route_reflector_client", *(("next_hop_self",) if link_based else ()), *flags)
                    for over, flags in fabric_flags.items()}
    fabric_members = {d for s in sessions if s.kind != "dynamic" for d in (s.a, s.b)}
    names = topo.names
    for session in sessions:
        sides = ((session.a, session.a_peer, session.b), (session.b, session.b_peer, session.a))
        for device_id, peer, other in sides:
            if session.kind == "dynamic":
                if device_id != session.a:
                    continue  # the gateway side listens on a range instead
                name = group if device_id not in fabric_members else f"{group}-egress"
                pg = peer_group(device_id, name, "external")
            elif device_id in reflectors and other not in reflectors and underlay.style == "ibgp":
                pg = peer_group(device_id, f"{group}-clients", "internal", client_flags[session.interface])
            else:
                pg = peer_group(device_id, group, remote, fabric_flags[session.interface])
            # peer, interface, peer group, description, session: a fabric has tens of thousands
            plans[device_id].neighbors.append(Neighbor(peer, session.interface, pg, names[other], session.id))
            sessions_of[device_id] = sessions_of.get(device_id, 0) + 1

    for egress in design.egress:
        for gateway in egress.gateways:
            name = group if gateway not in fabric_members else f"{group}-egress"
            pg = peer_group(gateway, name, "external", ("default_originate",))
            plans[gateway].listen_ranges.append(ListenRange(prefix=egress.listen_range, peer_group=pg))
            sessions_of[gateway] = sessions_of.get(gateway, 0) + len(egress.clients)

    explicit: dict[int, list[VniPlan]] = {}  # by the id of a device's list of VNIs: those with explicit targets
    for device_id, plan in plans.items():
        plan.peer_groups = list(groups[device_id].values())
        if device_id not in forwarding:
            for pg in plan.peer_groups:
                # reflecting with the next hop untouched keeps the reflector off the path
                pg.own_routes_only = not (pg.route_reflector_client and not pg.next_hop_self)
            plan.own_routes_only = any(pg.own_routes_only for pg in plan.peer_groups)
        loopback = addressing.loopback_prefixes(device_id)
        plan.networks_v4 = [p for p in loopback if ":" not in p] + announced.get(device_id, [])
        plan.networks_v6 = [p for p in loopback if ":" in p]
        plan.evpn = evpn_fabric and device_id in fabric_members
        device_vnis = vnis_by_device.get(device_id, ())
        # a VRF's members are the VTEPs of its networks, so a VRF member is a VTEP already
        plan.advertise_all_vni = bool(device_vnis)
        if id(device_vnis) not in explicit:  # VTEPs with the same VNIs share the list (``membership``)
            explicit[id(device_vnis)] = [vni for vni in device_vnis if vni.explicit_route_targets]
        plan.evpn_vnis = [EvpnVni(vni.vni, vni.route_targets_import, vni.route_targets_export)
                          for vni in explicit[id(device_vnis)]]
        plan.vrfs = [BgpVrf(vrf.name, vrf.l3vni, vrf.route_targets_import, vrf.route_targets_export,
                            networks_v4=[vni.subnet for vni in device_vnis
                                         if vni.vrf == vrf.id and vni.subnet and ":" not in vni.subnet])
                     for vrf in vrfs_by_device.get(device_id, [])]
        if sessions_of.get(device_id, 0) > 1:
            plan.maximum_paths = ECMP_PATHS
            plan.multipath_relax = underlay.style == "ebgp"
    return plans
