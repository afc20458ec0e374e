"""Health after an apply against the plan phase's baseline: what the change broke, and what only waits for a
node at the other end that has not taken its new files yet."""

from __future__ import annotations

from designer.push.health import cable_peers, read_health, worse_than
from tests.conftest import compile_example


def pve1_after(leaf2_state: str) -> dict:
    """pve1's ``--health --json`` as the engine prints it, its session to leaf2 in ``leaf2_state``."""
    up = leaf2_state == "Established"
    bgp = {"name": "bgp", "ok": up, "detail": f"{1 + up} of 2 planned sessions Established", "items": [
        {"peer": "enp101s0f0np0", "description": "leaf1", "state": "Established", "ok": True},
        {"peer": "enp101s0f1np1", "description": "leaf2", "state": leaf2_state, "ok": up}]}
    links = {"name": "links", "ok": up, "detail": "", "items": [
        {"link": "enp101s0f1np1", "ok": up, "state": "up" if up else "no carrier"}]}
    return {"node": "pve1", "healthy": up, "checks": [bgp, links]}


CABLES = cable_peers(compile_example("proxmox-evpn").plan)


def test_the_plan_names_the_node_across_each_cable():
    assert CABLES["pve1"] == {"enp101s0f0np0": "leaf1", "enp101s0f1np1": "leaf2"}
    assert CABLES["leaf1"]["swp3"] == "pve3"


def test_a_session_down_to_a_node_not_yet_pushed_waits_for_it_but_counts_once_it_is_pushed():
    after = read_health(pve1_after("Active"), 1, CABLES["pve1"])
    assert after.peers == {"bgp enp101s0f1np1": "leaf2", "links enp101s0f1np1": "leaf2"}
    nothing_installed = read_health({"healthy": True, "checks": []}, 0)
    assert worse_than(after, nothing_installed, waiting={"leaf2", "pve2"}) == {}
    assert worse_than(after, nothing_installed, waiting={"pve2"}) == {
        "bgp enp101s0f1np1": "Active", "links enp101s0f1np1": "no carrier"}
    assert worse_than(read_health(pve1_after("Established"), 0, CABLES["pve1"]), nothing_installed) == {}


def test_what_already_failed_before_the_push_is_not_held_against_it():
    before = read_health(pve1_after("Idle"), 1, CABLES["pve1"])
    assert worse_than(read_health(pve1_after("Active"), 1, CABLES["pve1"]), before) == {}


def test_an_unhealthy_answer_that_names_nothing_still_counts():
    assert worse_than(read_health({"healthy": False, "checks": []}, 1), None) == {
        "health": "the node reports itself unhealthy without naming a check"}
