"""What the overlay view draws, before any layout: segments (VNIs, VLANs, meshes), VRFs, who carries each."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..plan.model import DevicePlan, MeshPlan, NetworkPlan, Plan, VniPlan, VrfPlan
from .selection import Selection, mesh_interfaces, mesh_vni
from .style import box, header_cell, small, text

VNI_COLOUR = "#0f766e"
VRF_COLOUR = "#7c3aed"
LAN_COLOUR = "#475569"
MESH_COLOUR = "#a21caf"
SEGMENT_COLOURS = {"vni": VNI_COLOUR, "lan": LAN_COLOUR, "mesh": MESH_COLOUR}


@dataclass(slots=True)
class Segment:
    """One thing devices carry: a VNI, a VLAN or LAN, or a WireGuard mesh; drawn as one node."""

    node: str  # the DOT node id; never a hostname, so it cannot clash with a device
    short: str  # how a device box refers to it: "VNI 201", "VLAN 104", the mesh's name
    kind: str  # vni, lan or mesh
    label: str
    members: dict[str, str]  # device id -> what the device has on this segment (bridge, address...)
    vrf: str | None = None  # node id of the VRF the segment routes in
    numbers: list[int] = field(default_factory=list)  # the VNIs it stands for
    names: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Overlay:
    segments: list[Segment]
    vrfs: dict[str, str]  # node id -> label
    tunnels: list[tuple[str, str]]  # WireGuard peerings as device ids, each pair once


def vrf_node(vrf: VrfPlan) -> str:
    return f"VRF {vrf.name}"


def route_targets(imports: list[str], exports: list[str]) -> str:
    if not imports and not exports:
        return "RT auto (ASN:VNI)"
    if imports == exports:
        return f"RT {' '.join(imports)}"
    return f"RT import {' '.join(imports)} · export {' '.join(exports)}"


def vni_segment(plan: Plan, segment: VniPlan, *, focus: bool) -> Segment:
    layer = f"L2 · MTU {segment.mtu}" + (f" · VLAN {segment.vlan}" if segment.vlan else "")
    lines = [text(layer)]
    if segment.subnet:
        anycast = " anycast" if segment.anycast_gateway else ""
        gateway = f" · gw {segment.gateway}{anycast}" if segment.gateway else ""
        lines.append(text(f"{segment.subnet}{gateway}"))
    bridges = sorted(set(segment.bridges.values()))
    if len(bridges) == 1:
        lines.append(text(f"bridge {bridges[0]}"))
    lines.append(small(text(route_targets(segment.route_targets_import, segment.route_targets_export))))
    members = {}
    for device_id in segment.vteps:
        address = segment.host_addresses.get(device_id, "")
        vxlan = next((i.name for i in plan.devices[device_id].interfaces if i.kind == "vxlan" and i.vni == segment.vni),
                     "") if focus else ""
        facts = [segment.bridges.get(device_id, "") if focus else "", vxlan, address]
        members[device_id] = " · ".join(fact for fact in facts if fact)
    vrf = next((vrf_node(v) for v in plan.vrfs if v.id == segment.vrf), None)
    return Segment(node=f"VNI {segment.vni}", short=f"VNI {segment.vni}", kind="vni", members=members, vrf=vrf,
                   numbers=[segment.vni], names=[segment.name],
                   label=box(header_cell(f"VNI {segment.vni}", text(segment.name), VNI_COLOUR), lines, VNI_COLOUR))


def lan_segment(network: NetworkPlan) -> Segment:
    title = f"VLAN {network.vlan}" if network.vlan else "LAN"
    lines = [text(f"{network.purpose} · {network.mode} · MTU {network.mtu}")]
    if network.subnet:
        lines.append(text(network.subnet + (f" · gw {network.gateway}" if network.gateway else "")))
    if network.node_subnets:
        lengths = sorted({prefix.split("/")[1] for prefix in network.node_subnets.values()})
        lines.append(text(f"one /{', /'.join(lengths)} per node"))
    short = title if network.vlan else network.name
    members = {}
    for device_id, interface in network.interfaces.items():
        address = network.host_addresses.get(device_id) or network.node_subnets.get(device_id, "")
        members[device_id] = " · ".join(part for part in (interface if interface != short else "", address) if part)
    return Segment(node=f"network {network.id}", short=short, kind="lan", members=members, names=[network.name],
                   label=box(header_cell(title, text(network.name), LAN_COLOUR), lines, LAN_COLOUR))


def mesh_segment(plan: Plan, mesh: MeshPlan, tunnels: list[tuple[str, str]]) -> Segment:
    """The mesh's box; ``tunnels`` are its peerings (``mesh_tunnels``)."""
    endpoints = {peer.device: peer.endpoint for _, wireguard in mesh_interfaces(plan, mesh)
                 for peer in wireguard.peers if peer.endpoint}
    size = len(mesh.members)
    peered = {frozenset(pair) for pair in tunnels}
    unpeered = [(a, b) for index, a in enumerate(mesh.members) for b in mesh.members[index + 1:]
                if frozenset((a, b)) not in peered]
    lines = [text(f"UDP {mesh.listen_port} · MTU {mesh.wireguard_mtu}"),
             text(f"full mesh of {size}: {len(tunnels)} tunnels")]
    lines += [f'<FONT COLOR="#dc2626">{text(f"not peered: {pair_names(plan, pair)}")}</FONT>'
              for pair in unpeered]
    vni = mesh_vni(plan, mesh)
    if vni is not None:
        lines.append(text(f"VXLAN VNI {vni} over it · MTU {mesh.vxlan_mtu}"))
    members = {device_id: endpoints.get(plan.devices[device_id].name, "") for device_id in mesh.members}
    return Segment(node=f"mesh {mesh.id}", short=mesh.name, kind="mesh", members=members,
                   numbers=[vni] if vni else [],
                   names=[mesh.name],
                   label=box(header_cell(f"WireGuard {text(mesh.name)}", "encrypted mesh", MESH_COLOUR), lines,
                             MESH_COLOUR))


