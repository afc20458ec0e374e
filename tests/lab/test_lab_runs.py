"""The lab on real kernels, ifupdown2 and FRR: good designs converge, broken ones are caught by name."""

from __future__ import annotations

import pytest

from designer.fabric.generate import leaf_spine
from designer.fabric.lab import verify
from designer.fabric.lab.checks.loopbacks import routed_pairs
from designer.fabric.pipeline import compile_design
from designer.fabric.render import render_node
from designer.fabric.render.interfaces import PATH as INTERFACES
from designer.fabric.render.nftables import PATH as BGP_FILTER
from tests.conftest import compile_example, fixed_keygen
from tests.lab.conftest import explained, leftovers, needs_root

pytestmark = [pytest.mark.lab, needs_root]

CONVERGENCE_CHECKS = ("applied", "frr-started", "bgp-sessions", "bgp-filter", "evpn-type3", "link-mtu",
                      "vtep-ecmp", "endpoint-ping", "endpoint-mtu")
BROKEN_TIMEOUT = 15  # a broken fabric never converges: wait no longer than a healthy one needs


@pytest.fixture(scope="module")
def evpn():
    compiled = compile_example("proxmox-evpn")
    return compiled.plan, verify(compiled, reboot=True)


def status(report, name: str) -> str:
    return report.check(name).status


def test_proxmox_evpn_passes_every_convergence_check_before_and_after_a_reboot(evpn):
    _, report = evpn
    assert {name: status(report, name) for name in CONVERGENCE_CHECKS} == dict.fromkeys(CONVERGENCE_CHECKS, "pass"), \
        explained(report)
    after = {name: report.check(name, after_reboot=True).status for name in CONVERGENCE_CHECKS if name != "applied"}
    assert after == dict.fromkeys(after, "pass"), explained(report)
    assert report.check("booted", after_reboot=True).status == "pass", explained(report)
    assert report.ok, explained(report)


def test_proxmox_evpn_leaf1_reaches_leaf2_loopback_over_both_families_before_and_after_a_reboot(evpn):
    plan, report = evpn
    pairs = routed_pairs(plan, set(plan.devices))
    leaves = [(p.source, p.target) for p in pairs if (p.a, p.b) == ("leaf1", "leaf2")]
    assert leaves == [(plan.devices["leaf1"].loopback_v4, plan.devices["leaf2"].loopback_v4),
                      (plan.devices["leaf1"].loopback_v6, plan.devices["leaf2"].loopback_v6)]
    for after_reboot in (False, True):
        check = report.check("loopback-reach", after_reboot=after_reboot)
        assert check.status == "pass" and check.detail.startswith(f"all {len(pairs)} loopback pairs"), \
            explained(report)


def test_proxmox_evpn_every_planned_session_is_established_at_both_ends(evpn):
    plan, report = evpn
    assert f"all {2 * len(plan.sessions)} session ends passed" in report.check("bgp-sessions").detail


def test_proxmox_evpn_bgp_filters_drop_a_speaker_that_is_not_a_peer_while_every_session_is_established(evpn):
    plan, report = evpn
    phases = list(report.phases)
    assert phases.index("interfaces") < phases.index("nftables") < phases.index("frr")  # FRR starts behind the filters
    assert f"all {2 * len(plan.sessions)} session ends passed" in report.check("bgp-sessions").detail
    result = report.check("bgp-filter")
    assert result.status == "pass", explained(report)
    assert result.detail.startswith("all 3 filtered nodes passed")  # each hypervisor, from another one's loopback
    assert "not exercised: leaf1, leaf2 (no device here that is not its BGP peer has a route to it)" in result.detail
    outputs = {e.command.split()[4]: e.output for e in result.evidence}  # ip netns exec NAMESPACE <tool> ...
    assert "1 received" in outputs["ping"]  # the prober reaches the node: an unanswered SYN was not unroutable
    assert outputs["python3"] == "not connected: timed out"
    assert '"drop": null' in outputs["nft"] and '"packets": 0' not in outputs["nft"]  # the drop rule counted it


def test_proxmox_evpn_every_vtep_has_type3_routes_of_every_vni(evpn):
    plan, report = evpn
    pairs = sum(len(vni.vteps) for vni in plan.vnis)
    assert f"all {pairs} VTEP and VNI pairs passed" in report.check("evpn-type3").detail


def test_proxmox_evpn_endpoints_ping_with_9000_byte_frames_and_no_larger(evpn):
    _, report = evpn
    result = report.check("endpoint-mtu")
    assert result.status == "pass"
    commands = [e.command for e in result.evidence]
    assert any("-M do -s 8972" in command for command in commands)  # 9000-byte IP packets, DF set


