"""A push run in a Celery worker: one ``asyncio.run`` per task, under a lease so a task delivered twice
never pushes twice, each node's state written to the database and told to the run's websockets."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
from datetime import timedelta

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import close_old_connections
from django.db.models import Q
from django.utils import timezone

from designer.fabric.plan.model import Plan
from designer.models import NodeRun, PushRun
from designer.models.push import AuditAction, PushRunKind, PushRunStatus

from .audit import audit
from .engine import NodeProgress, PushEngine, Timing
from .groups import node_facts, redundancy_groups
from .health import cable_peers
from .identity import deploy_key_private, inventory_of
from .runs import revision_bundle, run_state
from .ssh import Connector, targets
from .states import NodeState
from .waves import WavePlan, WaveRules, plan_waves

logger = logging.getLogger(__name__)
PUSH_INTERVAL_SECONDS = 0.2


def lease_seconds() -> float:
    return settings.PUSH_LEASE_SECONDS


def push_group(run_id: int) -> str:
    return f"push.{run_id}"


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def lease_take(run_id: int, owner: str) -> bool:
    """Take the run for ``owner``: free, lapsed, or already ours. One conditional update decides."""
    now = timezone.now()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now) | Q(lease_owner=owner)
    return bool(PushRun.objects.filter(free, pk=run_id, status__in=[PushRunStatus.PLANNING, PushRunStatus.PUSHING])
                .update(lease_owner=owner, lease_until=now + timedelta(seconds=lease_seconds())))


def lease_renew(run_id: int, owner: str) -> bool:
    now = timezone.now()
    return bool(PushRun.objects.filter(pk=run_id, lease_owner=owner).update(
        lease_until=now + timedelta(seconds=lease_seconds())))


def lease_release(run_id: int, owner: str) -> None:
    PushRun.objects.filter(pk=run_id, lease_owner=owner).update(lease_owner="", lease_until=None)


def runs_to_take_up() -> dict[int, float]:
    """Runs under way -> seconds until their lease lapses (0 if it has). A worker that starts asks for each
    once its lease is over: a run whose worker died is taken up, one whose worker lives is left to it."""
    now = timezone.now()
    runs = PushRun.objects.filter(status__in=[PushRunStatus.PLANNING, PushRunStatus.PUSHING])
    return {pk: max(0.0, (until - now).total_seconds()) if until else 0.0
            for pk, until in runs.values_list("pk", "lease_until")}


def progress_of(row: NodeRun) -> NodeProgress:
    return NodeProgress(row.node, NodeState(row.state), row.detail, row.wave, row.manifest, row.running or None,
                        row.disruption, row.diff, row.refusals, row.baseline, row.health, row.apply_sent)


class DatabaseRecorder:
    """Writes each node's progress and every log line, renews the lease, and tells the run's websockets."""

    def __init__(self, run_id: int, owner: str):
        self.run_id, self.owner = run_id, owner
        self._pushed_at = 0.0
        self._stop_checked_at = 0.0
        self._stop = False
        self.layer = get_channel_layer()

    async def node(self, progress: NodeProgress) -> None:
        await sync_to_async(self._save_node)(progress)
        await self.tell()

    def _save_node(self, progress: NodeProgress) -> None:
        NodeRun.objects.filter(run_id=self.run_id, node=progress.name).update(
            state=str(progress.state), detail=progress.detail, wave=progress.wave, running=progress.running or "",
            disruption=progress.disruption, diff=progress.diff, refusals=progress.refusals,
            baseline=progress.baseline, health=progress.health, apply_sent=progress.apply_sent,
            updated=timezone.now())
        self._renew()

    async def log(self, line: str) -> None:
        await sync_to_async(self._append)(line)
        await self.tell()

    def _append(self, line: str) -> None:
        run = PushRun.objects.only("log").get(pk=self.run_id)
        run.log.append(f"{timezone.now():%H:%M:%S} {line}")
        PushRun.objects.filter(pk=self.run_id).update(log=run.log)
        self._renew()

    def _renew(self) -> None:
        if not lease_renew(self.run_id, self.owner):
            raise LeaseLost(f"run {self.run_id} is driven by another worker now")

    async def stop_requested(self) -> bool:
        if time.monotonic() - self._stop_checked_at >= 1.0:
            self._stop_checked_at = time.monotonic()
            self._stop = await sync_to_async(
                lambda: PushRun.objects.filter(pk=self.run_id, stop_requested=True).exists())()
        return self._stop

    async def tell(self, *, force: bool = False) -> None:
        """Send the run's state to its sockets (at most every PUSH_INTERVAL_SECONDS unless forced)."""
        if self.layer is None or (not force and time.monotonic() - self._pushed_at < PUSH_INTERVAL_SECONDS):
            return
        self._pushed_at = time.monotonic()
        try:
            state = await sync_to_async(lambda: run_state(PushRun.objects.select_related(
                "revision", "started_by", "confirmed_by").get(pk=self.run_id)))()
            await self.layer.group_send(push_group(self.run_id), {"type": "push.state", "state": state})
        except Exception:  # the nodes matter more than a live view of them
            logger.warning("could not tell the sockets of push run %s", self.run_id, exc_info=True)


