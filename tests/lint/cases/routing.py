"""Cases for the checks on ASNs and BGP sessions."""

from __future__ import annotations

from tests.lint.conftest import (
    Case,
    bonded_cluster,
    cable,
    device,
    edit,
    egress_pair,
    evpn_fabric,
    network,
    wireguard_mesh,
)


def hypervisors_share_asn():
    return edit(edit(evpn_fabric(), device, "hv1", asn=4200000001), device, "hv2", asn=4200000001)


def mlag_leaves_share_asn():
    """Leaves of an MLAG pair share one ASN and one anycast VTEP: they never need each other's routes."""
    design = edit(edit(evpn_fabric(), device, "leaf1", asn=4200000001), device, "leaf2", asn=4200000001)
    design["racks"][0]["multihoming"] = "mlag"
    network(design, "web")["attach"] += ["leaf1", "leaf2"]
    return design


def third_vtep(cabled: bool):
    design = evpn_fabric()
    design["devices"].append({"id": "hv3", "name": "hv3", "role": "hypervisor", "platform": "proxmox",
                              "nics": [{"name": "enp1s0f0", "speed": "25G", "role": "uplink"}]})
    network(design, "web")["attach"].append("hv3")
    if cabled:
        design["links"].append(cable("hv3", "enp1s0f0", "leaf1", "swp3"))
    return design


def vni_on_egress_clients(fabric_link: bool):
    design = egress_pair()
    design["networks"].append({"id": "web", "name": "web", "vni": 10001, "attach": ["h1", "h2"]})
    if fabric_link:
        for host in ("h1", "h2"):
            device(design, host)["nics"].append({"name": "ens6", "role": "uplink"})
        design["links"] = [cable("h1", "ens6", "h2", "ens6")]
    return design


def leaves_apart(forwarding: bool | None = None):
    """The leaves without their own link: only the hypervisors join them."""
    design = evpn_fabric()
    design["links"] = [link for link in design["links"] if link["id"] != "leaf1-leaf2"]
    if forwarding is not None:
        device(design, "hv1")["forwarding"] = forwarding
    return design


def ibgp_fabric(*reflectors: str):
    design = leaves_apart()
    design["underlay"] = {"style": "ibgp", "route_reflectors": list(reflectors)}
    return design


def mesh_reflectors(members: int, *reflectors: str):
    design = wireguard_mesh(members)
    design["underlay"]["route_reflectors"] = list(reflectors)
    return design


def bond_bgp(mode: str):
    """Seed 001's LACP bond to the MLAG pair, running BGP instead of carrying the VM bridge."""
    design = bonded_cluster()
    for node in ("pve1", "pve2"):
        device(design, node)["bonds"][0]["bgp"] = mode
        device(design, node)["bridges"] = [b for b in device(design, node)["bridges"] if b["name"] != "vmbr1"]
    design["networks"] = [n for n in design["networks"] if n["id"] != "web"]
    return design


CASES = [
    Case("asn-shared-by-vteps", "error", ("hv1", "hv2"), hypervisors_share_asn, mlag_leaves_share_asn,
         ("hv1", "hv2", "AS 4200000001", "10001")),
    Case("asn-not-private", "warning", ("hv1",), lambda: edit(evpn_fabric(), device, "hv1", asn=3356),
         lambda: edit(evpn_fabric(), device, "hv1", asn=65001), ("AS 3356", "hv1")),
    Case("device-no-uplink", "error", ("hv3",), lambda: third_vtep(False), lambda: third_vtep(True),
         ("hv3", "VTEP")),
    Case("vtep-without-evpn-session", "error", ("h1", "web"), lambda: vni_on_egress_clients(False),
         lambda: vni_on_egress_clients(True), ("h1", "VNI 10001")),
    Case("ibgp-client-without-reflector", "error", ("leaf2", "leaf1"), lambda: ibgp_fabric("leaf1"),
         lambda: ibgp_fabric("leaf1", "leaf2"), ("leaf2", "hv1", "hv2", "leaf1")),
    Case("ibgp-full-mesh", "warning", tuple(f"n{i}" for i in range(1, 12)), lambda: mesh_reflectors(11),
         lambda: mesh_reflectors(11, "n1", "n2"), ("11 iBGP speakers", "55 sessions")),
    # a mesh without reflectors peers every pair; cabling only peers neighbours
    Case("ibgp-partial-mesh", "error", ("leaf1", "leaf2", "hv1", "hv2"), ibgp_fabric, lambda: mesh_reflectors(3),
         ("2 pair(s)", "leaf1-leaf2", "hv1-hv2")),
    Case("transit-not-forwarding", "warning", ("leaf1", "leaf2", "hv1", "hv2"), leaves_apart, evpn_fabric,
         ("leaf1 and leaf2", "hv1, hv2", "do not forward")),
    Case("asn-outside-range", "warning", ("hv1",), lambda: edit(evpn_fabric(), device, "hv1", asn=65001),
         lambda: edit(evpn_fabric(), device, "hv1", asn=4200000101), ("hv1", "AS 65001", "4200000000-4294967294")),
    Case("bond-unnumbered-to-several-routers", "error", ("pve1", "sw1", "sw2"), lambda: bond_bgp("unnumbered"),
         lambda: bond_bgp("numbered"), ("pve1:bond0", "sw1, sw2", "unnumbered")),
]
