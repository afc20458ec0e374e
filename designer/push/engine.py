"""One push run over SSH: the read-only plan phase, then the waves, each node applied with a confirm
timeout, checked over a fresh connection and only then confirmed; lost outcomes resolved by asking the node.

The engine knows nothing of Django: a ``Recorder`` keeps what happens (the database and websocket for the
web app, the terminal for the command line) and says when a person asked the run to stop.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from .health import Health, read_health, worse_than
from .outcome import resolve, running_manifest
from .payload import NodePayload
from .ssh import Connector, Reply, Target, Unreachable, run
from .states import BAD, FINAL, IN_FLIGHT, NodeState, move
from .waves import NO_CHANGE, WavePlan

# A node in one of these runs its new files, or needed none: its sessions and cables should be up.
ON_TARGET = frozenset({NodeState.APPLIED, NodeState.CONFIRMED, NodeState.VERIFIED, NodeState.SKIPPED})
# Exit statuses of apply.sh (docs/apply.md).
APPLY_FAILED, APPLY_USAGE, APPLY_LOCKED, APPLY_REFUSED = 1, 2, 3, 4


@dataclass(slots=True)
class Timing:
    """Seconds the run allows itself; the confirm timeout must cover the health wait with room to spare."""

    confirm_timeout: int = 120
    health_wait: float = 60.0
    command: float = 120.0  # any one dispatcher verb but apply
    apply: float = 300.0    # checks, install and reloads of one node
    health_interval: float = 2.0
    resolve_grace: float = 30.0  # past the watchdog's deadline, how long a silent node is waited for

    def __post_init__(self) -> None:
        if self.confirm_timeout <= self.health_wait:
            raise ValueError(f"the confirm timeout ({self.confirm_timeout} s) must exceed the health wait "
                             f"({self.health_wait:.0f} s), or healthy nodes would roll back")


@dataclass(slots=True)
class NodeProgress:
    """Everything the run knows of one node; the recorder stores it whenever it changes."""

    name: str
    state: NodeState = NodeState.PENDING
    detail: str = ""
    wave: int | None = None
    manifest: str = ""  # the target: sha256 of the node's apply.json in this run's bundle
    running: str | None = None  # the manifest the node ran when the plan phase asked
    disruption: str = ""
    diff: dict[str, Any] = field(default_factory=dict)
    refusals: list[str] = field(default_factory=list)
    baseline: dict[str, Any] | None = None
    health: dict[str, Any] | None = None
    apply_sent: bool = False

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["state"] = str(self.state)
        return data


class Recorder(Protocol):
    async def node(self, progress: NodeProgress) -> None: ...
    async def log(self, line: str) -> None: ...
    async def stop_requested(self) -> bool: ...


@dataclass(slots=True)
class WaveOutcome:
    finished: bool
    stopped_because: str = ""


class PushEngine:
    """Drives one run's nodes; ``nodes`` carries what an earlier attempt of the same run recorded."""

    def __init__(self, *, run_id: str, connector: Connector, targets: dict[str, Target],
                 payloads: dict[str, NodePayload], recorder: Recorder, timing: Timing | None = None,
                 nodes: dict[str, NodeProgress] | None = None, cables: dict[str, dict[str, str]] | None = None):
        """``cables``: node -> interface -> the node across the cable (``health.cable_peers`` of the plan)."""
        self.run_id = run_id
        self.cables = cables or {}
        self.connector = connector
        self.targets = targets
        self.payloads = payloads
        self.recorder = recorder
        self.timing = timing or Timing()
        self.nodes = nodes or {name: NodeProgress(name, manifest=payloads[name].manifest) for name in payloads}

    # --- recording ------------------------------------------------------------------------------

    async def _set(self, node: NodeProgress, state: NodeState, detail: str = "") -> None:
        node.state = move(node.state, state)
        node.detail = detail
        await self.recorder.node(node)
        await self.recorder.log(f"{node.name}: {state}" + (f": {detail}" if detail else ""))

    # --- the plan phase -------------------------------------------------------------------------

    async def plan(self) -> None:
        """Stage, check, diff and take the health baseline on every node at once (read-only on the node)."""
        await self.recorder.log(f"plan phase: staging and checking {len(self.nodes)} nodes")
        await asyncio.gather(*(self._plan_node(node) for node in self.nodes.values() if node.state not in FINAL))

    async def _plan_node(self, node: NodeProgress) -> None:
        connection = await self._connect_afresh(node)
        if connection is not None:
            async with connection:
                await self._inspect(connection, node)

    async def _connect_afresh(self, node: NodeProgress):
        """A session for a read-only pass over ``node`` (plan or drift), which starts it again from pending."""
        node.state = NodeState.PENDING
        try:
            return await self.connector.connect(self.targets[node.name])
        except Unreachable as exc:
            await self._set(node, NodeState.UNREACHABLE, str(exc))
            return None

    async def _read(self, connection, node: NodeProgress, verb: str) -> dict[str, Any] | None:
        """``verb``'s JSON report, with the node's running manifest and health noted; None if a verb failed."""
        report = await run(connection, verb, timeout=self.timing.command)
        status = await run(connection, "status", timeout=self.timing.command)
        health = await run(connection, "health", timeout=self.timing.command)
        if not (report.ok and status.ok) or health.unknown:
            failed = next(r for r in (report, status, health) if not r.ok)
            await self._set(node, NodeState.FAILED, f"'{failed.command}' failed: {failed.excerpt()}")
            return None
        node.running = running_manifest(_json(status.stdout))
        node.baseline = read_health(_json(health.stdout), health.exit_status, self.cables.get(node.name)).as_dict()
        return _json(report.stdout)

    async def _inspect(self, connection, node: NodeProgress) -> None:
        payload = self.payloads[node.name]
        staged = await run(connection, f"stage {self.run_id}", stdin=payload.tar(), timeout=self.timing.command)
        if not staged.ok:
            await self._set(node, NodeState.FAILED, f"staging the bundle failed: {staged.excerpt()}")
            return
        echoed = _json(staged.stdout).get("manifest")
        if echoed != payload.manifest:
            await self._set(node, NodeState.FAILED, f"the node staged manifest {echoed}, not {payload.manifest}: "
                                                    "the bundle was damaged on the way")
            return
        await self._set(node, NodeState.STAGED)
        check = await run(connection, f"check {self.run_id}", timeout=self.timing.command)
        if not check.ok:
            await self._set(node, NodeState.FAILED, f"a file failed its check; nothing was changed: {check.excerpt()}")
            return
        report = await self._read(connection, node, f"diff {self.run_id}")
        if report is None:
            return
        node.diff = report
        node.disruption = str(report.get("class") or NO_CHANGE)
        node.refusals = [str(r) for r in report.get("refusals") or []]
        if node.refusals:
            await self._set(node, NodeState.FAILED, "refused: " + "; ".join(node.refusals))
        elif node.disruption == NO_CHANGE:
            await self._set(node, NodeState.CHECKED)
            await self._set(node, NodeState.SKIPPED, "already on the target manifest" if node.running == node.manifest
                            else "nothing to change")
        else:
            await self._set(node, NodeState.CHECKED, f"{node.disruption}: {_summary(report)}")

    # --- drift ----------------------------------------------------------------------------------

    async def drift(self) -> None:
        """Ask every node what changed since its last apply (files, running FRR, interfaces, tunnels)."""
        await self.recorder.log(f"drift check of {len(self.nodes)} nodes")
        await asyncio.gather(*(self._drift_node(node) for node in self.nodes.values()))

    async def _drift_node(self, node: NodeProgress) -> None:
        connection = await self._connect_afresh(node)
        if connection is None:
            return
        async with connection:
            report = await self._read(connection, node, "drift")
        if report is not None:
            node.diff = report
            await self._set(node, NodeState.CHECKED, "drifted" if report.get("drifted") else "as installed")

    def not_yet_new(self) -> set[str]:
        """Nodes of this push that are not on their new configuration (yet, or at all)."""
        return {name for name, node in self.nodes.items() if node.state not in ON_TARGET}

    def changes(self) -> dict[str, str]:
        """Node -> disruption class, for the wave planner: the nodes that passed the plan phase."""
        return {n.name: n.disruption for n in self.nodes.values()
                if n.state in (NodeState.CHECKED, NodeState.SKIPPED) or n.state in IN_FLIGHT}

    def plan_blockers(self) -> list[str]:
        """Why the plan cannot be confirmed: nodes that failed, were refused or could not be reached."""
        return [f"{n.name}: {n.state}: {n.detail}" for n in self.nodes.values()
                if n.state in (NodeState.FAILED, NodeState.UNREACHABLE)]

    # --- the waves ------------------------------------------------------------------------------

    async def push(self, waves: WavePlan, *, failure_threshold: int = 0) -> WaveOutcome:
        """Each wave in turn; a failed canary stops the run, a later wave stops it past the threshold."""
        for name in waves.skipped:
            node = self.nodes[name]
            if node.state not in FINAL:
                await self._set(node, NodeState.SKIPPED, "nothing to change")
        failures = 0
        for index, wave in enumerate(waves.waves):
            for name in wave:
                self.nodes[name].wave = index
            todo = [self.nodes[name] for name in wave if self.nodes[name].state not in FINAL]
            if not todo:
                continue
            if await self.recorder.stop_requested():
                return WaveOutcome(False, f"stopped by a person before wave {index}")
            label = "canary wave" if index == 0 else f"wave {index}"
            await self.recorder.log(f"{label}: {', '.join(n.name for n in todo)}")
            await asyncio.gather(*(self._push_node(node) for node in todo))
            bad = [n for n in (self.nodes[name] for name in wave) if n.state in BAD]
            failures += len(bad)
            names = ", ".join(f"{n.name} ({n.state})" for n in bad)
            if bad and index == 0:
                return WaveOutcome(False, f"a canary failed: {names}; no further wave started")
            if failures > failure_threshold:
                return WaveOutcome(False, f"{failures} node(s) failed, more than the {failure_threshold} allowed: "
                                          f"{names}; no further wave started")
        untouched = [name for wave in waves.waves for name in wave if self.nodes[name].state == NodeState.CHECKED]
        if untouched:  # a stop came during the last wave: the nodes not yet started were left alone
            return WaveOutcome(False, f"stopped by a person; not started: {', '.join(untouched)}")
        return WaveOutcome(True)

    async def _push_node(self, node: NodeProgress) -> None:
        if node.state in IN_FLIGHT or (node.state == NodeState.CHECKED and node.apply_sent):
            await self._resolve(node, "an earlier attempt of this run may have applied it")  # a resumed run
            if node.state != NodeState.CHECKED:
                await self._after_apply(node)
                return
        if await self.recorder.stop_requested():
            return
        try:
            connection = await self.connector.connect(self.targets[node.name])
        except Unreachable as exc:
            await self._set(node, NodeState.UNREACHABLE, str(exc))
            return
        node.apply_sent = True
        await self.recorder.node(node)
        async with connection:
            reply = await run(connection, f"apply {self.run_id} {self.timing.confirm_timeout}",
                              timeout=self.timing.apply)
        if reply.unknown:
            await self._set(node, NodeState.UNKNOWN, f"apply: {reply.lost}")
            await self._resolve(node, reply.lost)
            if node.state == NodeState.CHECKED:
                await self._set(node, NodeState.FAILED, "the apply never reached the node; nothing was installed")
                return
        elif reply.ok:
            await self._set(node, NodeState.APPLIED, f"watchdog armed for {self.timing.confirm_timeout} s")
        else:
            await self._set(node, NodeState.FAILED, _apply_failure(reply))
            return
        await self._after_apply(node)

    async def _after_apply(self, node: NodeProgress) -> None:
        """From APPLIED: health over a fresh connection, no worse than the baseline, then confirm and verify."""
        if node.state != NodeState.APPLIED:
            return
        deadline = time.monotonic() + self.timing.health_wait
        try:
            connection = await self.connector.connect(self.targets[node.name])
        except Unreachable as exc:
            await self._set(node, NodeState.UNKNOWN, f"no fresh connection after the apply: {exc}")
            await self._resolve(node, "the management path may be gone")
            return
        async with connection:
            broken = await self._wait_healthy(connection, node, deadline)
            if broken is None:  # the session dropped while checking health
                await self._set(node, NodeState.UNKNOWN, "the connection dropped during the health check")
                await self._resolve(node, "not confirmed; the node's watchdog decides")
                return
            if broken:
                detail = "; ".join(f"{name}: {why}" for name, why in broken.items())
                await self.recorder.log(f"{node.name}: health is worse than before the push ({detail}); "
                                        "not confirming, the node's watchdog restores its files")
                await self._resolve(node, f"unhealthy: {detail}", wait_for_watchdog=True)
                return
            confirm = await run(connection, f"confirm {self.run_id}", timeout=self.timing.command)
            if confirm.ok:
                await self._set(node, NodeState.CONFIRMED)
                status = await run(connection, "status", timeout=self.timing.command)
                verdict = resolve(_json(status.stdout), run=self.run_id, manifest=node.manifest)
                if status.ok and verdict.state == NodeState.VERIFIED:
                    await self._set(node, NodeState.VERIFIED, verdict.reason)
                    return
            reason = confirm.lost or confirm.excerpt() or "confirm did not answer"
        await self._set(node, NodeState.UNKNOWN, f"confirm: {reason}")
        await self._resolve(node, reason)

    async def _wait_healthy(self, connection, node: NodeProgress, deadline: float) -> dict[str, str] | None:
        """What got worse, once health is no worse than the baseline ({}) or the wait is over; None if lost."""
        baseline = Health(**node.baseline) if node.baseline else None
        while True:
            reply = await run(connection, "health", timeout=self.timing.command)
            if reply.unknown:
                return None
            health = read_health(_json(reply.stdout), reply.exit_status, self.cables.get(node.name))
            node.health = health.as_dict()
            broken = worse_than(health, baseline, waiting=self.not_yet_new())
            if not broken or time.monotonic() >= deadline:
                await self.recorder.node(node)
                return broken
            await asyncio.sleep(self.timing.health_interval)

    async def _resolve(self, node: NodeProgress, why: str, *, wait_for_watchdog: bool = False) -> None:
        """Ask the node what became of this run, reconnecting with backoff, until it gives a final answer.

        With ``wait_for_watchdog`` (health failed, so push will not confirm) a node still awaiting
        confirmation is asked again until its watchdog has restored the old files.
        """
        deadline = time.monotonic() + self.timing.confirm_timeout + self.timing.resolve_grace
        pause, last_error = 1.0, why
        while time.monotonic() < deadline:
            try:
                connection = await self.connector.connect(self.targets[node.name])
            except Unreachable as exc:
                last_error = str(exc)
            else:
                async with connection:
                    status = await run(connection, "status", timeout=self.timing.command)
                if status.ok:
                    verdict = resolve(_json(status.stdout), run=self.run_id, manifest=node.manifest)
                    # a node we know applied this run that has no record of it is between two writes of a
                    # rollback: ask again
                    unsettled = verdict.state == NodeState.CHECKED and node.state not in (NodeState.CHECKED,
                                                                                          NodeState.UNKNOWN)
                    if not unsettled and (verdict.state != NodeState.APPLIED or not wait_for_watchdog):
                        await self._set(node, verdict.state, f"{verdict.reason} (after: {why})")
                        return
                    last_error = verdict.reason
                else:
                    last_error = status.lost or status.excerpt()
            await asyncio.sleep(min(pause, max(0.0, deadline - time.monotonic())))
            pause = min(pause * 2, 5.0)
        await self._set(node, NodeState.UNREACHABLE,
                        f"no answer from the node until past its watchdog's deadline ({last_error}); "
                        "it restores its old files by itself unless the run was confirmed")


def _apply_failure(reply: Reply) -> str:
    meaning = {APPLY_FAILED: "the apply failed and the node restored its files",
               APPLY_USAGE: "the node refused the bundle as unusable",
               APPLY_LOCKED: "another apply holds the node's lock",
               APPLY_REFUSED: "the node refused the apply"}
    return f"{meaning.get(reply.exit_status, f'apply exited {reply.exit_status}')}: {reply.excerpt()}"


def _summary(report: dict[str, Any]) -> str:
    files = report.get("files") or []
    changes = [f"{entry.get('change', 'change')} {entry.get('path', '?')}" for entry in files
               if isinstance(entry, dict)]
    return ", ".join(changes) or "runtime state to restore"


def _json(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}

