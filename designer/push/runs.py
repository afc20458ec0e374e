"""Push runs as people drive them: start a plan phase, confirm it, stop, roll back, check drift; and a
run's state as the API, the page and the websocket show it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from designer.fabric.bundle import Bundle, build_bundle
from designer.fabric.errors import DesignError, Problem
from designer.fabric.plan.model import Plan
from designer.models import Design, NodeRun, PushRun, Revision
from designer.models.push import AuditAction, PushRunKind, PushRunStatus
from designer.services.compiling import revision_compiled

from .audit import audit
from .engine import Timing
from .gate import may_push
from .identity import deploy_key_ensure, inventory_of
from .payload import NodePayload, PayloadError, node_payloads
from .states import MEANING
from .waves import RulesError, WaveRules

OPEN = (PushRunStatus.PLANNING, PushRunStatus.PLANNED, PushRunStatus.PUSHING)
LOG_LINES_SHOWN = 500


class PushRefused(Exception):
    """The run cannot do what was asked in its present state (confirm twice, push while another run is open)."""


@dataclass(frozen=True, slots=True)
class RevisionBundle:
    plan: Plan
    bundle: Bundle
    payloads: dict[str, NodePayload]
    manifest_hash: str


def revision_bundle(revision: Revision) -> RevisionBundle:
    """The bundle an export of ``revision`` would hold for its nodes, byte for byte, and each node's payload."""
    compiled = revision_compiled(revision)
    if compiled.errors:
        first = compiled.errors[0]
        raise DesignError(Problem("revision", f"revision {revision.number} has {len(compiled.errors)} error "
                                  f"finding(s), first: {first.code}: {first.message}", "fix them before pushing"))
    bundle = build_bundle(compiled, design_hash=revision.content_hash)
    try:
        payloads = node_payloads(bundle)
    except PayloadError as exc:
        raise DesignError(Problem("revision", str(exc))) from None
    return RevisionBundle(compiled.plan, bundle, payloads, hashlib.sha256(bundle.files["manifest.json"]).hexdigest())


def _settings(rules: dict[str, Any] | None, timing: dict[str, Any] | None) -> tuple[dict, dict]:
    rules, timing = dict(rules or {}), dict(timing or {})
    try:
        WaveRules(**rules)
    except (RulesError, TypeError) as exc:
        raise DesignError(Problem("rules", str(exc))) from None
    try:
        Timing(**timing)
    except (ValueError, TypeError) as exc:
        raise DesignError(Problem("timing", str(exc))) from None
    return rules, timing


