"""Cases for the checks on VNIs, VRFs, route targets and the underlay MTU the overlay needs."""

from __future__ import annotations

from tests.lint.conftest import Case, edit, evpn_fabric, network


def second_vni(vni: int, **web_fields: dict):
    design = edit(evpn_fabric(), network, "web", **web_fields)
    design["networks"].append({"id": "db", "name": "db", "vni": vni, "attach": ["hv1", "hv2"]})
    return design


def underlay(mtu: int):
    design = evpn_fabric()
    design["mtu"]["underlay"] = mtu
    return design


CASES = [
    Case("vni-single-vtep", "warning", ("web", "hv1"), lambda: edit(evpn_fabric(), network, "web", attach=["hv1"]),
         lambda: edit(evpn_fabric(), network, "web", attach=["hv2", "hv1"]),  # two VTEPs: the least that is fine
         ("VNI 10001", "web", "1 VTEP")),
    Case("vni-duplicate", "error", ("web", "db"), lambda: second_vni(10001), lambda: second_vni(10002),
         ("VNI 10001", "web", "db")),
    Case("underlay-mtu-too-small", "error", ("hv1-leaf1", "hv1", "leaf1"), lambda: underlay(9000),
         lambda: underlay(9050), ("hv1-leaf1", "9000", "9050", "VNI 10001")),
    # FRR derives the targets of VNI 10002 and imports any ASN:10002
    Case("route-target-collision", "error", ("web", "db"),
         lambda: second_vni(10002, route_targets={"export": ["65000:10002"]}),
         lambda: second_vni(10002, route_targets={"export": ["65000:1001"]}),
         ("VNI 10001", "65000:10002", "VNI 10002")),
]
