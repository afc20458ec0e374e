"""A lab run of a review's head: refused where the server runs no labs; as root, the report is attached."""

from __future__ import annotations

import os

import pytest

from designer.review.models import LabRun, ReviewEvent
from designer.review.services.labs import lab_run

from .conftest import save

pytestmark = pytest.mark.django_db


def test_a_server_that_runs_no_labs_says_so(review, client_for, settings):
    settings.LAB_JOBS = False
    answer = client_for("reviewer").post(f"/api/reviews/{review.pk}/lab/")
    assert answer.status_code == 403 and "does not run labs" in answer.data["detail"]
    assert LabRun.objects.count() == 0


def test_a_head_with_errors_is_refused_by_the_lab(review, client_for, settings):
    settings.LAB_JOBS = True
    started = client_for("reviewer").post(f"/api/reviews/{review.pk}/lab/")
    assert started.status_code == 202 and started.data["status"] == "queued"
    run = lab_run(run_id=started.data["id"])  # as the worker does
    assert run.status == "refused" and "error finding" in run.error
    assert ReviewEvent.objects.filter(review=review, kind="lab_finished").exists()


@pytest.mark.lab
@pytest.mark.skipif(os.geteuid() != 0, reason="the lab creates network namespaces and starts FRR: it needs root")
def test_the_lab_report_of_the_head_is_attached_to_the_review(review, people, client_for, settings):
    settings.LAB_JOBS = True
    document = dict(review.base.document, description="the same fabric, described anew")
    save(review.design, document, people["editor"], "only words")
    started = client_for("reviewer").post(f"/api/reviews/{review.pk}/lab/")
    run = lab_run(run_id=started.data["id"])
    assert run.status == "passed", run.report or run.error
    listed = client_for("viewer").get(f"/api/reviews/{review.pk}/lab/").data
    assert listed[0]["head_number"] == 3 and listed[0]["report"]["ok"] is True
    assert {c["name"] for c in listed[0]["report"]["checks"]} >= {"bgp-sessions", "applied"}