def push_plan_start(*, design: Design, revision: Revision, user, rules: dict | None = None,
                    timing: dict | None = None, kind: str = PushRunKind.PUSH,
                    rollback_of: PushRun | None = None) -> PushRun:
    """Queue the plan phase of a push of ``revision``: stage, check and diff on every node; nothing is applied."""
    rules, timing = _settings(rules, timing)
    built = revision_bundle(revision)
    if kind != PushRunKind.DRIFT:  # a drift check changes nothing: the caller's role to start it suffices
        decision = may_push(design=design, revision=revision, manifest_hash=built.manifest_hash, user=user)
        if not decision.allowed:
            raise PushRefused(decision.reason)
    inventory = inventory_of(design)
    missing = inventory.missing(sorted(built.payloads))
    if missing:
        raise DesignError(Problem("inventory", f"the inventory does not say how to reach {', '.join(missing)}",
                                  "add each node's management address to the inventory"))
    deploy_key_ensure(design=design, user=user)
    if user is not None and not user.is_authenticated:
        user = None
    with transaction.atomic():
        open_run = PushRun.objects.filter(design=design, status__in=OPEN).exclude(kind=PushRunKind.DRIFT).first()
        if open_run is not None and kind != PushRunKind.DRIFT:
            raise PushRefused(f"run {open_run.pk} of this design is {open_run.get_status_display()}: "
                              "finish, stop or cancel it first")
        run = PushRun.objects.create(design=design, revision=revision, kind=kind, rollback_of=rollback_of,
                                     manifest_hash=built.manifest_hash, rules=rules, timing=timing, started_by=user)
        NodeRun.objects.bulk_create([NodeRun(run=run, node=name, manifest=payload.manifest)
                                     for name, payload in built.payloads.items()])
        action = {PushRunKind.ROLLBACK: AuditAction.ROLLBACK, PushRunKind.DRIFT: AuditAction.DRIFT}.get(
            kind, AuditAction.PLAN)
        audit(design=design, actor=user, action=action, run=run,
              detail={"nodes": sorted(built.payloads), "rollback_of": rollback_of.pk if rollback_of else None})
        transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def push_confirm(*, run: PushRun, user) -> PushRun:
    """A person confirms the plan: the waves start. Refused unless every node passed the plan phase."""
    with transaction.atomic():
        run = PushRun.objects.select_for_update().select_related("design", "revision").get(pk=run.pk)
        if run.kind == PushRunKind.DRIFT or run.status != PushRunStatus.PLANNED:
            raise PushRefused(f"run {run.pk} is {run.get_status_display()}; only a planned push can be confirmed")
        blockers = [f"{n.node}: {n.state}: {n.detail}" for n in run.nodes.filter(state__in=["failed", "unreachable"])]
        if blockers:
            raise PushRefused("the plan has nodes that cannot take the change; fix them and plan again: "
                              + "; ".join(blockers))
        design = run.design
        decision = may_push(design=_with_role(design, user), revision=run.revision,
                            manifest_hash=run.manifest_hash, user=user)
        if not decision.allowed:
            raise PushRefused(decision.reason)
        run.status, run.confirmed_by, run.confirmed_at = PushRunStatus.PUSHING, user, timezone.now()
        run.outcome = f"confirmed by {user.username}: {len(run.waves)} wave(s)"
        run.save(update_fields=["status", "confirmed_by", "confirmed_at", "outcome"])
        audit(design=design, actor=user, action=AuditAction.CONFIRM, run=run, detail={"waves": run.waves})
        transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def push_stop(*, run: PushRun, user) -> PushRun:
    """Stop after the nodes in flight are confirmed or restored; a plan not yet confirmed is cancelled."""
    with transaction.atomic():
        run = PushRun.objects.select_for_update().get(pk=run.pk)
        if run.status not in OPEN:
            raise PushRefused(f"run {run.pk} is {run.get_status_display()} already")
        run.stop_requested = True
        fields = ["stop_requested"]
        if run.status == PushRunStatus.PLANNED:
            run.status, run.finished, run.outcome = PushRunStatus.CANCELLED, timezone.now(), "not confirmed"
            fields += ["status", "finished", "outcome"]
        run.save(update_fields=fields)
        audit(design=run.design, actor=user, action=AuditAction.STOP if run.status != PushRunStatus.CANCELLED
              else AuditAction.CANCEL, run=run)
    return run


def push_rollback_start(*, run: PushRun, user) -> PushRun:
    """Push again the revision the nodes had before ``run``, through the same plan phase and waves."""
    before = (PushRun.objects.filter(design=run.design, kind__in=[PushRunKind.PUSH, PushRunKind.ROLLBACK],
                                     status=PushRunStatus.FINISHED, created__lt=run.created)
              .exclude(revision=run.revision).select_related("revision").first())
    if before is None:
        raise PushRefused(f"no push of another revision finished before run {run.pk}: nothing to go back to")
    return push_plan_start(design=_with_role(run.design, user), revision=before.revision, user=user,
                           rules=run.rules, timing=run.timing, kind=PushRunKind.ROLLBACK, rollback_of=run)


