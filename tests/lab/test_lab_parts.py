"""The lab's pure parts, without root: its layout, the paths it expects, reading FRR's answers."""

from __future__ import annotations

import netaddr
import pytest

from designer.fabric.document import to_data, validate
from designer.fabric.generate import leaf_spine
from designer.fabric.lab import LabError, frrstate
from designer.fabric.lab.adapt import bond_carriers, edit_interfaces, left_out, node_edits
from designer.fabric.lab.checks.filters import pick_prober
from designer.fabric.lab.files import parse_sysctl
from designer.fabric.lab.frr import wanted_daemons
from designer.fabric.lab.layout import NAT_RANGE, lay_out
from designer.fabric.lab.paths import first_hops
from designer.fabric.lab.report import CheckResult, LabReport
from designer.fabric.pipeline import compile_design
from designer.fabric.render import render_node
from tests.conftest import compile_example, fixed_keygen, load_example

IFNAMSIZ = 15  # the longest interface name the kernel takes



def leaf_spine_plan():
    return compile_design(leaf_spine(spines=2, leaves=4, hypervisors_per_leaf=2), keygen=fixed_keygen()).plan


def test_layout_gives_every_node_and_endpoint_its_own_namespace_under_the_run_prefix():
    plan = leaf_spine_plan()
    layout = lay_out(plan, "abc123")
    names = [namespace for namespace, _ in layout.owners()]
    assert len(names) == len(set(names)) == len(plan.devices) + 8 * 10  # 8 hypervisors carry 10 VNIs each
    assert all(name.startswith("wl-abc123-") for name in names)
    assert len(layout.cables) == len(plan.links)
    assert all(len(c.a_interface) <= IFNAMSIZ and len(c.b_interface) <= IFNAMSIZ for c in layout.cables)
    assert {c.a_mtu for c in layout.cables} == {9216}


def test_endpoints_get_distinct_addresses_inside_the_vni_subnet_clear_of_planned_hosts():
    plan = compile_example("proxmox-evpn").plan
    layout = lay_out(plan, "r1")
    corosync = next(v for v in plan.vnis if v.vni == 202)
    addresses = [e.address for e in layout.endpoints if e.vni == 202]
    assert len(addresses) == len(set(addresses)) == len(corosync.vteps)
    subnet = netaddr.IPNetwork(corosync.subnet)
    planned = set(corosync.host_addresses.values())
    for address in addresses:
        ip = netaddr.IPNetwork(address).ip
        assert ip in subnet and str(ip) not in planned
    assert all(netaddr.IPNetwork(e.address).ip in netaddr.IPNetwork("198.18.0.0/15")
               for e in layout.endpoints if e.vni == 200)  # no subnet: the benchmarking range


def test_hypervisors_in_different_racks_have_two_equal_cost_first_hops():
    plan = leaf_spine_plan()
    assert len(first_hops(plan, "hv1", "hv5")) == 2  # through each of its two leaves
    assert len(first_hops(plan, "hv1", "hv2")) == 2  # same rack: both leaves still


def test_paths_never_transit_a_host_that_does_not_forward():
    plan = compile_example("proxmox-evpn").plan
    assert first_hops(plan, "leaf1", "leaf2") == ["leaf1-leaf2"]  # their own link, not the hypervisors
    assert len(first_hops(plan, "pve1", "pve2")) == 2
    data = to_data(load_example("proxmox-evpn"))
    data["links"] = [link for link in data["links"] if link["id"] != "leaf1-leaf2"]
    without = compile_design(validate(data)).plan
    assert first_hops(without, "leaf1", "leaf2") == []  # only hypervisors join them: no path


@pytest.mark.parametrize(("example", "target", "prober"), [
    ("proxmox-evpn", "pve1", ("pve2", "10.255.254.3", "10.255.254.5")),  # loopbacks, across a leaf
    ("proxmox-evpn", "leaf1", None),  # every hypervisor is its peer, and they do not carry leaf2 to it
    ("egress-gateways", "r1", ("r2", "192.168.100.21", "192.168.100.20")),  # the other gateway, on their LAN
    ("wireguard-mesh", "node3", ("node4", "172.20.10.4", "172.20.10.3")),  # node2 is blacklisted with node3
], ids=["fabric", "no-prober", "lan", "mesh-overlay"])
def test_a_bgp_filter_is_probed_from_a_device_that_is_not_its_peer_and_routes_to_it(example, target, prober):
    plan = compile_example(example).plan
    found = pick_prober(plan, target, set(plan.devices))
    assert (found and (found.device_id, found.source, found.target)) == prober
    if found:
        assert not any({target, found.device_id} == {s.a, s.b} for s in plan.sessions)


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


def test_the_daemons_file_decides_what_frr_starts_beside_what_it_always_runs():
    daemons = 'bgpd=yes\nospfd=no\nbfdd=yes\nfrr_profile="traditional"\nbgpd_options="   -A 127.0.0.1"\n'
    assert wanted_daemons(daemons) == ("watchfrr", "zebra", "staticd", "bgpd", "bfdd")
    assert wanted_daemons("bgpd=no\n") == ("watchfrr", "zebra", "staticd")


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


