"""Exports over the API: start a job, read it back, download the finished archive (editors and owners only)."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from designer.models import Export, Job
from designer.models.choices import Role
from designer.services.exports import export_run, export_start

from .base import EndpointTests
from .conftest import finished_archive


@pytest.fixture
def finished_export(design, people):
    """An export of pve1 as zip, run to the end by the same service a worker calls."""
    job = export_start(design=design, revision=design.current_revision, archive_format="zip", node="pve1",
                       user=people["editor"])
    export_run(job_id=job.pk)
    return Export.objects.get(job=job)


def queued_export(design, people) -> Job:
    return export_start(design=design, revision=design.current_revision, archive_format="zip", node="pve1",
                        user=people["editor"])


def last_heard(job: Job, seconds_ago: float) -> None:
    """The job as a worker leaves it in the middle of the work: running, its heartbeat ``seconds_ago``."""
    moment = timezone.now() - timedelta(seconds=seconds_ago)
    Job.objects.filter(pk=job.pk).update(status="running", started=moment, heartbeat=moment, progress=40,
                                         log=["compiling revision 1 of proxmox-evpn for node pve1"])


def test_a_job_whose_worker_stopped_answering_reads_as_failed_and_stays_so(design, people, client_for, settings):
    job = queued_export(design, people)
    last_heard(job, settings.JOB_STALE_SECONDS + 60)
    state = client_for("viewer").get(f"/api/jobs/{job.pk}/").data
    assert state["status"] == "failed" and state["finished"] is not None
    assert state["error"].startswith("the worker running this job stopped answering (last heard of at ")
    assert state["log"][-1] == f"failed: {state['error']}"
    assert Job.objects.get(pk=job.pk).status == "failed"  # recorded, not only shown


def test_a_job_delivered_again_after_its_worker_stopped_runs_afresh(design, people, settings):
    job = queued_export(design, people)
    last_heard(job, settings.JOB_STALE_SECONDS + 60)
    export_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.progress, job.error) == ("succeeded", 100, "")
    assert any("stopped answering; running it afresh" in line for line in job.log)
    assert Export.objects.get(job=job).file


def test_a_job_delivered_twice_while_its_worker_lives_runs_once(design, people, settings):
    job = queued_export(design, people)
    last_heard(job, 1)
    export_run(job_id=job.pk)  # the second delivery
    job.refresh_from_db()
    assert (job.status, job.progress) == ("running", 40)
    assert not Export.objects.get(job=job).file


class TestStartExport(EndpointTests):
    method = "post"
    least_role = Role.EDITOR
    success_status = 202
    bad_inputs = [({"format": "rar"}, "format"), ({"node": "pve99"}, "node"), ({"revision": 999999}, "revision")]

    def url(self, design):
        return f"/api/designs/{design.pk}/exports/"

    def body(self, design):
        return {"format": "tar.gz", "node": "pve2"}

    def check_success(self, response, design):
        job = response.data["job"]
        assert (job["kind"], job["status"], job["progress"]) == ("export", "queued", 0)
        export = Export.objects.get(job_id=job["id"])
        assert (export.node, export.format, export.revision_id) == ("pve2", "tar.gz", design.current_revision_id)


class TestReadJob(EndpointTests):
    def url(self, design):
        job = export_start(design=design, revision=design.current_revision, archive_format="zip", node="",
                           user=design.owner)
        return f"/api/jobs/{job.pk}/"

    def check_success(self, response, design):
        assert set(response.data) >= {"id", "kind", "status", "progress", "log", "result", "error"}


class TestDownloadExport(EndpointTests):
    least_role = Role.EDITOR

    def url(self, design):
        job = export_start(design=design, revision=design.current_revision, archive_format="tar.gz", node="leaf1",
                           user=design.owner)
        export_run(job_id=job.pk)
        return f"/api/exports/{job.export.pk}/download/"

    def check_success(self, response, design):
        archive = b"".join(response.streaming_content)
        assert response["Content-Type"] == "application/gzip"
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            manifest = json.load(tar.extractfile("manifest.json"))
        assert manifest["nodes"] == ["leaf1"]


def test_an_export_job_starts_when_its_transaction_commits(design, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client_for("editor").post(f"/api/designs/{design.pk}/exports/", {}, format="json")
    assert response.status_code == 202
    assert len(queued) == 1


def test_a_finished_export_holds_the_node_bundle_and_its_checksum(finished_export, client_for):
    job = Job.objects.get(pk=finished_export.job_id)
    assert (job.status, job.progress, job.error) == ("succeeded", 100, "")
    assert job.result["download_url"] == f"/api/exports/{finished_export.pk}/download/"
    assert job.started <= job.finished
    response = client_for("editor").get(job.result["download_url"])
    archive = b"".join(response.streaming_content)
    assert hashlib.sha256(archive).hexdigest() == job.result["sha256"] == finished_export.sha256
    with zipfile.ZipFile(io.BytesIO(archive)) as bundle:
        names = bundle.namelist()
        manifest = json.loads(bundle.read("manifest.json"))
    assert "pve1/etc/frr/frr.conf" in names and not any(name.startswith("pve2/") for name in names)
    assert set(manifest["files"]) == set(names) - {"manifest.json", "SHA256SUMS"}


def test_an_archive_is_readable_by_the_server_user_alone_in_folders_no_one_else_opens(design, settings):
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    root.mkdir(mode=0o755)  # as a checkout leaves exports/
    archive = root / finished_archive(design)
    assert archive.stat().st_mode & 0o777 == 0o600
    folders = [folder for folder in archive.parents if folder == root or root in folder.parents]
    assert folders and all(folder.stat().st_mode & 0o777 == 0o700 for folder in folders), folders


def test_an_export_of_a_design_with_errors_fails_and_says_why(design, people):
    document = dict(design.current_revision.document)
    document["mtu"] = {"underlay": 1500, "tenant": 9000}  # VXLAN cannot carry 9000-byte frames over 1500
    from designer.services.designs import design_save

    revision = design_save(design=design, document=document, base_revision=design.current_revision,
                           author=people["editor"])
    job = export_start(design=design, revision=revision, archive_format="zip", node="", user=people["editor"])
    export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    assert "error finding" in job.error and "fix them before exporting" in job.error
    assert "planned and checked" not in job.log  # a refused export does not say it got that far
    assert not Export.objects.get(job=job).file


def test_a_reviewer_reads_the_job_but_cannot_download(finished_export, client_for):
    reviewer = client_for("reviewer")
    assert reviewer.get(f"/api/jobs/{finished_export.job_id}/").status_code == 200
    assert reviewer.get(f"/api/exports/{finished_export.pk}/download/").status_code == 403


def test_a_task_delivered_twice_runs_the_export_once(finished_export):
    job = Job.objects.get(pk=finished_export.job_id)
    export_run(job_id=job.pk)
    again = Job.objects.get(pk=job.pk)
    assert (again.log, again.finished, again.result) == (job.log, job.finished, job.result)
