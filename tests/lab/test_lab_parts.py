"""The lab's pure parts, without root: its layout, the paths it expects, reading FRR's answers."""

from __future__ import annotations

import netaddr

from designer.fabric.generate import leaf_spine
from designer.fabric.lab import frrstate
from designer.fabric.lab.files import parse_sysctl
from designer.fabric.lab.frr import read_setup
from designer.fabric.lab.layout import IFNAMSIZ, lay_out
from designer.fabric.lab.paths import first_hops
from designer.fabric.lab.report import CheckResult, LabReport
from designer.fabric.pipeline import compile_design
from tests.conftest import compile_example, fixed_keygen


def leaf_spine_plan():
    return compile_design(leaf_spine(spines=2, leaves=4, hypervisors_per_leaf=2), keygen=fixed_keygen()).plan


def test_layout_gives_every_node_and_endpoint_its_own_namespace_under_the_run_prefix():
    plan = leaf_spine_plan()
    layout = lay_out(plan, "abc123")
    names = layout.namespaces
    assert len(names) == len(set(names)) == len(plan.devices) + 8 * 10  # 8 hypervisors carry 10 VNIs each
    assert all(name.startswith("wl-abc123-") for name in names)
    assert len(layout.cables) == len(plan.links)
    assert all(len(c.a_interface) <= IFNAMSIZ and len(c.b_interface) <= IFNAMSIZ for c in layout.cables)
    assert {c.a_mtu for c in layout.cables} == {9216}


def test_endpoints_get_distinct_addresses_inside_the_vni_subnet_clear_of_planned_hosts():
    plan = compile_example("proxmox-evpn").plan
    layout = lay_out(plan, "r1")
    corosync = next(v for v in plan.vnis if v.vni == 202)
    addresses = [e.address for e in layout.endpoints_of(202)]
    assert len(addresses) == len(set(addresses)) == len(corosync.vteps)
    subnet = netaddr.IPNetwork(corosync.subnet)
    planned = set(corosync.host_addresses.values())
    for address in addresses:
        ip = netaddr.IPNetwork(address).ip
        assert ip in subnet and str(ip) not in planned
    assert all(netaddr.IPNetwork(e.address).ip in netaddr.IPNetwork("198.18.0.0/15")
               for e in layout.endpoints_of(200))  # no subnet: the benchmarking range


def test_hypervisors_in_different_racks_have_two_equal_cost_first_hops():
    plan = leaf_spine_plan()
    assert len(first_hops(plan, "hv1", "hv5")) == 2  # through each of its two leaves
    assert len(first_hops(plan, "hv1", "hv2")) == 2  # same rack: both leaves still


def test_paths_never_transit_a_host_that_does_not_forward():
    plan = compile_example("proxmox-evpn").plan
    assert first_hops(plan, "leaf1", "leaf2") == []  # only hypervisors join the two leaves
    assert len(first_hops(plan, "pve1", "pve2")) == 2


def test_vtysh_output_with_several_documents_and_an_error_line_is_split():
    text = '{"a": 1}\n{"b": {"c": [1, 2]}}\n% Unknown command: show nothing\n[]\n'
    assert frrstate.documents(text) == [{"a": 1}, {"b": {"c": [1, 2]}}, "% Unknown command: show nothing", []]


def test_peer_states_per_family_and_dynamic_peers_without_their_star():
    summary = {"ipv4Unicast": {"peers": {"swp1": {"state": "Established"}, "*192.0.2.7": {"state": "Active"}}},
               "l2VpnEvpn": {"peers": {"swp1": {"state": "Connect"}}}}
    assert frrstate.peer_states(summary) == {"swp1": {"ipv4Unicast": "Established", "l2VpnEvpn": "Connect"},
                                             "192.0.2.7": {"ipv4Unicast": "Active"}}


def test_type3_routes_name_the_vteps_that_sent_them():
    routes = {"[3]:[0]:[32]:[10.0.0.2]": {}, "[3]:[0]:[32]:[10.0.0.3]": {}, "[2]:[0]:[48]:[aa:bb]": {},
              "numPrefix": 2}
    assert frrstate.type3_vteps(routes) == {"10.0.0.2", "10.0.0.3"}


def test_daemons_file_decides_daemons_and_profile_and_static_routes_bring_staticd():
    daemons = 'bgpd=yes\nospfd=no\nfrr_profile="traditional"\nbgpd_options="   -A 127.0.0.1"\n'
    setup = read_setup(daemons, "frr defaults traditional\nip route 10.0.0.0/8 192.0.2.1\n")
    assert setup.daemons == ("zebra", "bgpd", "staticd")
    assert setup.profile == "traditional"
    assert setup.options["bgpd"] == ["-A", "127.0.0.1"]
    assert read_setup(None, "frr defaults datacenter\nrouter bgp 65000\n").daemons == ("zebra", "bgpd")


def test_sysctl_files_are_read_as_sysctl_reads_them():
    text = "# comment\n; also\nnet.ipv4.ip_forward = 1\n-net.ipv6.conf.all.forwarding=1\n\n"
    assert parse_sysctl(text) == {"net.ipv4.ip_forward": "1", "net.ipv6.conf.all.forwarding": "1"}


def test_report_is_ok_only_when_something_ran_and_all_that_ran_passed():
    report = LabReport("d", "r")
    assert not report.ok  # nothing exercised proves nothing
    report.checks = [CheckResult("a", "A", "pass", ""), CheckResult("b", "B", "not-exercised", "")]
    assert report.ok
    report.checks.append(CheckResult("c", "C", "fail", ""))
    assert not report.ok
