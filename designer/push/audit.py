"""The push audit: one append-only event per plan, confirmation, stop, end of run, roll back, host-key pin and
deploy-key change, with who, when, which revision and manifest, and per-node results."""

from __future__ import annotations

from typing import Any

from designer.models import AuditEvent, Design, PushRun, Revision


def audit(*, design: Design, actor, action: str, run: PushRun | None = None, revision: Revision | None = None,
          manifest_hash: str = "", detail: dict[str, Any] | None = None) -> AuditEvent:
    if run is not None:
        revision = revision or run.revision
        manifest_hash = manifest_hash or run.manifest_hash
    actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(design=design, actor=actor, action=action, run=run, revision=revision,
                                     manifest_hash=manifest_hash, detail=detail or {})


def audit_entry(event: AuditEvent) -> dict[str, Any]:
    return {"id": event.pk, "action": event.action, "actor": event.actor.username if event.actor else None,
            "run": event.run_id, "revision": event.revision_id, "manifest_hash": event.manifest_hash,
            "detail": event.detail, "created": event.created.isoformat()}
