"""The physical view: racks as frames, devices with their NICs as ports, bonds over their members, cables."""

from __future__ import annotations

from dataclasses import dataclass, field

import graphviz

from ..plan.model import DevicePlan, InterfacePlan, LinkPlan, Plan
from .style import (
    MUTED,
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

ROUTED_CABLE = "#0e7490"
LAN_CABLE = "#64748b"
BOND = "#b45309"
BOND_FILL = "#fef3c7"
IDLE_FILL = "#f1f5f9"
MISMATCH = "#dc2626"
CABLE_KEYS = {"unnumbered": Key("routed cable (BGP)", ROUTED_CABLE, "solid"),
              "numbered": Key("routed cable (BGP)", ROUTED_CABLE, "solid"),
              "lan": Key("L2 cable", LAN_CABLE, "solid"),
              "bond": Key("bond member (dashed: standby)", BOND, "bold")}


@dataclass(slots=True)
class Side:
    """The NICs along one edge of a device box: uplinks on top, the rest below."""

    ports: list[InterfacePlan] = field(default_factory=list)
    bonds: list[InterfacePlan] = field(default_factory=list)


def physical_graph(plan: Plan) -> graphviz.Graph:
    devices = list(plan.devices.values())
    by_name = {device.name: device for device in devices}
    is_crowded = crowded(len(plan.links))
    cables = [cable(plan, link, is_crowded=is_crowded) for link in plan.links]
    legend = [*role_legend(devices), *dict.fromkeys(drawn.key for drawn in cables)]
    note = (f"cables by speed · MTU: {tally(drawn.facts for drawn in cables)}; a bond spans its member ports"
            if is_crowded else "cables: speed · MTU; a bond spans its member ports")
    graph = new_graph(plan, "physical", legend, note=note, is_crowded=is_crowded)
    place_devices(graph, devices, lambda device: device_label(device, by_name), racks=plan.racks)
    for drawn in cables:
        graph.edge(drawn.tail, drawn.head, **drawn.attributes)
    return graph


def sides(device: DevicePlan, by_name: dict[str, DevicePlan]) -> tuple[Side, Side]:
    """Split the NICs into those cabled to a higher tier (top) and the rest (bottom), bonds kept whole."""
    up, down = Side(), Side()
    nics = [iface for iface in device.interfaces if iface.kind == "nic"]
    bonds = {iface.name: iface for iface in device.interfaces if iface.kind == "bond"}

    def goes_up(nic: InterfacePlan) -> bool:
        peer = by_name.get(nic.peer.split(":", 1)[0]) if nic.peer else None
        return peer is not None and tier(peer) < tier(device)

    placed: set[str] = set()
    for nic in nics:
        if nic.name in placed:
            continue
        bond = bonds.get(nic.master or "")
        group = [device.interface(member) for member in bond.members] if bond else [nic]
        group = [member for member in group if member is not None]
        side = up if any(goes_up(member) for member in group) else down
        side.ports += group
        if bond is not None:
            side.bonds.append(bond)
        placed.update(member.name for member in group)
    return up, down


def device_label(device: DevicePlan, by_name: dict[str, DevicePlan]) -> str:
    up, down = sides(device, by_name)
    header = header_cell(text(device.name), text(device_subtitle(device)), role_colour(device))
    return box(header, [], role_colour(device), dashed=not device.managed,
               above=[port_cells(up), bond_cells(up)], below=[bond_cells(down), port_cells(down)])


def port_cells(side: Side) -> list[str]:
    bonded = {member for bond in side.bonds for member in bond.members}
    return [port_cell(port, port.name in bonded) for port in side.ports]


def port_cell(port: InterfacePlan, bonded: bool) -> str:
    facts = " ".join(part for part in (port.speed, port.role) if part)
    fill = BOND_FILL if bonded else ("white" if port.peer else IDLE_FILL)
    name = text(port.name) if port.peer else f'<FONT COLOR="{MUTED}">{text(port.name)}</FONT>'
    detail = f"<BR/>{small(text(facts), size=8)}" if facts else ""
    return f'<TD PORT="{text(port.name)}" BGCOLOR="{fill}" COLOR="{MUTED}">{name}{detail}</TD>'


def bond_cells(side: Side) -> list[str]:
    """A cell over each bond's members naming the bond and its mode; blank cells beside lone NICs."""
    if not side.bonds:
        return []
    cells = []
    index = 0
    while index < len(side.ports):
        bond = next((b for b in side.bonds if side.ports[index].name in b.members), None)
        if bond is None:
            cells.append('<TD BORDER="0"></TD>')
            index += 1
            continue
        span = len([port for port in side.ports if port.name in bond.members])
        cells.append(f'<TD COLSPAN="{span}" PORT="{text(bond.name)}" BGCOLOR="{BOND_FILL}" COLOR="{BOND}" '
                     f'CELLPADDING="2"><FONT COLOR="{BOND}"><B>{text(bond.name)}</B> {text(bond_mode(bond))}'
                     f'</FONT></TD>')
        index += span
    return cells


def bond_mode(bond: InterfacePlan) -> str:
    """The mode as people say it, with what changes its behaviour: hashing, LACP rate, primary."""
    details = [bond.bond_mode or ""]
    if bond.xmit_hash_policy:
        details.append(bond.xmit_hash_policy)
    if bond.lacp_rate:
        details.append(f"lacp {bond.lacp_rate}")
    if bond.primary:
        details.append(f"primary {bond.primary}")
    return " · ".join(details)


@dataclass(frozen=True, slots=True)
class Cable:
    tail: str
    head: str
    attributes: dict[str, str]
    key: Key
    facts: str


def cable(plan: Plan, link: LinkPlan, *, is_crowded: bool) -> Cable:
    """One cable as an edge from the upper device's port down to the lower one's, with its facts."""
    a, b = plan.devices[link.a_device], plan.devices[link.b_device]
    ends = [(a, link.a_interface), (b, link.b_interface)]
    if tier(b) < tier(a):
        ends.reverse()  # the upper device is the tail, so dot ranks the cable downwards
    (upper, upper_port), (lower, lower_port) = ends
    vertical = tier(upper) != tier(lower)
    tail = f"{upper.name}:{upper_port}" + (":s" if vertical else "")
    head = f"{lower.name}:{lower_port}" + (":n" if vertical else "")
    bond, member = bond_of(a, link.a_interface) or bond_of(b, link.b_interface) or (None, "")
    colour = BOND if bond else (LAN_CABLE if link.kind == "lan" else ROUTED_CABLE)
    mtu = str(link.a_mtu) if link.a_mtu == link.b_mtu else f"{link.a_mtu}/{link.b_mtu}"
    facts = " · ".join(fact for fact in (link.a_speed or link.b_speed or "", mtu) if fact)
    label = " · ".join(fact for fact in (bond.name if bond else "", facts, link.subnet or "") if fact)
    # An active-backup bond carries traffic on its primary alone: the standby cable is drawn dashed.
    standby = bond is not None and bond.primary is not None and bond.primary != member
    attributes = {**edge_text(label, link.id, is_crowded=is_crowded), "color": colour,
                  "fontcolor": MISMATCH if link.a_mtu != link.b_mtu else colour,
                  "penwidth": "1.6" if bond else "1.2", "style": "dashed" if standby else "solid",
                  "class": f"cable {link.kind}" + (f" bond {bond.name}" if bond else "")}
    return Cable(tail, head, attributes, CABLE_KEYS["bond" if bond else link.kind], facts)


def bond_of(device: DevicePlan, nic_name: str) -> tuple[InterfacePlan, str] | None:
    """The bond this NIC is a member of, with the NIC's name."""
    nic = device.interface(nic_name)
    master = device.interface(nic.master) if nic and nic.master else None
    return (master, nic_name) if master is not None and master.kind == "bond" else None
