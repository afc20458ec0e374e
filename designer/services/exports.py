"""Export jobs: start one for a revision, and run it (compile, bundle, archive, store, checksum)."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse

from designer.fabric.errors import DesignError, Problem
from designer.models import Design, Export, Job, Revision
from designer.models.choices import ArchiveFormat, JobKind
from designer.review.services.gate import gate_export

from .compiling import revision_compiled
from .errors import ExportRefused
from .jobs import JobReporter, job_claim

logger = logging.getLogger(__name__)

# How the job's percentage is shared between its steps.
COMPILED_AT, DRAWN_AT, BUNDLED_AT = 10, 20, 90


def export_start(*, design: Design, revision: Revision, archive_format: str, node: str, user) -> Job:
    """Queue an export of ``revision`` (one node, or all when ``node`` is empty); the worker runs it.

    Where the design's review policy gates exports, only an approved review's bytes leave (GateClosed).
    """
    if node and not any(device.get("name") == node for device in revision.document.get("devices", [])):
        raise DesignError(Problem("node", f"revision {revision.number} has no device named '{node}'",
                                  "give a device's name, or leave it out to export every node"))
    gate_export(design=design, revision=revision)
    with transaction.atomic():
        job = Job.objects.create(kind=JobKind.EXPORT, design=design, started_by=user)
        Export.objects.create(revision=revision, job=job, node=node, format=archive_format)
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from designer.tasks import export_bundle

    export_bundle.delay(job_id)


def export_run(*, job_id: int) -> None:
    """Build and store the archive of export job ``job_id``; the job records how it went."""
    job = job_claim(job_id)
    if job is None:
        return
    export = Export.objects.select_related("revision__design").get(job=job)
    revision = export.revision
    what = f"node {export.node}" if export.node else "every node"
    reporter = JobReporter(job)
    reporter.start(f"compiling revision {revision.number} of {revision.design.name} for {what}")
    try:
        with reporter.beating():
            archive = _bundle_archive(export, reporter)
            name = f"{revision.design.slug}-r{revision.number}-{export.node or 'all'}-{job.pk}.{export.format}"
            export.sha256 = hashlib.sha256(archive).hexdigest()
            export.size = len(archive)
            export.file.save(name, ContentFile(archive), save=False)
            export.save(update_fields=["file", "sha256", "size"])
    except (DesignError, ExportRefused) as exc:
        reporter.fail(str(exc))
        return
    except Exception:
        logger.exception("export job %s failed", job_id)
        reporter.fail("the export failed on the server; the administrators can find the cause in the worker log")
        return
    reporter.succeed(export_result(export), f"stored {name} ({export.size} bytes, sha256 {export.sha256})")


def _bundle_archive(export: Export, reporter: JobReporter) -> bytes:
    from designer.fabric.bundle import build_bundle

    compiled = revision_compiled(export.revision)
    errors = compiled.errors
    if errors:
        raise ExportRefused(f"revision {export.revision.number} has {len(errors)} error finding(s), first: "
                            f"{errors[0].code}: {errors[0].message}; fix them before exporting")
    reporter.progress(COMPILED_AT, "planned and checked")

    diagrams = _diagrams(compiled, reporter)

    def bundle_progress(percent: float, message: str) -> None:
        reporter.progress(DRAWN_AT + (BUNDLED_AT - DRAWN_AT) * percent / 100, message)

    bundle = build_bundle(compiled, nodes=[export.node] if export.node else None, extra_files=diagrams,
                          progress=bundle_progress, design_hash=export.revision.content_hash)
    reporter.progress(BUNDLED_AT, f"writing the {export.format} archive of {len(bundle.files)} files")
    return bundle.to_zip() if export.format == ArchiveFormat.ZIP else bundle.to_tar_gz()


def _diagrams(compiled, reporter: JobReporter) -> dict[str, bytes]:
    """The bundle's diagrams; without Graphviz the bundle is still worth having, and the log says so."""
    from designer.fabric.diagrams import GraphvizError, bundle_diagrams

    try:
        drawn = bundle_diagrams(compiled.plan)
    except GraphvizError as exc:
        reporter.progress(DRAWN_AT, f"diagrams left out: {exc}")
        return {}
    reporter.progress(DRAWN_AT, f"drew {len(drawn)} diagrams")
    return drawn


def export_result(export: Export) -> dict[str, Any]:
    return {"export": export.pk, "download_url": reverse("api:export-download", args=[export.pk]),
            "format": export.format, "node": export.node or None, "revision": export.revision_id,
            "sha256": export.sha256, "size": export.size}
