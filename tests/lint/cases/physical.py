"""Cases for the checks on cabling, NICs, bonds, bridges, VLANs and MTUs."""

from __future__ import annotations

from tests.lint.conftest import Case, bonded_cluster, cable, device, edit, evpn_fabric, network, nic


def link_speeds(hv_speed: str):
    return edit(edit(evpn_fabric(), nic, "hv1", "enp1s0f0", speed=hv_speed), nic, "leaf1", "swp1", speed="10G")


def second_cable(on_nic: str):
    design = evpn_fabric()
    device(design, "hv1")["nics"].append({"name": "enp2s0", "speed": "25G", "role": "uplink"})
    design["links"].append(cable("hv1", on_nic, "leaf1", "swp3") | {"id": "hv1-leaf1-again"})
    return design


def pve1(**parts: list):
    """bonded_cluster with interfaces added to pve1: ``bridges``, ``vlans`` or ``bonds`` given whole."""
    design = bonded_cluster()
    node = device(design, "pve1")
    node["bridges"] += parts.pop("bridges", [])
    node.update(parts)
    return design


def split_bond(multihoming: str):
    design = bonded_cluster()
    design["racks"][0]["multihoming"] = multihoming
    return design


def faster_second_member(mode: str):
    trunk = {"name": "bond0", "mode": mode, "members": ["enp65s0f0", "enp65s0f1"]}
    return edit(pve1(bonds=[trunk]), nic, "pve1", "enp65s0f1", speed="25G")


def jumbo_storage(**nic_fields: int):
    return edit(edit(bonded_cluster(), network, "storage", mtu=9000), nic, "pve1", "enp66s0", **nic_fields)


def db_network(vlan: int, on: str, **pve1_parts: list):
    design = pve1(**pve1_parts)
    design["networks"].append({"id": "db", "name": "db", "vlan": vlan, "attach": [{"device": "pve1", "interface": on}]})
    return design


def trunk_vids(vids: str):
    design = bonded_cluster()
    device(design, "pve1")["bridges"][1]["vids"] = vids
    return design


VLAN_300_BRIDGE = {"vlans": [{"parent": "bond0", "vid": 300}], "bridges": [{"name": "vmbr300", "ports": ["bond0.300"]}]}

CASES = [
    Case("link-mtu-mismatch", "error", ("hv1-leaf1", "hv1", "leaf1"),
         lambda: edit(evpn_fabric(), nic, "hv1", "enp1s0f0", mtu=9000),
         lambda: edit(bonded_cluster(), nic, "sw1", "swp1", mtu=9216),  # a switch port larger than the host's
         ("hv1:enp1s0f0", "9000", "leaf1:swp1", "9216")),
    Case("link-speed-mismatch", "warning", ("hv1-leaf1", "hv1", "leaf1"), lambda: link_speeds("25G"),
         lambda: link_speeds("10G"), ("hv1:enp1s0f0", "25G", "leaf1:swp1", "10G")),
    Case("interface-cabled-twice", "error", ("hv1", "hv1-leaf1", "hv1-leaf1-again"),
         lambda: second_cable("enp1s0f0"), lambda: second_cable("enp2s0"), ("hv1:enp1s0f0", "hv1-leaf1-again")),
    Case("interface-enslaved-twice", "error", ("pve1",), lambda: pve1(bridges=[{"name": "vmbr2", "ports": ["bond0"]}]),
         lambda: pve1(bridges=[{"name": "vmbr2", "ports": ["eno3"]}]), ("pve1:bond0", "vmbr1", "vmbr2")),
    Case("bond-member-in-use", "error", ("pve1",), lambda: pve1(vlans=[{"parent": "enp65s0f0", "vid": 300}]),
         lambda: pve1(vlans=[{"parent": "bond0", "vid": 300}]), ("pve1:enp65s0f0", "bond0", "enp65s0f0.300")),
    Case("bond-split-without-multihoming", "error", ("pve1", "sw1", "sw2", "pve1-sw1", "pve1-sw2"),
         lambda: split_bond("none"), lambda: split_bond("evpn-mh"), ("pve1:bond0", "sw1", "sw2")),
    Case("bond-member-speed-mismatch", "warning", ("pve1",), lambda: faster_second_member("802.3ad"),
         lambda: faster_second_member("active-backup"), ("pve1:bond0", "enp65s0f0 10G", "enp65s0f1 25G")),
    Case("bond-single-member", "warning", ("pve1",), lambda: pve1(bonds=[{"name": "bond0", "members": ["enp65s0f0"]}]),
         lambda: pve1(bonds=[{"name": "bond0", "members": ["enp65s0f0", "enp65s0f1"]}]),  # two: the least that is fine
         ("pve1:bond0", "enp65s0f0")),
    Case("network-mtu-exceeds-interface", "error", ("storage", "pve1"), lambda: jumbo_storage(mtu=1500),
         jumbo_storage, ("storage", "9000", "pve1:enp66s0", "1500")),
    Case("vlan-duplicate", "error", ("web", "db", "pve1"), lambda: db_network(100, "vmbr1"),
         lambda: db_network(101, "vmbr1"), ("web", "db", "VLAN 100", "pve1")),
    Case("vlan-not-allowed-on-bridge", "error", ("web", "pve1"), lambda: trunk_vids("2-99 200"),
         lambda: trunk_vids("2-100 200"), ("web", "VLAN 100", "pve1:vmbr1", "2-99 200")),
    Case("network-vlan-mismatch", "error", ("db", "pve1"), lambda: db_network(301, "vmbr300", **VLAN_300_BRIDGE),
         lambda: db_network(300, "vmbr300", **VLAN_300_BRIDGE), ("db", "VLAN 301", "pve1:vmbr300", "bond0.300")),
]
