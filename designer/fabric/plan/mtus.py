"""The MTU of each interface of a device, with the reason, decided end to end: cables, members, parents, networks."""

from __future__ import annotations

from ..spec import Design, Nic
from .topology import CableEnd, DeviceIndex


class Mtus:
    """MTU of each interface of one device, with the reason, following members and parents."""

    def __init__(self, design: Design, index: DeviceIndex, carried: dict[str, int]):
        self.policy = design.mtu
        self.index = index
        self.carried = carried  # interface -> the largest MTU a network on it asks for
        self.cache: dict[str, tuple[int, str]] = {}

    def of(self, name: str) -> tuple[int, str]:
        found = self.cache.get(name)
        if found is None:
            nic = self.index.nics.get(name)
            if nic is not None:
                return self.nic(nic)
            found = self.cache[name] = getattr(self, f"_{self.index.kind(name)}")(name)
        return found

    def nic(self, nic: Nic) -> tuple[int, str]:
        """``of`` one of the device's NICs, given itself: most of a fabric's interfaces are NICs."""
        name = nic.name
        found = self.cache.get(name)
        if found is not None:
            return found
        if nic.mtu is not None:
            found = nic.mtu, "set on the NIC"
        elif (bond := self.index.bond_of.get(name)) is not None:
            found = self.of(bond)[0], f"member of {bond}"
        else:
            found = (self._from_cable(self.index.cables.get(name)) or self._carried(name) or self._uplink(name)
                     or (self.policy.default, "default MTU"))
        self.cache[name] = found
        return found

    def _from_cable(self, cable: CableEnd | None) -> tuple[int, str] | None:
        if cable is None:
            return None
        if cable.link.mtu is not None:
            return cable.link.mtu, f"set on link {cable.link.id}"
        if cable.link.kind != "lan":
            return self.policy.underlay, "underlay MTU (routed link)"
        return None

    def _uplink(self, name: str) -> tuple[int, str] | None:
        if self.index.nics[name].role == "uplink":
            return self.policy.underlay, "underlay MTU (uplink not cabled yet)"
        return None

    def _carried(self, name: str) -> tuple[int, str] | None:
        mtu = self.carried.get(name)
        return (mtu, "carries a network of that MTU") if mtu else None

    def _bond(self, name: str) -> tuple[int, str]:
        bond = self.index.bonds[name]
        if bond.mtu is not None:
            return bond.mtu, "set on the bond"
        if bond.bgp is not None:
            return self.policy.underlay, "underlay MTU (BGP over the bond)"
        explicit = [self.index.nics[m].mtu for m in bond.members if self.index.nics[m].mtu]
        if explicit:
            return max(explicit), "largest member MTU"
        for member in bond.members:
            found = self._from_cable(self.index.cables.get(member))
            if found:
                return found
        return (self._carried(name) or next(filter(None, map(self._uplink, bond.members)), None)
                or (self.policy.default, "default MTU"))

    def _vlan(self, name: str) -> tuple[int, str]:
        vlan = self.index.vlans[name]
        if vlan.mtu is not None:
            return vlan.mtu, "set on the VLAN interface"
        mtu, _ = self.of(vlan.parent)
        return mtu, f"follows {vlan.parent}"

    def _bridge(self, name: str) -> tuple[int, str]:
        bridge = self.index.bridges[name]
        if bridge.mtu is not None:
            return bridge.mtu, "set on the bridge"
        if bridge.ports:
            mtu = min(self.of(port)[0] for port in bridge.ports)
            return mtu, "smallest port MTU"
        return self._carried(name) or (self.policy.default, "default MTU")
