"""The push engine against simulated nodes (asyncssh in-process servers): the plan phase, waves, and the
faults a real sshd cannot be made to show on cue. Every node must end confirmed or back on its old files."""

from __future__ import annotations

import asyncio
import dataclasses

from designer.push.inventory import Inventory
from designer.push.keys import fingerprint
from designer.push.simulator import Faults
from designer.push.waves import WavePlan

from .nodes import FAST, Run, fleet, one_wave_each, payload, run_async

NAMES = ["leaf1", "leaf2", "pve1"]


def test_a_clean_push_ends_with_every_node_verified_on_the_new_manifest():
    async def scenario():
        async with fleet(NAMES) as nodes, Run(nodes) as engine:
            await engine.plan()
            assert {n: str(p.state) for n, p in engine.nodes.items()} == dict.fromkeys(NAMES, "checked")
            assert engine.changes() == dict.fromkeys(NAMES, "frr-reload")
            outcome = await engine.push(WavePlan((("leaf1", "pve1"), ("leaf2",)), ()))
            assert outcome.finished, outcome
            for name in NAMES:
                record = nodes.nodes[name].record
                assert record.manifest == payload(name).manifest and record.pending is None
                assert record.applies == ["r1"]
            return {n: str(p.state) for n, p in engine.nodes.items()}

    assert run_async(scenario()) == dict.fromkeys(NAMES, "verified")


def test_a_node_already_on_the_target_is_skipped_and_never_applied_again():
    async def scenario():
        async with fleet(["leaf1"]) as nodes:
            async with Run(nodes, run_id="r1") as engine:
                await engine.plan()
                await engine.push(one_wave_each(["leaf1"]))
            async with Run(nodes, run_id="r2") as engine:
                await engine.plan()
                return str(engine.nodes["leaf1"].state), engine.changes(), nodes.nodes["leaf1"].record.applies

    assert run_async(scenario()) == ("skipped", {"leaf1": "none"}, ["r1"])


def test_a_file_that_fails_its_check_stops_that_node_in_the_plan_phase():
    async def scenario():
        async with fleet(NAMES, {"leaf2": Faults(check_fails=True)}) as nodes, Run(nodes) as engine:
            await engine.plan()
            return engine.plan_blockers(), [n.record.applies for n in nodes.nodes.values()]

    blockers, applies = run_async(scenario())
    assert len(blockers) == 1 and blockers[0].startswith("leaf2: failed: a file failed its check")
    assert "Unknown command" in blockers[0]
    assert applies == [[], [], []]


def test_a_refusal_from_the_diff_is_shown_and_blocks_the_node():
    refusal = "Proxmox has pending network changes in /etc/network/interfaces.new"
    async def scenario():
        async with fleet(["pve1"], {"pve1": Faults(refusals=[refusal])}) as nodes, Run(nodes) as engine:
            await engine.plan()
            return engine.plan_blockers()

    assert run_async(scenario()) == [f"pve1: failed: refused: {refusal}"]


def test_a_connection_dropped_during_apply_is_resolved_by_asking_the_node_not_counted_as_success():
    async def scenario():
        async with fleet(["leaf1"], {"leaf1": Faults(drop={"apply"})}) as nodes:
            run = Run(nodes)
            async with run as engine:
                await engine.plan()
                await engine.push(one_wave_each(["leaf1"]))
                return run.recorder.lines, str(engine.nodes["leaf1"].state), nodes.nodes["leaf1"].record

    lines, state, record = run_async(scenario())
    assert any(line.startswith("leaf1: unknown: apply: the connection was lost") for line in lines), lines
    # the node had applied and awaited confirmation: push carried on with health and confirm
    assert state == "verified" and record.pending is None and record.applies == ["r1"]


def test_a_canary_whose_health_gets_worse_is_not_confirmed_rolls_back_and_stops_the_run():
    async def scenario():
        faults = {"leaf1": Faults(unhealthy_after_apply=True)}
        async with fleet(NAMES, faults) as nodes, Run(nodes) as engine:
            await engine.plan()
            outcome = await engine.push(WavePlan((("leaf1",), ("leaf2", "pve1")), ()))
            return outcome, {n: str(p.state) for n, p in engine.nodes.items()}, nodes

    outcome, states, nodes = run_async(scenario())
    assert not outcome.finished and outcome.stopped_because.startswith("a canary failed: leaf1 (rolled-back)")
    assert states == {"leaf1": "rolled-back", "leaf2": "checked", "pve1": "checked"}
    assert nodes.nodes["leaf1"].record.manifest is None  # back on what it had
    assert nodes.nodes["leaf2"].record.applies == [] and nodes.nodes["pve1"].record.applies == []


