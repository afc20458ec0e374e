"""Celery tasks of review: each fetches ids, calls a service, and lets the service record the result."""

from celery import shared_task

from .models import Review
from .services.approvals import review_settle
from .services.labs import lab_run


@shared_task(name="designer.review_refresh", acks_late=True)
def review_refresh(review_id: int) -> None:
    """Compute a review at its new head (so it opens from the cache) and tell of approvals the head invalidated."""
    review = Review.objects.select_related("design", "base", "head", "author").filter(pk=review_id).first()
    if review is not None:
        review_settle(review)


@shared_task(name="designer.review_lab", acks_late=True)
def review_lab(run_id: int) -> None:
    """Run ``fabric lab verify`` on a review's head and attach the report."""
    lab_run(run_id=run_id)