def drift_start(*, design: Design, user=None) -> PushRun:
    """A read-only check of every node against the revision last pushed (the current one if none was);
    ``user`` None: the periodic check."""
    last = (PushRun.objects.filter(design=design, kind__in=[PushRunKind.PUSH, PushRunKind.ROLLBACK],
                                   status__in=[PushRunStatus.FINISHED, PushRunStatus.STOPPED])
            .select_related("revision").first())
    revision = last.revision if last is not None else design.current_revision
    return push_plan_start(design=design, revision=revision, user=user, kind=PushRunKind.DRIFT)


def drift_all() -> list[PushRun]:
    """The periodic drift check: every design some push reached, unless a run of it is under way."""
    pushed = PushRun.objects.filter(kind__in=[PushRunKind.PUSH, PushRunKind.ROLLBACK],
                                    status__in=[PushRunStatus.FINISHED, PushRunStatus.STOPPED]).values("design")
    started = []
    for design in Design.objects.filter(pk__in=pushed).exclude(push_runs__status__in=OPEN):
        try:
            started.append(drift_start(design=design))
        except (DesignError, PushRefused):
            continue  # its inventory or revision changed since; the next check tries again
    return started


def _with_role(design: Design, user) -> Design:
    from designer.services.access import designs_for

    return designs_for(user).get(pk=design.pk)


def _enqueue(run_id: int) -> None:
    from designer.tasks import push_run

    push_run.delay(run_id)


def pushed_revisions(design: Design) -> dict[str, int]:
    """Manifest hash -> revision number, for every node manifest this design's pushes got confirmed."""
    rows = NodeRun.objects.filter(run__design=design, state="verified").values_list("manifest", "run__revision__number")
    return dict(rows)


def drift_summary(design: Design) -> dict[str, Any] | None:
    """The latest drift check of ``design``: which nodes drifted and which could not be checked."""
    from .drift import drift_of
    from .worker import progress_of

    run = PushRun.objects.filter(design=design, kind=PushRunKind.DRIFT, status=PushRunStatus.FINISHED).first()
    if run is None:
        return None
    revisions = pushed_revisions(design)
    found = {row.node: drift_of(progress_of(row), revisions) for row in run.nodes.all()}
    return {"run": run.pk, "checked": run.finished, "drifted": sorted(n for n, d in found.items() if d["drifted"]),
            "unchecked": sorted(n for n, d in found.items() if d["drifted"] is None)}


def run_state(run: PushRun) -> dict[str, Any]:
    """What the API, the page and the websocket say about a run."""
    from .drift import drift_of
    from .worker import progress_of

    nodes = list(run.nodes.all())
    revisions = pushed_revisions(run.design) if run.kind == PushRunKind.DRIFT else {}
    return {
        "id": run.pk, "design": run.design_id, "revision": run.revision_id, "revision_number": run.revision.number,
        "kind": run.kind, "status": run.status, "status_label": run.get_status_display(),
        "manifest_hash": run.manifest_hash, "rules": run.rules, "timing": run.timing, "waves": run.waves,
        "skipped": run.skipped, "outcome": run.outcome, "stop_requested": run.stop_requested,
        "started_by": run.started_by.username if run.started_by else None,
        "confirmed_by": run.confirmed_by.username if run.confirmed_by else None,
        "created": run.created.isoformat(), "finished": run.finished.isoformat() if run.finished else None,
        "rollback_of": run.rollback_of_id, "log": run.log[-LOG_LINES_SHOWN:],
        "worker_lost": run.status in (PushRunStatus.PLANNING, PushRunStatus.PUSHING) and run.lease_until is not None
        and run.lease_until < timezone.now(),
        "nodes": [{"node": n.node, "state": n.state, "meaning": MEANING.get(n.state, ""), "detail": n.detail,
                   "wave": n.wave, "manifest": n.manifest, "running": n.running or None,
                   "disruption": n.disruption, "diff": n.diff, "refusals": n.refusals, "baseline": n.baseline,
                   "health": n.health,
                   **({"drift": drift_of(progress_of(n), revisions)} if run.kind == PushRunKind.DRIFT else {})}
                  for n in nodes],
    }