def test_an_apply_that_fails_on_a_later_wave_stops_the_run_past_the_threshold():
    async def scenario():
        async with fleet(NAMES, {"leaf2": Faults(apply_exit=1)}) as nodes, Run(nodes) as engine:
            await engine.plan()
            outcome = await engine.push(WavePlan((("leaf1",), ("leaf2",), ("pve1",)), ()))
            return outcome, {n: (str(p.state), p.detail) for n, p in engine.nodes.items()}

    outcome, states = run_async(scenario())
    assert outcome.stopped_because.startswith("1 node(s) failed, more than the 0 allowed: leaf2 (failed)")
    assert states["leaf1"][0] == "verified" and states["pve1"][0] == "checked"
    assert states["leaf2"] == ("failed", "the apply failed and the node restored its files: "
                                         "ifreload -a failed: restored the previous files")


def test_an_apply_that_never_answers_is_unknown_until_the_node_says_what_happened():
    timing = dataclasses.replace(FAST, apply=1.0)

    async def scenario():
        async with fleet(["leaf1"], {"leaf1": Faults(hang={"apply"})}) as nodes, Run(nodes, timing=timing) as engine:
            await engine.plan()
            await engine.push(one_wave_each(["leaf1"]))
            return str(engine.nodes["leaf1"].state), engine.nodes["leaf1"].detail

    state, detail = run_async(scenario())
    # the hung command never ran the apply: the node says this run never reached it
    assert state == "failed" and detail == "the apply never reached the node; nothing was installed"


def test_a_wrong_host_key_a_refused_login_and_an_unreachable_node_are_each_named_and_harm_no_other():
    faults = {"locked": Faults(refuse_login=True), "gone": Faults(down=True)}

    async def scenario():
        async with fleet(["good", "rekeyed", "locked", "gone"], faults) as nodes:
            inventory = nodes.inventory().model_dump()
            inventory["nodes"]["rekeyed"]["host_keys"] = [nodes.nodes["good"].host_key_line]
            async with Run(nodes, inventory=Inventory.model_validate(inventory)) as engine:
                await engine.plan()
                return {n: (str(p.state), p.detail) for n, p in engine.nodes.items()}, nodes

    states, nodes = run_async(scenario())
    assert states["good"][0] == "checked"
    rekeyed = nodes.nodes["rekeyed"]
    presented = fingerprint(rekeyed.host_key_line)
    pinned = fingerprint(nodes.nodes["good"].host_key_line)
    assert states["rekeyed"] == ("unreachable", f"rekeyed (root@127.0.0.1:{rekeyed.port}) presented host key "
                                 f"{presented}, not the pinned {pinned}: stopped. If the node was reinstalled, an "
                                 "owner re-pins its key")
    assert states["locked"][0] == "unreachable" and "refused the deploy key" in states["locked"][1]
    assert states["gone"][0] == "unreachable" and "could not be reached" in states["gone"][1]
    assert rekeyed.record.staged == {}  # nothing was sent to a node that did not prove who it is


def test_all_nodes_behind_a_bastion_share_one_tunnelled_connection():
    async def scenario():
        async with fleet(NAMES, bastion=True) as nodes, Run(nodes) as engine:
            await engine.plan()
            await engine.push(WavePlan((("leaf1",), ("leaf2", "pve1")), ()))
            return {n: str(p.state) for n, p in engine.nodes.items()}, nodes.bastion

    states, bastion = run_async(scenario())
    assert states == dict.fromkeys(NAMES, "verified")
    assert bastion.connections == 1 and bastion.tunnels >= 3 * len(NAMES)  # every session went through it


def test_a_stop_lets_the_nodes_in_flight_finish_and_starts_no_other():
    async def scenario():
        faults = {name: Faults(slow={"apply": 1.0}) for name in NAMES}
        async with fleet(NAMES, faults) as nodes:
            run = Run(nodes)
            async with run as engine:
                await engine.plan()
                asyncio.get_running_loop().call_later(0.3, run.recorder.stop)  # while the canary applies
                outcome = await engine.push(WavePlan((("leaf1",), ("leaf2", "pve1")), ()))
                return outcome, {n: str(p.state) for n, p in engine.nodes.items()}

    outcome, states = run_async(scenario())
    assert (outcome.finished, outcome.stopped_because) == (False, "stopped by a person before wave 1")
    assert states == {"leaf1": "verified", "leaf2": "checked", "pve1": "checked"}
