"""The planner: a design in, every number decided out. Pure and deterministic, no I/O, no Django.

Each stage is a function that takes what earlier stages decided and returns new values; ``plan``
calls them in order and assembles the result.
"""

from __future__ import annotations

from ..spec import Design
from .addressing import plan_addressing
from .bgp import link_speakers, own_router_ids, plan_bgp, plan_sessions, speakers
from .details import InterfaceSources, replan_details
from .forwarding import plan_forwarding
from .interfaces import egress_gateways, plan_interfaces
from .kept import KeptInterfaces
from .membership import by_device
from .model import DevicePlan, LinkPlan, Plan, RackPlan
from .numbering import plan_asns, plan_segment_ids, plan_vrf_ids
from .overlay import plan_networks, plan_vnis, plan_vrfs
from .pools import Allocator
from .record import AllocationRecord
from .routed import plan_routed
from .services import apply_host_services, plan_dns, plan_egress, plan_firewall, plan_jails
from .topology import Topology
from .wireguard import KeyGen, generate_private_key, plan_meshes

__all__ = ["AllocationRecord", "InterfaceSources", "Plan", "plan", "plan_with_sources", "replan_details"]


def plan(design: Design, record: AllocationRecord | None = None, *, keygen: KeyGen = generate_private_key,
         topology: Topology | None = None, kept: KeptInterfaces | None = None) -> Plan:
    """Decide every address, ASN, MTU, VNI, session and key of ``design``.

    ``record`` is the allocation record of an earlier plan: whatever it gave to elements that still
    exist is kept. The new record is ``Plan.record``. ``keygen`` makes WireGuard private keys for
    mesh members the record has none for. ``kept``: devices' interfaces from earlier plans, reused where
    they were planned from the same inputs (the canvas plans the same design after every edit).
    """
    return plan_with_sources(design, record, keygen=keygen, topology=topology, kept=kept)[0]


