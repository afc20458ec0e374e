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
def evpn(evpn_lab):
    return evpn_lab


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


def test_proxmox_evpn_report_times_each_phase(evpn):
    _, report = evpn
    assert {"kernel", "namespaces", "roots", "boot", "apply", "checks", "reboot", "checks after reboot"} <= \
        set(report.phases)
    assert 0 < sum(c.seconds for c in report.checks) <= report.phases["checks"]  # each check timed within its phase
    data = report.as_dict()
    assert data["ok"] is True and {c["name"] for c in data["checks"]} >= set(CONVERGENCE_CHECKS)


def test_leaf_spine_of_two_spines_four_leaves_eight_hypervisors_converges_and_passes_after_a_reboot():
    design = leaf_spine(spines=2, leaves=4, hypervisors_per_leaf=2)
    report = verify(compile_design(design, keygen=fixed_keygen()), reboot=True)
    assert report.ok, explained(report)
    for after_reboot in (False, True):  # hypervisors in different racks: two paths each way
        assert report.check("vtep-ecmp", after_reboot=after_reboot).status == "pass"
        assert report.check("loopback-reach", after_reboot=after_reboot).status == "pass"
    assert set(report.phases) >= {"apply", "checks", "reboot", "checks after reboot"}  # the README's figures
    assert leftovers(report.run_id) == []


@pytest.fixture(scope="module")
def broken():
    """proxmox-evpn with a fault on each hypervisor, put in after the design checks passed, as wrong files
    would be: pve1 takes leaf1's ASN, pve2's first uplink is 1500 bytes (its cable stays at 9216), pve3's
    BGP filter drops its own peers, and pve2 lacks its vmbr200. Each must be caught, named, and nothing
    else blamed."""
    compiled = compile_example("proxmox-evpn")
    plan = compiled.plan
    plan.devices["pve1"].bgp.asn = plan.devices["leaf1"].asn  # leaf1 now sees its own ASN over eBGP
    plan.devices["pve2"].interface("enp101s0f0np0").mtu = 1500

    def render(plan, device_id):
        files = render_node(plan, device_id)
        if device_id == "pve3":
            head, hook, rules = files[BGP_FILTER].partition("policy accept;\n")
            assert hook
            # the drop rule first, and the peers' answers too: else pve3's own connections to them still succeed
            files[BGP_FILTER] = f"{head}{hook}\t\ttcp dport 179 counter drop\n\t\ttcp sport 179 drop\n{rules}"
        if device_id == "pve2":
            stanzas = files[INTERFACES].split("\n\n")
            kept = [stanza for stanza in stanzas if "iface vmbr200 " not in stanza]
            assert len(kept) == len(stanzas) - 1
            files[INTERFACES] = "\n\n".join(kept)
        return files

    report = verify(compiled, timeout=BROKEN_TIMEOUT, render=render)
    assert not report.ok
    assert leftovers(report.run_id) == []
    return report


def test_a_wrong_asn_and_a_filter_that_drops_its_peers_fail_those_sessions_by_name_and_no_other(broken):
    sessions = broken.check("bgp-sessions")
    assert sessions.status == "fail"
    # pve1-leaf1 (leaf1 refuses its own ASN), and both of pve3's; every other session comes up
    assert sessions.detail.startswith("6 of 14 session ends failed"), sessions.detail
    assert {"pve1-leaf1", "pve3-leaf1", "pve3-leaf2"} <= set(sessions.elements)
    assert not {"pve1-leaf2", "pve2-leaf1", "pve2-leaf2", "leaf1-leaf2"} & set(sessions.elements)
    assert any("vtysh" in e.command and "show bgp summary json" in e.command for e in sessions.evidence)
    assert broken.check("frr-started").status == "pass"  # FRR ran: the ASN and the filter kept the sessions down


def test_a_smaller_mtu_on_one_uplink_fails_that_link_by_name(broken):
    link = broken.check("link-mtu")
    assert link.status == "fail"
    assert "pve2-leaf1" in link.elements
    assert not {"pve2-leaf2", "pve1-leaf1", "pve3-leaf1"} & set(link.elements)
    assert "9216" in link.detail


def test_an_endpoint_whose_bridge_the_files_do_not_build_fails_the_endpoint_ping_by_name(broken):
    reach = broken.check("endpoint-ping")
    assert reach.status == "fail"
    assert "pve2/vni200: not plugged in, no bridge vmbr200 after ifupdown2" in reach.detail
    assert {"vni200", "pve2"} <= set(reach.elements)
