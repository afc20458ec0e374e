"""The overlay view: VRFs over VNIs and other segments over the VTEPs that carry them, and WireGuard meshes.

A big fabric would need thousands of VNI-to-VTEP edges, which no one can read and Graphviz lays out
slowly; past a budget the view aggregates instead: first VNIs carried by exactly the same VTEPs
become one box, then, if that is still too many, VTEPs become one box per rack.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import graphviz

from ..plan.model import DevicePlan, Plan
from .segments import (
    LAN_COLOUR,
    MESH_COLOUR,
    SEGMENT_COLOURS,
    VNI_COLOUR,
    VRF_COLOUR,
    Segment,
    overlay_facts,
    overlay_of,
)
from .selection import Selection
from .style import (
    MUTED,
    Key,
    box,
    device_subtitle,
    header_cell,
    new_graph,
    place_devices,
    role_colour,
    role_legend,
    small,
    text,
)

EDGE_BUDGET = 400  # segment-to-device edges drawn one by one; past it, the view aggregates
TUNNEL_BUDGET = 60  # WireGuard tunnels drawn one by one; past it, the mesh box gives their count
SEGMENT_KEYS = {"vni": Key("VNI (VXLAN)", VNI_COLOUR), "lan": Key("VLAN / LAN", LAN_COLOUR),
                "mesh": Key("WireGuard mesh", MESH_COLOUR)}
NAMES_SHOWN = 6


def overlay_graph(plan: Plan, selection: Selection) -> graphviz.Graph:
    overlay = overlay_of(plan, selection)
    segments, notes = overlay.segments, []
    if edge_count(segments) > EDGE_BUDGET:
        segments = merge_alike(segments)
        notes.append("VNIs carried by the same VTEPs are drawn as one box")
    by_rack = edge_count(segments) > EDGE_BUDGET
    if by_rack:
        notes.append("VTEPs are drawn as one box per rack")
    carried = {device_id for segment in segments for device_id in segment.members}
    carriers = [device for device in plan.devices.values() if device.id in carried]
    tunnels = overlay.tunnels if len(overlay.tunnels) <= TUNNEL_BUDGET and not by_rack else []
    if overlay.tunnels and not tunnels:
        notes.append("WireGuard tunnels are counted in the mesh box")

    legend = [*([Key("VRF", VRF_COLOUR)] if overlay.vrfs else []),
              *dict.fromkeys(SEGMENT_KEYS[s.kind] for s in segments), *role_legend(carriers)]
    if tunnels:
        legend.append(Key("WireGuard tunnel", MESH_COLOUR, "bold"))
    view = f"overlay · {selection.focus}" if selection.focus else "overlay"
    if not segments and not overlay.vrfs:
        notes.append("this design has no VNI, VRF, VLAN or WireGuard mesh")
    graph = new_graph(plan, view, legend, note="; ".join(notes))

    for node, label in overlay.vrfs.items():
        graph.node(node, label=label)
    with graph.subgraph() as row:
        row.attr(rank="same")
        for segment in segments:
            row.node(segment.node, label=segment.label)
        keep_in_order(row, [segment.node for segment in segments])
    for segment in segments:
        if segment.vrf is not None:
            graph.edge(segment.vrf, segment.node, color=VRF_COLOUR, penwidth="1.6", **{"class": "vrf"})
    if by_rack:
        draw_racks(graph, plan, segments, carriers)
    else:
        place_devices(graph, carriers, lambda device: carrier_label(device, segments), level=lambda _: 0,
                      racks=plan.racks)
        for segment in segments:
            for device_id in segment.members:
                graph.edge(segment.node, plan.devices[device_id].name, color=SEGMENT_COLOURS[segment.kind],
                           **{"class": f"carries {segment.kind}"})
    for a, b in tunnels:
        graph.edge(plan.devices[a].name, plan.devices[b].name, color=MESH_COLOUR, penwidth="2",
                   constraint="false", tooltip=f"WireGuard {plan.devices[a].name} ↔ {plan.devices[b].name}",
                   **{"class": "tunnel"})
    if not selection.focus:
        others = [device for device in plan.devices.values() if device.id not in carried]
        if others:
            graph.node("underlay only", label=underlay_only_label(others))
            # Hung below the last carrier (or segment), so the box sits under the overlay, not beside it.
            above = f"rack {carriers[-1].rack or 'no rack'}" if by_rack else (
                carriers[-1].name if carriers else (segments[-1].node if segments else None))
            if above is not None:
                graph.edge(above, "underlay only", style="invis")
    return graph


def keep_in_order(graph: graphviz.Graph, nodes: list[str]) -> None:
    """Nodes of one rank, outside any rack frame, left to right in the order given (VNIs by number)."""
    for left, right in itertools.pairwise(nodes):
        graph.edge(left, right, style="invis")


def edge_count(segments: Sequence[Segment]) -> int:
    return sum(len(segment.members) for segment in segments)


def carrier_label(device: DevicePlan, segments: list[Segment]) -> str:
    header = header_cell(text(device.name), text(device_subtitle(device)), role_colour(device))
    return box(header, overlay_facts(device, segments), role_colour(device), dashed=not device.managed)


def merge_alike(segments: Sequence[Segment]) -> list[Segment]:
    """Segments of one kind, carried by exactly the same devices and routed in the same VRF, become one."""
    groups: dict[tuple, list[Segment]] = {}
    for segment in segments:
        groups.setdefault((segment.kind, tuple(sorted(segment.members)), segment.vrf), []).append(segment)
    return [group[0] if len(group) == 1 else merged(group) for group in groups.values()]


def merged(group: list[Segment]) -> Segment:
    first = group[0]
    numbers = sorted(n for segment in group for n in segment.numbers)
    names = [name for segment in group for name in segment.names]
    shown = ", ".join(names[:NAMES_SHOWN]) + (f" and {len(names) - NAMES_SHOWN} more" if len(names) > NAMES_SHOWN
                                              else "")
    what = {"vni": "VNIs", "lan": "networks", "mesh": "meshes"}[first.kind]
    title = f"{len(group)} {what}"
    subtitle = f"{numbers[0]}–{numbers[-1]}" if numbers else ""
    lines = [small(text(shown)), text(f"each on the same {len(first.members)} devices")]
    colour = SEGMENT_COLOURS[first.kind]
    return Segment(node=f"{first.node} and {len(group) - 1} more", short=title, kind=first.kind,
                   members=dict.fromkeys(first.members, ""), vrf=first.vrf, numbers=numbers, names=names,
                   label=box(header_cell(title, text(subtitle), colour), lines, colour))


def draw_racks(graph: graphviz.Graph, plan: Plan, segments: Sequence[Segment], carriers: list[DevicePlan]) -> None:
    """One box per rack for the devices carrying segments, an edge per segment and rack with the share."""
    racks: dict[str, list[DevicePlan]] = {}
    for device in carriers:
        racks.setdefault(device.rack or "no rack", []).append(device)
    with graph.subgraph() as row:
        row.attr(rank="same")
        for rack, devices in racks.items():
            first, last = devices[0].name, devices[-1].name
            span = first if len(devices) == 1 else f"{first} … {last}"
            colour = role_colour(devices[0])
            row.node(f"rack {rack}", label=box(header_cell(text(rack), f"{len(devices)} devices", colour),
                                               [small(text(span))], colour))
    rack_of = {device.id: device.rack or "no rack" for device in carriers}
    for segment in segments:
        counts: dict[str, int] = {}
        for device_id in segment.members:
            counts[rack_of[device_id]] = counts.get(rack_of[device_id], 0) + 1
        colour = SEGMENT_COLOURS[segment.kind]
        for rack, count in counts.items():
            share = "" if count == len(racks[rack]) else f"{count} of {len(racks[rack])}"
            graph.edge(segment.node, f"rack {rack}", label=share, color=colour, fontcolor=colour,
                       **{"class": f"carries {segment.kind}"})


def underlay_only_label(devices: list[DevicePlan]) -> str:
    """The devices that carry no segment, named in one box so the view still accounts for every device."""
    names = [device.name for device in devices]
    lines = [small(text(", ".join(names[index:index + 8])), MUTED, 10) for index in range(0, len(names), 8)]
    header = header_cell("underlay only", f"{len(names)} devices carry no segment", MUTED)
    return box(header, lines, MUTED, dashed=True)
