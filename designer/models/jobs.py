"""Background jobs with their progress and log, and the export archives they produce."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .choices import ArchiveFormat, JobKind, JobStatus


class Job(models.Model):
    """Work a Celery worker does for a person; progress and log lines reach the browser live."""

    kind = models.CharField(max_length=16, choices=JobKind.choices)
    design = models.ForeignKey("Design", on_delete=models.CASCADE, related_name="jobs")
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="percent done, 0-100")
    log = models.JSONField(default=list, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True, help_text="when the worker running it last wrote")

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} job {self.pk} ({self.status})"


def export_path(instance: Export, filename: str) -> str:
    return f"{instance.revision.design.slug}/{filename}"


class Export(models.Model):
    """A config bundle of one revision, for one node or the whole design, as an archive in storage."""

    revision = models.ForeignKey("Revision", on_delete=models.CASCADE, related_name="exports")
    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="export")
    node = models.CharField(max_length=64, blank=True, help_text="a device name; empty for the whole design")
    format = models.CharField(max_length=8, choices=ArchiveFormat.choices, default=ArchiveFormat.TAR_GZ)
    file = models.FileField(upload_to=export_path, blank=True, help_text="in the default storage: exports/ on disk")
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"export {self.pk} of {self.revision} ({self.node or 'all nodes'}, {self.format})"

