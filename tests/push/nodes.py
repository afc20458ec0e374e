"""Helpers of the push tests: payloads as a bundle's node directory holds them, a deploy key, and a run of
the engine against simulated nodes with the timings shortened."""

from __future__ import annotations

import asyncio
import io
import json

from designer.push.engine import NodeProgress, PushEngine, Timing
from designer.push.keys import generate_deploy_key
from designer.push.payload import NodePayload, node_payloads
from designer.push.simulator import Faults, Fleet
from designer.push.ssh import Connector, targets
from designer.push.terminal import TerminalRecorder
from designer.push.waves import WavePlan

DEPLOY_KEY = generate_deploy_key("weft-push@tests")
FAST = Timing(confirm_timeout=3, health_wait=1.0, command=5.0, apply=5.0, health_interval=0.2, resolve_grace=5.0)


def payload(node: str, version: str = "v2") -> NodePayload:
    """A node's directory as push ships it: its apply.json names what it installs (``version`` tells two apart)."""
    from designer.fabric.apply import engine_source
    from designer.fabric.bundle import Bundle

    facts = json.dumps({"node": node, "version": version}).encode()
    files = {"apply.json": facts, "apply.sh": b"#!/bin/sh\n", "apply.py": engine_source(),
             "etc/frr/frr.conf": f"! {version}\n".encode()}
    modes = {"apply.json": 0o644, "apply.sh": 0o755, "apply.py": 0o755, "etc/frr/frr.conf": 0o640}

    bundle = Bundle(name="t", files={f"{node}/{path}": data for path, data in files.items()},
                    modes={f"{node}/{path}": mode for path, mode in modes.items()})
    return node_payloads(bundle)[node]


class Run:
    """The engine against a fleet of simulated nodes, its recorder's lines in ``text``."""

    def __init__(self, fleet: Fleet, *, run_id: str = "r1", timing: Timing = FAST, version: str = "v2",
                 inventory=None, nodes: dict[str, NodeProgress] | None = None):
        self.fleet = fleet
        self.output = io.StringIO()
        self.recorder = TerminalRecorder(self.output)
        self.inventory = inventory or fleet.inventory()
        self.run_id, self.timing, self.version, self.given = run_id, timing, version, nodes
        self.engine: PushEngine | None = None

    async def __aenter__(self) -> PushEngine:
        self.connector = Connector(DEPLOY_KEY.private, connect_seconds=3)
        names = sorted(self.fleet.nodes)
        self.engine = PushEngine(run_id=self.run_id, connector=self.connector,
                                 targets=targets(self.inventory, names),
                                 payloads={n: payload(n, self.version) for n in names},
                                 recorder=self.recorder, timing=self.timing, nodes=self.given)
        return self.engine

    async def __aexit__(self, *exc) -> None:
        await self.connector.close()

    def states(self) -> dict[str, str]:
        return {name: str(node.state) for name, node in self.engine.nodes.items()}


def one_wave_each(names: list[str]) -> WavePlan:
    return WavePlan(tuple((name,) for name in names), ())


def fleet(names: list[str], faults: dict[str, Faults] | None = None, *, bastion: bool = False) -> Fleet:
    return Fleet(names, DEPLOY_KEY.public, faults, bastion=bastion)


def run_async(coroutine, seconds: float = 60):
    return asyncio.run(asyncio.wait_for(coroutine, seconds))