def pair_names(plan: Plan, pair: tuple[str, str]) -> str:
    return "–".join(plan.devices[device_id].name for device_id in pair)


def vrf_label(vrf: VrfPlan) -> str:
    subtitle = (f"L3VNI {vrf.l3vni} · " if vrf.l3vni else "") + f"table {vrf.table}"
    lines = [text(f"{len(vrf.members)} VTEPs"), small(text(route_targets(vrf.route_targets_import,
                                                                           vrf.route_targets_export)))]
    return box(header_cell(f"VRF {text(vrf.name)}", text(subtitle), VRF_COLOUR), lines, VRF_COLOUR)


def mesh_tunnels(plan: Plan, mesh: MeshPlan) -> list[tuple[str, str]]:
    """The tunnels the planner gave the mesh, from its members' peers: each pair once, in member order."""
    tunnels: dict[frozenset[str], tuple[str, str]] = {}
    for device_id, wireguard in mesh_interfaces(plan, mesh):
        for peer in wireguard.peers:
            tunnels.setdefault(frozenset((device_id, peer.device)), (device_id, peer.device))
    return list(tunnels.values())


def overlay_of(plan: Plan, selection: Selection) -> Overlay:
    focus = bool(selection.focus)
    tunnels = {mesh.id: mesh_tunnels(plan, mesh) for mesh in selection.meshes}
    segments = [vni_segment(plan, segment, focus=focus) for segment in selection.vnis]
    segments += [lan_segment(network) for network in selection.lans]
    segments += [mesh_segment(plan, mesh, tunnels[mesh.id]) for mesh in selection.meshes]
    return Overlay(segments=segments, vrfs={vrf_node(vrf): vrf_label(vrf) for vrf in selection.vrfs},
                   tunnels=[pair for mesh in selection.meshes for pair in tunnels[mesh.id]])


def overlay_facts(device: DevicePlan, segments: list[Segment]) -> list[str]:
    """What a device brings to the overlay: its VTEP, its WireGuard and mesh VXLAN addresses, and what it
    has on each segment it carries (bridge, VXLAN device, address), in its own box rather than on edges."""
    lines = [text(f"VTEP {device.vtep}")] if device.vtep else []
    for wireguard in device.wireguard:
        lines.append(text(f"{wireguard.interface} {wireguard.addresses[0]}" if wireguard.addresses
                          else wireguard.interface))
        if wireguard.vxlan_interface and wireguard.vxlan_addresses:
            lines.append(text(f"{wireguard.vxlan_interface} {wireguard.vxlan_addresses[0]}"))
    for segment in segments:
        fact = segment.members.get(device.id)
        if fact:
            lines.append(f'<FONT COLOR="{SEGMENT_COLOURS[segment.kind]}">{text(segment.short)}</FONT> {text(fact)}')
    return lines
