"""The finer rules of some checks: which variant of a situation is a mistake and how much it weighs."""

from __future__ import annotations

from tests.lint.cases.addressing import egress_subnet_gateway, mgmt_pinned
from tests.lint.conftest import bonded_cluster, device, evpn_fabric, lint_findings, network, wireguard_mesh


def findings(design, code: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(f.severity, f.elements) for f in lint_findings(design) if f.code == code]


def test_host_sending_more_than_its_switch_port_takes_is_an_error():
    design = bonded_cluster()
    device(design, "pve1")["bonds"][0]["mtu"] = 9000  # both members follow the bond
    assert findings(design, "link-mtu-mismatch") == [("error", ("pve1-sw1", "pve1", "sw1")),
                                                     ("error", ("pve1-sw2", "pve1", "sw2"))]


def test_two_sub_interfaces_with_one_vlan_on_one_parent():
    design = bonded_cluster()
    device(design, "pve1")["vlans"] = [{"parent": "bond0", "vid": 300},
                                       {"parent": "bond0", "vid": 300, "name": "backup300"}]
    (finding,) = [f for f in lint_findings(design) if f.code == "vlan-duplicate"]
    assert finding.elements == ("pve1",)
    assert "bond0.300" in finding.message and "backup300" in finding.message


def vrfs(*specs: tuple[str, int, list[str] | None]) -> dict:
    design = evpn_fabric()
    design["vrfs"] = [{"id": vrf_id, "name": vrf_id, "l3vni": l3vni}
                      | ({"route_targets": {"import": targets, "export": targets}} if targets else {})
                      for vrf_id, l3vni, targets in specs]
    network(design, "web")["vrf"] = specs[0][0]
    design["networks"].append({"id": "db", "name": "db", "vni": 10002, "vrf": specs[-1][0], "attach": ["hv1", "hv2"]})
    return design


def test_an_l2_vni_equal_to_a_vrf_l3vni_is_a_duplicate():
    assert findings(vrfs(("blue", 10001, None)), "vni-duplicate") == [("error", ("web", "blue"))]


def test_vrfs_sharing_a_route_target_leak_routes_which_may_be_meant():
    shared = vrfs(("blue", 50001, ["65000:7"]), ("red", 50002, ["65000:7"]))
    assert findings(shared, "route-target-collision") == [("warning", ("blue", "red"))]
    separate = vrfs(("blue", 50001, ["65000:7"]), ("red", 50002, ["65000:8"]))
    assert findings(separate, "route-target-collision") == []


def test_the_same_host_address_in_two_vrfs_is_no_duplicate():
    design = vrfs(("blue", 50001, None), ("red", 50002, None))
    for net_id, owner in (("web", "hv1"), ("db", "hv2")):
        network(design, net_id).update(subnet="192.168.1.0/24", attach=[{"device": owner, "address": "192.168.1.10"}])
    assert findings(design, "address-duplicate") == []
    network(design, "db")["vrf"] = "blue"
    assert findings(design, "address-duplicate") == [("error", ("hv1", "hv2"))]


def test_a_pinned_address_outside_the_subnet():
    (finding,) = [f for f in lint_findings(mgmt_pinned("pve1", "10.10.9.11")) if f.code == "address-outside-subnet"]
    assert finding.elements == ("mgmt", "pve1")
    assert "outside 10.10.0.0/24" in finding.message


def test_an_egress_subnet_gateway_off_the_egress_network():
    assert findings(egress_subnet_gateway("192.168.200.1"), "gateway-outside-subnet") == [
        ("error", ("egress", "transit"))]
    assert findings(egress_subnet_gateway("192.168.100.1"), "gateway-outside-subnet") == []


def test_vxlan_over_a_wireguard_underlay_must_fit_the_tunnel():
    design = wireguard_mesh()
    design["networks"] = [{"id": "web", "name": "web", "vni": 10001, "mtu": 1400, "attach": ["n1", "n2"]}]
    assert findings(design, "underlay-mtu-too-small") == [("error", ("web", "n1", "wg")),
                                                          ("error", ("web", "n2", "wg"))]
    network(design, "web")["mtu"] = 1390  # 1500 path MTU - 60 WireGuard - 50 VXLAN
    assert findings(design, "underlay-mtu-too-small") == []


def test_a_host_may_be_made_a_transit_path_by_turning_forwarding_on():
    from tests.lint.cases.routing import leaves_apart
    assert findings(leaves_apart(forwarding=True), "transit-not-forwarding") == []
    assert findings(leaves_apart(forwarding=False), "transit-not-forwarding") == [
        ("warning", ("leaf1", "leaf2", "hv1", "hv2"))]


def test_a_reflector_that_sets_itself_as_next_hop_must_forward():
    from tests.lint.cases.routing import ibgp_fabric
    design = ibgp_fabric("hv1", "hv2")  # iBGP over the cabling: reflectors rewrite the next hop to themselves
    assert findings(design, "transit-not-forwarding") == [("warning", ("leaf1", "leaf2", "hv1", "hv2"))]
    for hv in ("hv1", "hv2"):
        device(design, hv)["forwarding"] = True
    assert findings(design, "transit-not-forwarding") == []


def test_an_egress_client_keeping_its_dhcp_default_route_never_uses_the_gateways():
    from tests.lint.conftest import egress_pair, nic

    def with_dhcp_nic(**fields):
        design = egress_pair()
        device(design, "h1")["nics"].append({"name": "ens6", "role": "management", "dhcp": True, **fields})
        return design

    assert findings(with_dhcp_nic(dhcp_default_route=True), "egress-client-default-gateway") == [
        ("error", ("egress", "h1"))]
    assert findings(with_dhcp_nic(), "egress-client-default-gateway") == []  # an egress client drops it
    assert nic(with_dhcp_nic(), "h1", "ens6")["dhcp"]
