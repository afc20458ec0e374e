"""Celery tasks: each fetches ids, calls a service, and lets the service record the result."""

from celery import shared_task

from designer.services.exports import export_run


@shared_task(name="designer.export_bundle", acks_late=True)
def export_bundle(job_id: int) -> None:
    """Build and store the config bundle archive of export job ``job_id``."""
    export_run(job_id=job_id)