def plan_with_sources(design: Design, record: AllocationRecord | None = None, *,
                      keygen: KeyGen = generate_private_key, topology: Topology | None = None,
                      kept: KeptInterfaces | None = None) -> tuple[Plan, InterfaceSources]:
    """``plan``, and what devices' interfaces were planned from, for planning some again (``replan_details``)."""
    topo = topology or Topology(design)
    alloc = Allocator(record)
    position = topo.position.__getitem__

    on_links = link_speakers(design, topo)
    bgp_devices = speakers(design, topo, on_links)
    vteps = sorted(set().union(*(net.device_ids for net in design.networks if net.vni is not None)), key=position)
    own_router_id = own_router_ids(topo)
    routed = sorted({d for d in bgp_devices if d in on_links or d not in own_router_id} | set(vteps), key=position)

    vni_numbers, vlan_numbers = plan_segment_ids(design, alloc)
    l3vnis, tables = plan_vrf_ids(design, alloc)
    asns = plan_asns(design, topo, bgp_devices, alloc)
    addressing = plan_addressing(design, topo, routed, vteps, alloc)
    networks = plan_networks(design, topo, addressing, vni_numbers, vlan_numbers)
    vnis = plan_vnis(design, networks, asns)
    vrfs = plan_vrfs(design, vnis, l3vnis, tables, asns)
    vnis_of = by_device(vnis, lambda vni: vni.vteps)
    vrfs_of = by_device(vrfs, lambda vrf: vrf.members)
    # a VRF has members only through VNI networks, so a design without one runs no EVPN at all
    evpn = bool(vnis)
    announced = _announced(design, networks)
    meshes = plan_meshes(design, topo, alloc, keygen, announced)
    routed = plan_routed(networks)
    interfaces = plan_interfaces(design, topo, addressing, networks, vnis_of, vrfs_of, routed, kept)
    router_ids = _router_ids(design, bgp_devices, addressing, meshes.overlay_v4)
    forwarding = plan_forwarding(design, set(vrfs_of), announced)
    sessions = plan_sessions(design, topo, asns, addressing, meshes.overlay_v4, evpn)
    bgp = plan_bgp(design, topo, sessions, asns, router_ids, addressing, announced, vnis_of, vrfs_of, evpn,
                   forwarding)

    devices: dict[str, DevicePlan] = {}
    # each list of VNIs (or VRFs) once: devices with the same ones share it (``by_device``)
    numbers = {id(found): [vni.vni for vni in found] for found in {id(f): f for f in vnis_of.values()}.values()}
    names = {id(found): [vrf.name for vrf in found] for found in {id(f): f for f in vrfs_of.values()}.values()}
    for device in design.devices:
        device_interfaces, interface_index = interfaces[device.id]
        devices[device.id] = DevicePlan(
            id=device.id, name=device.name, role=device.role, platform=device.platform, rack=device.rack,
            managed=device.managed, asn=asns.get(device.id), router_id=router_ids.get(device.id),
            loopback_v4=addressing.loopback_v4.get(device.id), loopback_v6=addressing.loopback_v6.get(device.id),
            vtep=addressing.vtep.get(device.id), interfaces=device_interfaces, interface_index=interface_index,
            bgp=bgp.get(device.id), wireguard=meshes.per_device.get(device.id, []),
            vnis=list(numbers.get(id(vnis_of.get(device.id)), ())),
            vrfs=list(names.get(id(vrfs_of.get(device.id)), ())),
            ip_forwarding=device.id in forwarding, routed=routed.get(device.id, []))
    egress = plan_egress(design, addressing.hosts)
    firewall = plan_firewall(design, addressing.subnets)
    apply_host_services(design, topo, devices, egress, firewall)
    management = {d: a for net in networks if net.purpose == "management" for d, a in net.host_addresses.items()}

    sources = InterfaceSources(addressing, networks, vnis_of, vrfs_of, routed, egress_gateways(design))
    return Plan(
        name=design.name, underlay_style=design.underlay.style, devices=devices,
        links=_links(design, devices, addressing.links), sessions=sessions, networks=networks, vnis=vnis,
        vrfs=vrfs, meshes=meshes.meshes, egress=egress, firewall=firewall,
        dns=plan_dns(design, devices, management, alloc), record=alloc.record, notes=alloc.notes,
        jails=plan_jails(design),
        racks={rack.id: RackPlan(rack.id, rack.name, rack.multihoming) for rack in design.racks}), sources


def _announced(design: Design, networks) -> dict[str, list[str]]:
    """Prefixes each device originates into BGP: its own node subnets and announced networks."""
    out: dict[str, list[str]] = {}
    for net, planned in zip(design.networks, networks, strict=True):
        announce = net.announce if net.announce is not None else net.scope == "node"
        if not announce:
            continue
        for attachment in net.attach:
            prefix = planned.node_subnets.get(attachment.device) or planned.subnet
            if prefix is not None and ":" not in prefix:
                out.setdefault(attachment.device, []).append(prefix)
    return out


def _router_ids(design: Design, bgp_devices: list[str], addressing, overlay_v4) -> dict[str, str]:
    out = {}
    mesh_addresses = overlay_v4.get(design.underlay.mesh, {}) if design.underlay.mesh else {}
    egress_addresses = {d: a for egress in design.egress
                        for d, a in addressing.hosts.get(egress.network, {}).items()}
    for device_id in dict.fromkeys([*bgp_devices, *addressing.loopback_v4]):
        router_id = (addressing.loopback_v4.get(device_id) or mesh_addresses.get(device_id)
                     or egress_addresses.get(device_id))
        if router_id is not None:
            out[device_id] = router_id
    return out


def _links(design: Design, devices: dict[str, DevicePlan], numbered) -> list[LinkPlan]:
    out = []
    for link in design.links:
        a = devices[link.a.device].interface(link.a.interface)
        b = devices[link.b.device].interface(link.b.interface)
        subnet, a_addr, b_addr = numbered.get(link.id, (None, None, None))
        # in the order of its fields: a fabric has tens of thousands, and keywords cost a dict each
        out.append(LinkPlan(link.id, link.kind, link.a.device, link.a.interface, link.b.device, link.b.interface,
                            a.mtu, b.mtu, a.speed, b.speed, a_addr, b_addr, subnet))
    return out
