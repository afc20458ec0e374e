"""Celery tasks: each fetches ids, calls a service, and lets the service record the result."""

from celery import shared_task
from celery.signals import worker_ready

from designer.services.exports import export_run


@shared_task(name="designer.export_bundle", acks_late=True)
def export_bundle(job_id: int) -> None:
    """Build and store the config bundle archive of export job ``job_id``."""
    export_run(job_id=job_id)


@shared_task(name="designer.push_run", acks_late=True)
def push_run(run_id: int) -> None:
    """Drive push run ``run_id``: its plan phase, or its waves once a person confirmed the plan."""
    from designer.push.worker import push_run_execute

    push_run_execute(run_id)


@shared_task(name="designer.push_drift_all")
def push_drift_all() -> None:
    """The periodic drift check of every design a push reached (celery beat, PUSH_DRIFT_SECONDS)."""
    from designer.push.runs import drift_all

    drift_all()


@worker_ready.connect
def take_up_push_runs(**kwargs) -> None:
    """Runs whose worker died are taken up by the next worker that starts, once their lease lapses."""
    from designer.push.worker import runs_to_take_up

    for run_id, seconds in runs_to_take_up().items():
        push_run.apply_async((run_id,), countdown=seconds + 1)
