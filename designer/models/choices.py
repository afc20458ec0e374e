"""Fixed vocabularies of the designer's models: membership roles, job kinds and states, archive formats."""

from django.db import models


class Role(models.TextChoices):
    """What a member may do with a design, least first: each role includes everything the ones before it may."""

    VIEWER = "viewer", "viewer"
    REVIEWER = "reviewer", "reviewer"
    EDITOR = "editor", "editor"
    OWNER = "owner", "owner"


class JobKind(models.TextChoices):
    EXPORT = "export", "export"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "queued"
    RUNNING = "running", "running"
    SUCCEEDED = "succeeded", "succeeded"
    FAILED = "failed", "failed"


FINISHED_STATUSES = (JobStatus.SUCCEEDED, JobStatus.FAILED)


class ArchiveFormat(models.TextChoices):
    TAR_GZ = "tar.gz", "tar.gz"
    ZIP = "zip", "zip"
