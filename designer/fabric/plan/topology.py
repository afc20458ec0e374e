"""An index over a design: who is cabled to whom, which NICs sit under which bond or bridge."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..spec import Bond, Bridge, Design, Device, Link, Network, Nic, VlanInterface, WireguardMesh


@dataclass(slots=True)
class CableEnd:
    """The far end of the cable on a NIC: the link, and the device and interface it reaches."""

    link: Link
    peer_device: str
    peer_interface: str


@dataclass(slots=True)
class DeviceIndex:
    """One device's interfaces by name and kind, and how they are stacked and cabled."""

    device: Device
    nics: dict[str, Nic] = field(default_factory=dict)
    bonds: dict[str, Bond] = field(default_factory=dict)
    vlans: dict[str, VlanInterface] = field(default_factory=dict)
    bridges: dict[str, Bridge] = field(default_factory=dict)
    cables: dict[str, CableEnd] = field(default_factory=dict)  # NIC name -> the cable on it
    bond_of: dict[str, str] = field(default_factory=dict)  # NIC -> bond
    bridge_of: dict[str, str] = field(default_factory=dict)  # port -> bridge
    vlans_on: dict[str, list[str]] = field(default_factory=dict)  # parent -> sub-interfaces
    names: frozenset[str] = frozenset()  # every interface of its own: NICs, bonds, VLANs and bridges

    def bond_peers(self, bond: Bond) -> list[tuple[str, str]]:
        """(device, interface) at the far end of the bond's members' cables, each device once, in member order."""
        out: dict[str, str] = {}
        for member in bond.members:
            cable = self.cables.get(member)
            if cable is not None:
                out.setdefault(cable.peer_device, cable.peer_interface)
        return list(out.items())

    def kind(self, name: str) -> str | None:
        if name in self.nics:
            return "nic"
        if name in self.bonds:
            return "bond"
        if name in self.vlans:
            return "vlan"
        if name in self.bridges:
            return "bridge"
        return None

    def physical(self, name: str) -> list[str]:
        """The NICs under an interface: a bridge's ports, a VLAN's parent, a bond's members."""
        if name in self.nics:
            return [name]
        if name in self.bonds:
            return list(self.bonds[name].members)
        if name in self.vlans:
            return self.physical(self.vlans[name].parent)
        if name in self.bridges:
            return [nic for port in self.bridges[name].ports for nic in self.physical(port)]
        return []


class Topology:
    """Read-only lookups over a ``Design`` that every planning stage and check shares."""

    def __init__(self, design: Design):
        self.devices: dict[str, DeviceIndex] = {}
        # device id -> its place in the document: the order plans and findings list devices in
        self.position: dict[str, int] = {}
        for position, device in enumerate(design.devices):
            self.devices[device.id] = _device_index(device)
            self.position[device.id] = position
        for link in design.links:
            for end, other in ((link.a, link.b), (link.b, link.a)):
                self.devices[end.device].cables.setdefault(
                    end.interface, CableEnd(link, other.device, other.interface))
        self._read_design(design)

    def _read_design(self, design: Design) -> None:
        self.design = design
        self.names: dict[str, str] = {device.id: device.name for device in design.devices}  # device id -> its name
        self.networks: dict[str, Network] = {network.id: network for network in design.networks}
        self.rack_multihoming = {rack.id: rack.multihoming for rack in design.racks}
        # (device, bond) for every bond that runs BGP with the routers at its members' far ends
        self.bgp_bonds: list[tuple[str, Bond]] = [(device.id, bond) for device in design.devices
                                                  for bond in device.bonds if bond.bgp is not None]
        self.underlay_mesh: WireguardMesh | None = next(
            (mesh for mesh in design.wireguard if mesh.id == design.underlay.mesh), None)

    def after_details(self, design: Design, devices: set[str], links: set[str]) -> Topology:
        """The topology of ``design``, which differs from this one's only in details of ``devices`` and ``links``
        (see ``designer.fabric.changes``; ``devices`` holds the ends of ``links``): who is cabled to whom stays."""
        out = object.__new__(Topology)
        out.devices = dict(self.devices)
        out.position = self.position
        new_links = {link.id: link for link in design.links if link.id in links} if links else {}
        for device_id in devices:
            index = _device_index(design.devices[self.position[device_id]])
            index.cables = {nic: CableEnd(new_links[cable.link.id], cable.peer_device, cable.peer_interface)
                            if cable.link.id in new_links else cable
                            for nic, cable in self.devices[device_id].cables.items()}
            out.devices[device_id] = index
        out._read_design(design)
        return out

    def device(self, device_id: str) -> Device:
        return self.devices[device_id].device

    def name(self, device_id: str) -> str:
        return self.names[device_id]


def _device_index(device: Device) -> DeviceIndex:
    """A device's own interfaces indexed (its cables come from the links)."""
    index = DeviceIndex(device)
    index.nics = {nic.name: nic for nic in device.nics}
    index.bonds = {bond.name: bond for bond in device.bonds}
    index.vlans = {vlan.ifname: vlan for vlan in device.vlans}
    index.bridges = {bridge.name: bridge for bridge in device.bridges}
    for bond in device.bonds:
        for member in bond.members:
            index.bond_of[member] = bond.name
    for bridge in device.bridges:
        for port in bridge.ports:
            index.bridge_of[port] = bridge.name
    for vlan in device.vlans:
        index.vlans_on.setdefault(vlan.parent, []).append(vlan.ifname)
    index.names = frozenset((*index.nics, *index.bonds, *index.vlans, *index.bridges))
    return index
