"""The lab where the kernel lacks what a design needs: WireGuard in wireguard-go, a bond on one member.

What the lab cannot build (802.1q, VLAN filtering) must be reported as not exercised, and what the
plan itself says cannot work as an expected failure: never as passed.
"""

from __future__ import annotations

import shutil

import pytest

from designer.fabric.lab import verify
from designer.fabric.plan.wireguard import generate_private_key, public_key
from designer.fabric.render import render_node
from tests.conftest import compile_example
from tests.lab.conftest import explained, leftovers, needs_root

pytestmark = [pytest.mark.lab, needs_root,
              pytest.mark.skipif(shutil.which("wg-quick") is None, reason="needs wg-quick (wireguard-tools)")]

MESH_CHECKS = ("applied", "wireguard-up", "frr-started", "wireguard-handshake", "bgp-sessions",
               "mesh-subnets", "mesh-mtu")
BROKEN_TIMEOUT = 15  # a pair that cannot handshake never will: wait no longer than a healthy mesh needs


def status(report, name: str) -> str:
    return report.check(name).status


@pytest.fixture(scope="module")
def mesh():
    compiled = compile_example("wireguard-mesh")
    report = verify(compiled, reboot=True)
    if not report.kernel["wireguard"] and not report.kernel["wireguard-go"]:
        pytest.skip("neither kernel WireGuard nor wireguard-go here")
    return compiled.plan, report


def test_wireguard_mesh_passes_wireguard_bgp_and_reachability_checks_before_and_after_a_reboot(mesh):
    _, report = mesh
    assert {name: status(report, name) for name in MESH_CHECKS} == dict.fromkeys(MESH_CHECKS, "pass"), \
        explained(report)
    after = {name: report.check(name, after_reboot=True).status for name in ("booted", *MESH_CHECKS[1:])}
    assert after == dict.fromkeys(after, "pass"), explained(report)
    assert report.ok, explained(report)
    assert "5 peered, 1 blacklisted" in report.check("wireguard-handshake").detail
    assert "all 6 session ends passed (3 sessions)" in report.check("bgp-sessions").detail
    assert "all 5 peered pairs passed" in report.check("mesh-subnets").detail


def test_without_kernel_wireguard_the_report_says_wireguard_go_ran_it(mesh):
    _, report = mesh
    if report.kernel["wireguard"]:
        pytest.skip("this kernel has WireGuard: wg-quick uses it")
    assert any("wireguard-go" in note and "node4:ciabmesh" in note for note in report.notes)


def test_lxd_bridges_answer_across_the_mesh_at_its_vxlan_mtu_with_df_set(mesh):
    plan, report = mesh
    assert plan.meshes[0].vxlan_mtu == 1390
    result = report.check("mesh-mtu")
    assert result.status == "pass", explained(report)
    assert any("-M do -s 1362 -I 10.0." in e.command for e in result.evidence)  # 1390-byte packets, DF set


def test_the_blacklisted_pair_is_an_expected_failure_never_a_pass(mesh):
    _, report = mesh
    result = report.check("mesh-blacklisted")
    assert result.status == "expected-fail"
    assert "node2 <-> node3" in result.detail
    assert "wireguard-blacklisted-next-hop" in result.detail  # the warning the design checks gave
    assert {"node2", "node3"} <= set(result.elements)
    assert report.ok, explained(report)  # what the plan says cannot work does not fail the lab


def test_wireguard_mesh_run_leaves_no_namespace_process_or_directory(mesh):
    _, report = mesh
    assert "all 4 mesh interfaces passed" in report.check("wireguard-up").detail  # a tunnel to take down on each
    assert leftovers(report.run_id) == []


def test_a_wrong_public_key_for_one_peer_fails_that_pair_by_name():
    wrong = public_key(generate_private_key())

    def tampered(plan, device_id):
        files = render_node(plan, device_id)
        if device_id == "node3":
            key = next(wg for wg in plan.devices["node4"].wireguard).public_key
            conf = "/etc/wireguard/ciabmesh.conf"
            assert key in files[conf]
            files[conf] = files[conf].replace(key, wrong)
        return files

    report = verify(compile_example("wireguard-mesh"), timeout=BROKEN_TIMEOUT, render=tampered)
    assert not report.ok
    handshakes = report.check("wireguard-handshake")
    assert handshakes.status == "fail"
    assert handshakes.detail.startswith("1 of 6 member pairs failed: node3 <-> node4: node3 has no peer with "
                                        "node4's public key")
    assert {"node3", "node4"} <= set(handshakes.elements) and "node1" not in handshakes.elements
    subnets = report.check("mesh-subnets")
    assert subnets.status == "fail"
    assert "1 of 5 peered pairs failed: node3 (10.0.2.1) -> node4" in subnets.detail
    assert status(report, "bgp-sessions") == "pass"  # the reflector's sessions do not cross that pair
    assert leftovers(report.run_id) == []


def test_proxmox_cluster_lans_ping_over_their_switches_with_bonds_on_their_first_member():
    report = verify(compile_example("proxmox-cluster"), reboot=True)
    assert report.ok
    lans = report.check("lan-ping")
    assert lans.status == "pass"
    assert "all 27 full-size and oversize probes passed on management, corosync, ceph" in lans.detail
    assert report.check("lan-ping", after_reboot=True).detail == lans.detail, explained(report)
    assert "web (vmbr1 of pve-a, pve-b, pve-c needs vlan-filtering)" in lans.detail or report.kernel["vlan-filtering"]
    if not report.kernel["bond"]:
        assert any("pve-a:bond0 by its first member enp65s0f0 (enp65s0f1 left idle)" in note
                   for note in report.notes)
        assert "bonds on one member: pve-a:bond0 on enp65s0f0" in report.check("applied").detail
    assert leftovers(report.run_id) == []


def test_ganeti_backbone_crosses_a_bond_carried_by_its_primary_and_vlans_stay_not_exercised():
    report = verify(compile_example("ganeti-bonds"), reboot=True)
    lans = report.check("lan-ping")
    assert lans.status == "pass"
    assert "all 9 full-size and oversize probes passed on backbone" in lans.detail  # 83.212.4.192/27 lives on bond0
    assert report.check("lan-ping", after_reboot=True).detail == lans.detail, explained(report)
    assert any("-M do -s 8972" in e.command for e in lans.evidence)  # its 9000-byte MTU, DF set
    if not report.kernel["8021q"]:
        assert "public-993 (bond0.993 of ganeti1, ganeti2, ganeti3 needs 8021q)" in lans.detail
    if not report.kernel["bond"]:
        assert any("ganeti3:bond0 by its primary eno1" in note for note in report.notes)
    assert leftovers(report.run_id) == []