def test_report_never_counts_an_expected_failure_as_run():
    report = LabReport("d", "r", checks=[CheckResult("a", "A", "expected-fail", "")])
    assert not report.ok  # a failure the plan predicts proves nothing about the files
    report.checks.append(CheckResult("b", "B", "pass", ""))
    assert report.ok


def test_a_bond_is_carried_by_its_primary_or_first_member_whose_cable_takes_the_bond_name():
    plan = compile_example("ganeti-bonds").plan
    carriers = {c.device_id: c for c in bond_carriers(plan)}
    assert (carriers["ganeti3"].member, carriers["ganeti3"].primary) == ("eno1", True)  # active-backup, primary eno1
    assert (carriers["ganeti1"].member, carriers["ganeti1"].idle) == ("eno1", ("eno2",))
    layout = lay_out(plan, "r1", carriers=list(carriers.values()))
    ends = {(c.a_namespace, c.a_interface, c.b_namespace) for c in layout.cables}
    assert ("wl-r1-ganeti1", "bond0", "wl-r1-qfx1") in ends  # eno1's cable, under the bond's name
    assert ("wl-r1-ganeti1", "eno2", "wl-r1-qfx2") in ends  # the other member stays a plain NIC
    assert not any(c.a_interface == "eno1" for c in layout.cables)


def test_the_applied_copy_keeps_the_bond_on_its_member_and_leaves_out_vlans_and_what_rests_on_them():
    plan = compile_example("ganeti-bonds").plan
    device = plan.devices["ganeti3"]
    dropped = left_out(plan, {"8021q"})["ganeti3"]
    assert dropped["vlan104"] == "rests on bond0.104, which needs 8021q"
    edits = node_edits(device, left_out=dropped, carriers=[c for c in bond_carriers(plan) if c.device_id == "ganeti3"],
                       vlan_filtering=True)
    text = edit_interfaces(render_node(plan, "ganeti3")["/etc/network/interfaces"], edits)
    stanzas = [line for line in text.splitlines() if line.startswith(("auto", "iface"))]
    assert stanzas == ["auto lo", "iface lo inet loopback", "auto eno2", "iface eno2 inet manual", "auto bond0",
                       "iface bond0 inet static"]
    assert "address 83.212.4.212/27" in text and "mtu 9000" in text
    assert not any(line.strip().startswith("bond-") for line in text.splitlines())  # only a bond knows those
    assert "# left out in the lab, whose kernel cannot build it: bond0.993 needs 8021q" in text


def test_a_portless_bridge_is_made_by_pre_up_where_vlan_filtering_is_missing():
    data = to_data(load_example("proxmox-evpn"))
    pve1 = next(device for device in data["devices"] if device["id"] == "pve1")
    pve1.setdefault("bridges", []).append({"name": "vmbr9"})
    plan = compile_design(validate(data)).plan
    edits = node_edits(plan.devices["pve1"], left_out={}, carriers=[], vlan_filtering=False)
    text = edit_interfaces(render_node(plan, "pve1")["/etc/network/interfaces"], edits)
    options = [line.strip() for line in text[text.index("iface vmbr9"):].split("\n\n")[0].splitlines()[1:]
               if not line.strip().startswith("#")]
    assert not any(option.startswith("bridge-") for option in options)  # no bridge keyword the check would refuse
    assert "pre-up ip link add name vmbr9 type bridge || true" in options


def test_mesh_members_meet_on_one_internet_at_the_endpoints_their_peers_dial():
    plan = compile_example("wireguard-mesh").plan
    layout = lay_out(plan, "r1")
    assert {(u.device_id, u.interface, u.address) for u in layout.uplinks} == {
        ("node1", "eth0", "132.65.71.21"), ("node2", "eth0", "198.51.100.20"), ("node3", "eth0", "203.0.113.30"),
        ("node4", "ens3", "192.0.2.40")}
    internet = next(s for s in layout.segments if s.namespace == "wl-r1-internet")
    assert len(internet.ports) == 4


def test_a_mesh_member_without_an_endpoint_sits_behind_carrier_grade_nat():
    plan = compile_example("wireguard-mesh").plan
    for device in plan.devices.values():
        for peer in device.wireguard[0].peers:
            if peer.device == "node4":
                peer.endpoint = None
    uplink = next(u for u in lay_out(plan, "r1").uplinks if u.device_id == "node4")
    assert netaddr.IPAddress(uplink.address) in NAT_RANGE


@pytest.mark.parametrize(("example", "renamed", "name", "clash"), [
    ("proxmox-evpn", "leaf1", "pve1-v200", "device pve1-v200 and the endpoint of pve1 on VNI 200"),
    ("wireguard-mesh", "node1", "internet", "device internet and the internet switch"),
], ids=["endpoint", "internet"])
def test_a_device_named_like_another_namespace_of_the_lab_is_refused_by_name(example, renamed, name, clash):
    plan = compile_example(example).plan
    plan.devices[renamed].name = name
    with pytest.raises(LabError, match=f"wl-r1-{name} would be both {clash}"):
        lay_out(plan, "r1")
