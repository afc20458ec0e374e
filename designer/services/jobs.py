"""Background jobs: their state as clients see it, and a reporter that records and pushes progress."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection
from django.db.models import Q
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
    """A job's state as it stands in ``job``; readers use ``job_state_now``."""
    return {"id": job.pk, "kind": job.kind, "status": job.status, "progress": job.progress, "log": list(job.log),
            "result": job.result, "error": job.error, "created": _iso(job.created), "started": _iso(job.started),
            "finished": _iso(job.finished)}


def job_state_now(job: Job) -> dict[str, Any]:
    """What the REST endpoint and the websocket say about a job: one that lost its worker reads as failed."""
    return job_state(settle_abandoned(job))


def _stale_before() -> datetime:
    return timezone.now() - timedelta(seconds=settings.JOB_STALE_SECONDS)


def job_claim(job_id: int) -> Job | None:
    """Take job ``job_id`` for this worker: a queued job, or a running one whose worker stopped answering.

    One conditional update decides, so a task the broker delivers twice runs once while its first
    worker lives, and runs afresh once that worker is gone.
    """
    takeable = Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, heartbeat__lt=_stale_before())
    if not Job.objects.filter(takeable, pk=job_id).update(status=JobStatus.RUNNING, heartbeat=timezone.now()):
        return None  # deleted meanwhile, finished, or running on a live worker
    return Job.objects.get(pk=job_id)


def settle_abandoned(job: Job) -> Job:
    """Fail ``job`` if it is running but its worker has not written for JOB_STALE_SECONDS; else leave it."""
    if job.status != JobStatus.RUNNING or job.heartbeat is None or job.heartbeat >= _stale_before():
        return job
    error = (f"the worker running this job stopped answering (last heard of at {job.heartbeat:%H:%M:%S} UTC); "
             "start it again")
    finished, log = timezone.now(), [*job.log, f"failed: {error}"]
    settled = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, heartbeat=job.heartbeat).update(
        status=JobStatus.FAILED, error=error, finished=finished, log=log)
    if settled:
        job.status, job.error, job.finished, job.log = JobStatus.FAILED, error, finished, log
    else:  # it moved on meanwhile: show what it is now
        job.refresh_from_db()
    return job


class JobReporter:
    """Records a running job's progress and log lines, and pushes its state to the sockets following it."""

    def __init__(self, job: Job):
        self.job = job
        self._pushed_at = 0.0
        self._writing = threading.Lock()  # the heartbeat thread writes too: one snapshot at a time

    def start(self, message: str) -> None:
        if self.job.started is not None:
            self.job.log.append(f"the worker that started this job at {self.job.started:%H:%M:%S} UTC stopped "
                                "answering; running it afresh")
            self.job.progress = 0
        self.job.status, self.job.started = JobStatus.RUNNING, timezone.now()
        self._record(message, force=True)

    @contextmanager
    def beating(self) -> Iterator[None]:
        """Keep the job's heartbeat fresh while the work inside runs, however long one step takes."""
        stop = threading.Event()

        def beat() -> None:
            try:
                while not stop.wait(settings.JOB_HEARTBEAT_SECONDS):
                    self._write()  # also brings out progress held back by the push interval
            finally:
                connection.close()  # this thread's own connection

        beater = threading.Thread(target=beat, name=f"job-{self.job.pk}-heartbeat", daemon=True)
        beater.start()
        try:
            yield
        finally:
            stop.set()
            beater.join()

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
        if force or time.monotonic() - self._pushed_at >= PUSH_INTERVAL_SECONDS:
            self._write()

    def _write(self) -> None:
        job = self.job
        with self._writing:
            self._pushed_at = time.monotonic()
            job.heartbeat = timezone.now()
            Job.objects.filter(pk=job.pk).update(status=job.status, progress=job.progress, log=list(job.log),
                                                 result=job.result, error=job.error, started=job.started,
                                                 finished=job.finished, heartbeat=job.heartbeat)
            state = job_state(job)
        push_state(job.pk, state)


def push_state(job_id: int, state: dict[str, Any]) -> None:
    """Tell the sockets following job ``job_id``; without a shared channel layer they read the database instead."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(job_group(job_id), {"type": "job.state", "state": state})
    except Exception:  # the job's work matters more than a live view of it
        logger.warning("could not push the state of job %s to its sockets", job_id, exc_info=True)


def _iso(moment) -> str | None:
    return moment.isoformat() if moment is not None else None