class LeaseLost(Exception):
    """Another worker took the run over (this one was thought dead): stop touching it."""


def push_run_execute(run_id: int) -> None:
    """The Celery task's body: take the lease or leave the run to the worker that holds it."""
    owner = worker_name()
    if not lease_take(run_id, owner):
        logger.info("push run %s is driven by another worker, or is not under way", run_id)
        return
    try:
        asyncio.run(_drive(run_id, owner))
    except LeaseLost:
        logger.warning("push run %s was taken over by another worker", run_id)
    except Exception as exc:
        logger.exception("push run %s failed", run_id)
        PushRun.objects.filter(pk=run_id).update(status=PushRunStatus.FAILED, finished=timezone.now(),
                                                 outcome=f"the run failed on the server: {type(exc).__name__}; "
                                                         "the worker log has the cause")
    finally:
        lease_release(run_id, owner)
        close_old_connections()


async def _drive(run_id: int, owner: str) -> None:
    run = await sync_to_async(lambda: PushRun.objects.select_related("design", "revision", "confirmed_by").get(
        pk=run_id))()
    built, inventory, private, rows = await sync_to_async(lambda: (
        revision_bundle(run.revision), inventory_of(run.design), deploy_key_private(run.design),
        list(run.nodes.all())))()
    recorder = DatabaseRecorder(run_id, owner)
    connector = Connector(private)
    names = sorted(built.payloads)
    engine = PushEngine(run_id=run.node_run_id, connector=connector, targets=targets(inventory, names),
                        payloads=built.payloads, recorder=recorder, timing=Timing(**run.timing),
                        nodes={row.node: progress_of(row) for row in rows}, cables=cable_peers(built.plan))
    renewer = asyncio.create_task(_keep_lease(run_id, owner))
    try:
        if run.status == PushRunStatus.PLANNING:
            await _plan_phase(run, engine, recorder, built.plan)
        elif run.status == PushRunStatus.PUSHING:
            await _waves(run, engine, recorder)
    finally:
        renewer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await renewer
        await connector.close()
        await recorder.tell(force=True)


async def _keep_lease(run_id: int, owner: str) -> None:
    while True:
        await asyncio.sleep(lease_seconds() / 3)
        await sync_to_async(lease_renew)(run_id, owner)


async def _plan_phase(run: PushRun, engine: PushEngine, recorder: DatabaseRecorder, plan: Plan) -> None:
    if run.kind == PushRunKind.DRIFT:
        await engine.drift()
        await sync_to_async(PushRun.objects.filter(pk=run.pk).update)(
            status=PushRunStatus.FINISHED, outcome="drift checked", finished=timezone.now())
        await recorder.log("drift check done")
        return
    await engine.plan()
    waves = plan_waves(node_facts(plan), engine.changes(), redundancy_groups(plan), WaveRules(**run.rules))
    blockers = engine.plan_blockers()
    status = PushRunStatus.PLANNED
    outcome = ("cannot be confirmed: " + "; ".join(blockers)) if blockers else "awaiting confirmation"

    def save() -> None:
        PushRun.objects.filter(pk=run.pk).update(
            status=status, outcome=outcome, waves=[list(w) for w in waves.waves], skipped=list(waves.skipped))
        for index, wave in enumerate(waves.waves):
            NodeRun.objects.filter(run=run, node__in=wave).update(wave=index)

    await sync_to_async(save)()
    await recorder.log(f"plan phase done: {len(waves.waves)} wave(s), {len(waves.skipped)} node(s) without change"
                       + (f"; {len(blockers)} node(s) cannot take it" if blockers else ""))


async def _waves(run: PushRun, engine: PushEngine, recorder: DatabaseRecorder) -> None:
    waves = WavePlan(tuple(tuple(w) for w in run.waves), tuple(run.skipped))
    outcome = await engine.push(waves, failure_threshold=int(run.rules.get("failure_threshold", 0)))
    stopped = not outcome.finished
    status = PushRunStatus.STOPPED if stopped else PushRunStatus.FINISHED
    text = outcome.stopped_because if stopped else "every wave done"
    results = {name: str(node.state) for name, node in engine.nodes.items()}

    def save() -> None:
        from designer.review.services.gate import review_pushed

        PushRun.objects.filter(pk=run.pk).update(status=status, outcome=text, finished=timezone.now())
        audit(design=run.design, actor=run.confirmed_by, action=AuditAction.FINISH, run=run,
              detail={"status": status, "outcome": text, "nodes": results})
        review_pushed(design=run.design, revision=run.revision, actor=run.confirmed_by,
                      outcome="succeeded" if status == PushRunStatus.FINISHED else f"stopped: {text}")

    await sync_to_async(save)()
    await recorder.log(f"run {status}: {text}")