def test_proxmox_evpn_report_times_each_phase_and_leaves_nothing_behind(evpn):
    _, report = evpn
    assert {"kernel", "namespaces", "interfaces", "nftables", "frr", "checks", "teardown"} <= set(report.phases)
    assert 0 < sum(c.seconds for c in report.checks) <= report.phases["checks"]  # each check timed within its phase
    assert leftovers(report.run_id) == []
    data = report.as_dict()
    assert data["ok"] is True and {c["name"] for c in data["checks"]} >= set(CONVERGENCE_CHECKS)


def test_egress_gateways_clients_spread_over_both_gateways():
    report = verify(compile_example("egress-gateways"))
    assert report.ok, explained(report)
    assert status(report, "bgp-sessions") == "pass"
    assert status(report, "egress-ecmp") == "pass"
    assert status(report, "static-routes") == "pass"
    assert any("DHCP" in note for note in report.notes)  # the cloud NIC is said to be left out
    assert leftovers(report.run_id) == []


def test_leaf_spine_of_two_spines_four_leaves_eight_hypervisors_converges_and_passes():
    design = leaf_spine(spines=2, leaves=4, hypervisors_per_leaf=2)
    report = verify(compile_design(design, keygen=fixed_keygen()))
    assert report.ok, explained(report)
    assert status(report, "vtep-ecmp") == "pass"  # hypervisors in different racks: two paths each way
    assert set(report.phases) >= {"interfaces", "frr", "checks"}  # how long each phase took (README figures)
    assert leftovers(report.run_id) == []


def broken_evpn(mutate) -> tuple:
    """proxmox-evpn with one node's plan changed after the design checks passed, as a wrong file would be."""
    compiled = compile_example("proxmox-evpn")
    mutate(compiled.plan)
    report = verify(compiled, timeout=BROKEN_TIMEOUT)
    assert not report.ok
    assert leftovers(report.run_id) == []
    return report


def test_a_wrong_asn_on_one_node_fails_its_sessions_by_name():
    def wrong_asn(plan):
        plan.devices["pve1"].bgp.asn = plan.devices["leaf1"].asn  # leaf1 now sees its own ASN over eBGP

    report = broken_evpn(wrong_asn)
    sessions = report.check("bgp-sessions")
    assert sessions.status == "fail"
    assert "pve1-leaf1" in sessions.elements
    assert "pve2-leaf1" not in sessions.elements
    assert any("vtysh" in e.command and "show bgp summary json" in e.command for e in sessions.evidence)


def test_a_smaller_mtu_on_one_uplink_fails_that_link_by_name():
    def small_uplink(plan):
        plan.devices["pve1"].interface("enp101s0f0np0").mtu = 1500  # the cable stays planned at 9216

    link = broken_evpn(small_uplink).check("link-mtu")
    assert link.status == "fail"
    assert "pve1-leaf1" in link.elements
    assert "pve1-leaf2" not in link.elements
    assert "9216" in link.detail


def test_a_bgp_filter_that_drops_its_planned_peers_fails_that_nodes_sessions_by_name():
    def pve1_drops_its_peers(plan, device_id):
        files = render_node(plan, device_id)
        if device_id == "pve1":
            head, hook, rules = files[BGP_FILTER].partition("policy accept;\n")
            assert hook
            # the drop rule first, and the peers' answers too: else pve1's own connections to them still succeed
            files[BGP_FILTER] = f"{head}{hook}\t\ttcp dport 179 counter drop\n\t\ttcp sport 179 drop\n{rules}"
        return files

    report = verify(compile_example("proxmox-evpn"), timeout=BROKEN_TIMEOUT, render=pve1_drops_its_peers)
    sessions = report.check("bgp-sessions")
    assert sessions.status == "fail"
    assert sessions.detail.startswith("4 of 12 session ends failed")  # both ends of pve1's two sessions, no other
    assert {"pve1-leaf1", "pve1-leaf2", "pve1"} <= set(sessions.elements)
    assert not {"pve2-leaf1", "pve3-leaf2"} & set(sessions.elements)
    assert report.check("frr-started").status == "pass"  # FRR ran: the filter alone kept the sessions down
    assert not report.ok
    assert leftovers(report.run_id) == []


def test_an_endpoint_whose_bridge_the_files_do_not_build_fails_the_endpoint_ping_by_name():
    def without_vmbr200_on_pve1(plan, device_id):
        files = render_node(plan, device_id)
        if device_id == "pve1":
            stanzas = files[INTERFACES].split("\n\n")
            kept = [stanza for stanza in stanzas if "iface vmbr200 " not in stanza]
            assert len(kept) == len(stanzas) - 1
            files[INTERFACES] = "\n\n".join(kept)
        return files

    report = verify(compile_example("proxmox-evpn"), timeout=BROKEN_TIMEOUT, render=without_vmbr200_on_pve1)
    reach = report.check("endpoint-ping")
    assert reach.status == "fail"
    assert "pve1/vni200: not plugged in, no bridge vmbr200 after ifupdown2" in reach.detail
    assert {"vni200", "pve1"} <= set(reach.elements)
    assert not report.ok
    assert leftovers(report.run_id) == []
