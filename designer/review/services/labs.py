"""``fabric lab verify`` of a review's head as a background run, where the server may run labs, its report
attached to the review."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from designer.fabric.lab.process import LabError
from designer.fabric.lab.verify import LabRefused, verify
from designer.services.compiling import revision_compiled

from ..choices import EventKind, LabStatus
from ..models import LabRun, Review
from .errors import ReviewRefused
from .notify import announce

logger = logging.getLogger(__name__)


def lab_start(*, review: Review, user) -> LabRun:
    """Queue a lab run of the review's head; refused where the server does not run labs."""
    if not settings.LAB_JOBS:
        raise ReviewRefused("this server does not run labs (WEFT_LAB_JOBS is off: its workers need root, FRR "
                            "and ifupdown2); run `fabric lab verify` on the head yourself")
    with transaction.atomic():
        run = LabRun.objects.create(review=review, head=review.head, started_by=user)
        transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    from ..tasks import review_lab

    review_lab.delay(run_id)


def lab_run(*, run_id: int) -> LabRun | None:
    """Run the lab of queued run ``run_id`` and record its report; the review hears how it went."""
    if not LabRun.objects.filter(pk=run_id, status=LabStatus.QUEUED).update(status=LabStatus.RUNNING):
        return None  # taken by another worker, or gone
    run = LabRun.objects.select_related("review__design", "head").get(pk=run_id)
    try:
        report = verify(revision_compiled(run.head))
        run.report, run.status = report.as_dict(), LabStatus.PASSED if report.ok else LabStatus.FAILED
    except LabRefused as exc:
        run.status, run.error = LabStatus.REFUSED, str(exc)
    except LabError as exc:
        run.status, run.error = LabStatus.FAILED, str(exc)
    except Exception:
        logger.exception("lab run %s failed", run_id)
        run.status, run.error = LabStatus.FAILED, "the lab failed on the server; the worker log has the cause"
    run.finished = timezone.now()
    run.save(update_fields=["status", "report", "error", "finished"])
    announce(design=run.review.design, review=run.review, kind=EventKind.LAB_FINISHED,
             recipients=[user for user in (run.started_by, run.review.author) if user is not None],
             message=f"the lab of revision {run.head.number} {run.status}" + (f": {run.error}" if run.error else ""),
             data={"lab": run.pk, "status": run.status})
    return run
