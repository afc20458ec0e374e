"""The EVPN overlay: which VTEP carries which VNI on which bridge, VRFs and their route targets."""

from __future__ import annotations

from ..spec import Design, Network
from .addressing import Addressing
from .model import NetworkPlan, VniPlan, VrfPlan
from .topology import Topology

VXLAN_OVERHEAD_V4 = 50
VXLAN_PORT = 4789  # the IANA port, and ifupdown2's default: the planned VXLAN devices all use it


def tenant_mtu(design: Design) -> int:
    """The MTU tenant frames get when the design does not say: what the underlay can carry."""
    return design.mtu.tenant or design.mtu.underlay - VXLAN_OVERHEAD_V4


def vni_bridge_name(design: Design, topo: Topology, device_id: str, vni: int, given: str | None) -> str:
    if given:
        return given
    return f"vmbr{vni}" if topo.device(device_id).platform == "proxmox" else f"br{vni}"


def auto_route_target(asn: int, vni: int) -> str:
    """The route target FRR derives on its own: a 4-byte ASN keeps only its low 16 bits."""
    return f"{asn & 0xFFFF if asn > 65535 else asn}:{vni}"


def _route_targets(explicit, asns: dict[str, int], members: list[str], vni: int,
                   clashes: dict[tuple[str, ...], int | None]) -> tuple[list, list, bool]:
    """``clashes``: ``_clashing_asns`` by segments' members, filled in as segments are planned (a large fabric
    has many VNIs on the same thousands of VTEPs)."""
    if explicit is not None and (explicit.import_ or explicit.export):
        imports = list(explicit.import_ or explicit.export)
        exports = list(explicit.export or explicit.import_)
        return imports, exports, True
    if (key := tuple(members)) not in clashes:
        clashes[key] = _clashing_asns(asns, members)
    if (clash := clashes[key]) is not None:
        # Two ASNs share their low 16 bits, so FRR's derived targets would no longer tell them
        # apart: say the target outright, the same on every VTEP.
        target = auto_route_target(clash, vni)
        return [target], [target], True
    return [], [], False


def _clashing_asns(asns: dict[str, int], members: list[str]) -> int | None:
    """The smallest of the members' ASNs when two of them share their low 16 bits, else None."""
    distinct_asns = set(map(asns.get, members))
    distinct_asns.discard(None)
    if len({asn & 0xFFFF for asn in distinct_asns}) < len(distinct_asns):
        return min(distinct_asns)
    return None


def plan_networks(design: Design, topo: Topology, addressing: Addressing, vnis: dict[str, int],
                  vlans: dict[str, int]) -> list[NetworkPlan]:
    out = []
    platforms = {device.id: device.platform for device in design.devices}
    for net in design.networks:
        vni = vnis.get(net.id)
        out.append(NetworkPlan(
            id=net.id, name=net.name, purpose=net.purpose, mode=net.mode, scope=net.scope,
            vni=vnis.get(net.id), vlan=vlans.get(net.id), vrf=net.vrf,
            subnet=addressing.subnets.get(net.id), gateway=addressing.gateways.get(net.id),
            anycast_gateway=net.anycast_gateway,
            mtu=net.mtu or (tenant_mtu(design) if net.id in vnis else design.mtu.default),
            node_subnets=addressing.node_subnets.get(net.id, {}),
            host_addresses=addressing.hosts.get(net.id, {}),
            interfaces=_attached_interfaces(design, topo, net, vni, platforms)))
    return out


def _attached_interfaces(design: Design, topo: Topology, net: Network, vni: int | None,
                         platforms: dict[str, str]) -> dict[str, str]:
    """Device -> the interface ``net`` is on there: the one its attachment names, else the VNI's bridge."""
    device_ids = net.device_ids
    if vni is not None and not net.names_interfaces and len(set(map(platforms.__getitem__, device_ids))) == 1:
        # the usual VNI, a large fabric's on thousands of devices of one platform: one bridge name for all
        return dict.fromkeys(device_ids, vni_bridge_name(design, topo, device_ids[0], vni, net.bridge))
    interfaces = {}
    bridges: dict[str, str] = {}  # platform -> the VNI's bridge there: one name per platform, not per device
    for attachment in net.attach:
        device_id = attachment.device
        if attachment.interface is not None:
            interfaces[device_id] = attachment.interface
        elif vni is not None:
            bridge = bridges.get(platforms[device_id])
            if bridge is None:
                bridge = bridges[platforms[device_id]] = vni_bridge_name(design, topo, device_id, vni, net.bridge)
            interfaces[device_id] = bridge
    return interfaces


def plan_vnis(design: Design, networks: list[NetworkPlan], asns: dict[str, int]) -> list[VniPlan]:
    out = []
    clashes: dict[tuple[str, ...], int | None] = {}
    for net, planned in zip(design.networks, networks, strict=True):
        if planned.vni is None:
            continue
        vteps = list(planned.interfaces)  # every device attached, once: a VNI's are all on an interface
        imports, exports, explicit = _route_targets(net.route_targets, asns, vteps, planned.vni, clashes)
        out.append(VniPlan(
            network=net.id, name=net.name, vni=planned.vni, vlan=planned.vlan, vrf=net.vrf,
            subnet=planned.subnet, gateway=planned.gateway, anycast_gateway=net.anycast_gateway,
            mtu=planned.mtu, vteps=vteps, host_addresses=planned.host_addresses,
            bridges=planned.interfaces,  # the network's, as its host addresses are: plans are not changed
            route_targets_import=imports, route_targets_export=exports, explicit_route_targets=explicit))
    return out


def plan_vrfs(design: Design, vnis: list[VniPlan], l3vnis: dict[str, int], tables: dict[str, int],
              asns: dict[str, int]) -> list[VrfPlan]:
    out = []
    clashes: dict[tuple[str, ...], int | None] = {}
    for vrf in design.vrfs:
        members = list(dict.fromkeys(d for vni in vnis if vni.vrf == vrf.id for d in vni.vteps))
        l3vni = l3vnis.get(vrf.id)
        imports, exports = [], []
        if l3vni is not None:
            imports, exports, _ = _route_targets(vrf.route_targets, asns, members, l3vni, clashes)
        out.append(VrfPlan(id=vrf.id, name=vrf.name, l3vni=l3vni, table=tables[vrf.id], members=members,
                           route_targets_import=imports, route_targets_export=exports))
    return out
