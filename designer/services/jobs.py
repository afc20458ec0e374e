"""Background jobs: their state as clients see it, and a reporter that records and pushes progress."""

from __future__ import annotations

import logging
import time
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.utils import timezone

from designer.models import Job
from designer.models.choices import JobStatus

logger = logging.getLogger(__name__)

# Progress callbacks can come once per generated file; the database and the sockets hear of them
# at most this often, and always of the first, the last and every change of status.
PUSH_INTERVAL_SECONDS = 0.2


def job_group(job_id: int) -> str:
    """The channel-layer group whose sockets follow job ``job_id``."""
    return f"job.{job_id}"


def job_state(job: Job) -> dict[str, Any]:
    """What the REST endpoint and the websocket both say about a job."""
    return {"id": job.pk, "kind": job.kind, "status": job.status, "progress": job.progress, "log": list(job.log),
            "result": job.result, "error": job.error, "created": _iso(job.created), "started": _iso(job.started),
            "finished": _iso(job.finished)}


class JobReporter:
    """Records a running job's progress and log lines, and pushes its state to the sockets following it."""

    def __init__(self, job: Job):
        self.job = job
        self._pushed_at = 0.0

    def start(self, message: str) -> None:
        self.job.status, self.job.started = JobStatus.RUNNING, timezone.now()
        self._record(message, force=True)

    def progress(self, percent: float, message: str = "") -> None:
        self.job.progress = max(self.job.progress, min(100, int(percent)))
        self._record(message)

    def succeed(self, result: dict[str, Any], message: str) -> None:
        self.job.status, self.job.progress, self.job.result = JobStatus.SUCCEEDED, 100, result
        self.job.finished = timezone.now()
        self._record(message, force=True)

    def fail(self, error: str) -> None:
        self.job.status, self.job.error, self.job.finished = JobStatus.FAILED, error, timezone.now()
        self._record(f"failed: {error}", force=True)

    def _record(self, message: str, *, force: bool = False) -> None:
        if message:
            self.job.log.append(message)
        now = time.monotonic()
        if not force and now - self._pushed_at < PUSH_INTERVAL_SECONDS:
            return
        self._pushed_at = now
        job = self.job
        Job.objects.filter(pk=job.pk).update(status=job.status, progress=job.progress, log=job.log,
                                             result=job.result, error=job.error, started=job.started,
                                             finished=job.finished)
        push_state(job)


def push_state(job: Job) -> None:
    """Tell the sockets following ``job``; without a shared channel layer they read the database instead."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(job_group(job.pk), {"type": "job.state", "state": job_state(job)})
    except Exception:  # the job's work matters more than a live view of it
        logger.warning("could not push the state of job %s to its sockets", job.pk, exc_info=True)


def _iso(moment) -> str | None:
    return moment.isoformat() if moment is not None else None
