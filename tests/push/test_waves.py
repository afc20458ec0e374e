"""The wave planner: every changing node in exactly one wave, canaries first, never two members of a
redundancy group or more than the rack share of a rack in one wave, nodes without change skipped."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from designer.push.groups import NodeFacts, RedundancyGroup, node_facts, redundancy_groups
from designer.push.waves import RulesError, WaveRules, plan_waves
from tests.conftest import compile_example

ROLES = ["leaf", "spine", "hypervisor", "gateway"]
CHANGES = ["none", "files", "frr-reload", "interface-reload", "management"]


@st.composite
def fabrics(draw):
    count = draw(st.integers(1, 40))
    names = [f"n{i}" for i in range(count)]
    nodes = {n: NodeFacts(n, draw(st.sampled_from(ROLES)), draw(st.sampled_from([None, "r1", "r2", "r3"])))
             for n in names}
    changes = {n: draw(st.sampled_from(CHANGES)) for n in names}
    groups = [RedundancyGroup(f"g{i}", frozenset(draw(st.lists(st.sampled_from(names), min_size=2, max_size=4,
                                                               unique=True))))
              for i in range(draw(st.integers(0, 8))) if count >= 2]
    rules = WaveRules(rack_share=draw(st.sampled_from([0.5, 0.34, 0.25])),
                      max_wave_size=draw(st.sampled_from([None, 1, 3, 10])))
    return nodes, changes, groups, rules


@settings(max_examples=300, deadline=None)
@given(fabrics())
def test_waves_keep_every_rule(fabric):
    nodes, changes, groups, rules = fabric
    plan = plan_waves(nodes, changes, groups, rules)
    placed = [name for wave in plan.waves for name in wave]
    changing = sorted(n for n, c in changes.items() if c != "none")
    assert sorted(placed) == changing  # every changing node in exactly one wave
    assert sorted(plan.skipped) == sorted(n for n, c in changes.items() if c == "none")
    assert all(plan.waves), "no empty wave"
    rack_size = {}
    for facts in nodes.values():
        rack_size[facts.rack] = rack_size.get(facts.rack, 0) + 1
    for wave in plan.waves:
        for group in groups:
            assert len(group.members.intersection(wave)) <= 1, (group, wave)
        for rack in {nodes[n].rack for n in wave} - {None}:
            assert sum(nodes[n].rack == rack for n in wave) <= max(1, math.floor(rack_size[rack] * rules.rack_share))
        if rules.max_wave_size:
            assert len(wave) <= rules.max_wave_size
    if changing:  # canaries first: one node of each touched role, unless every node of it clashes with them
        canary = plan.waves[0]
        roles = [nodes[n].role for n in canary]
        assert len(roles) == len(set(roles))

        def clashes(name: str) -> bool:
            rack = nodes[name].rack
            limit = max(1, math.floor(rack_size[rack] * rules.rack_share)) if rack else len(nodes)
            return (any(name in g.members and g.members & set(canary) for g in groups)
                    or sum(nodes[c].rack == rack for c in canary if rack) >= limit
                    or (rules.max_wave_size is not None and len(canary) >= rules.max_wave_size))

        for role in {nodes[n].role for n in changing} - set(roles):
            assert all(clashes(n) for n in changing if nodes[n].role == role), role


def test_the_example_fabric_never_changes_both_leaves_of_a_host_at_once():
    plan = compile_example("proxmox-evpn").plan
    groups = redundancy_groups(plan)
    assert RedundancyGroup("uplinks of pve1", frozenset({"leaf1", "leaf2"})) in groups
    nodes = node_facts(plan)
    waves = plan_waves(nodes, dict.fromkeys(nodes, "frr-reload"), groups).waves
    assert waves[0] == ("leaf1", "pve1")  # one canary per role
    assert all(not {"leaf1", "leaf2"} <= set(wave) for wave in waves)
    assert sorted(n for wave in waves for n in wave) == sorted(nodes)


def test_egress_gateways_are_one_group():
    plan = compile_example("egress-gateways").plan
    gateways = [g for g in redundancy_groups(plan) if g.name.startswith("gateways of egress")]
    assert gateways and all(len(g.members) == 2 for g in gateways)


@pytest.mark.parametrize(("rules", "message"), [
    ({"rack_share": 0.9}, "at most 0.5"), ({"max_wave_size": 0}, "1 or more"),
    ({"canaries": False}, "cannot be turned off"), ({"failure_threshold": -1}, "0 or more")])
def test_rules_can_only_be_stricter(rules, message):
    with pytest.raises(RulesError, match=message):
        WaveRules(**rules)
