"""The pages a person sees: sign-in, the design list with create and import, a design's page."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from designer.models import Design, Export, Revision
from designer.services.designs import design_create

from .conftest import example_text, finished_archive


@pytest.fixture
def browser_for(people):
    def make(name: str) -> Client:
        client = Client(enforce_csrf_checks=True)
        client.force_login(people[name])
        return client

    return make


def csrf(client: Client, url: str = "/") -> str:
    page = client.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]


def canvas_config(page: str) -> dict:
    """What the page tells the canvas (and its export script)."""
    return json.loads(re.search(r'<script id="weft-canvas-config" type="application/json">(.*?)</script>',
                                page, re.S)[1])


def test_signing_in_with_the_right_password_opens_the_design_list(db, people):
    people["viewer"].set_password("correct horse battery")
    people["viewer"].save()
    client = Client(enforce_csrf_checks=True)
    assert client.get("/").status_code == 302  # signed out: sent to the sign-in page
    token = csrf(client, "/login/")
    wrong = client.post("/login/", {"username": "viewer", "password": "nope", "csrfmiddlewaretoken": token})
    assert "do not match" in wrong.content.decode()
    right = client.post("/login/", {"username": "viewer", "password": "correct horse battery",
                                    "csrfmiddlewaretoken": csrf(client, "/login/")})
    assert right.status_code == 302 and right["Location"] == "/"
    assert "Designs" in client.get("/").content.decode()


def test_design_list_shows_only_the_designs_i_am_a_member_of(design, people, browser_for):
    design_create(owner=people["outsider"], name="secret pod")
    page = browser_for("viewer").get("/").content.decode()
    assert "proxmox-evpn" in page and "secret pod" not in page


def test_creating_a_design_from_the_list_opens_its_page(db, people, browser_for):
    client = browser_for("outsider")
    response = client.post("/designs/new/", {"name": "Pod B", "description": "", "csrfmiddlewaretoken": csrf(client)})
    design = Design.objects.get(name="Pod B")
    assert response.status_code == 302 and response["Location"] == f"/designs/{design.pk}/"


def test_importing_a_design_file_from_the_list(db, people, browser_for):
    client = browser_for("outsider")
    upload = SimpleUploadedFile("ganeti.yaml", example_text("ganeti-bonds").encode(), content_type="text/yaml")
    response = client.post("/designs/import/", {"file": upload, "csrfmiddlewaretoken": csrf(client)})
    assert response.status_code == 302
    assert Design.objects.get(owner=people["outsider"]).name == "ganeti-bonds"


def test_importing_a_broken_file_shows_where_it_is_broken_and_stores_nothing(db, people, browser_for):
    client = browser_for("outsider")
    upload = SimpleUploadedFile("bad.yaml", b"name: pod\ndevices:\n  - id: a\n    name: a\n    role: toaster\n")
    response = client.post("/designs/import/", {"file": upload, "csrfmiddlewaretoken": csrf(client)})
    assert response.status_code == 400
    assert "devices[0].role" in response.content.decode()
    assert not Design.objects.exists()


def test_importing_a_file_that_is_not_utf8_from_the_list_says_so(db, people, browser_for):
    client = browser_for("outsider")
    upload = SimpleUploadedFile("pod.yaml", "name: café\n".encode("latin-1"))
    response = client.post("/designs/import/", {"file": upload, "csrfmiddlewaretoken": csrf(client)})
    assert response.status_code == 400
    assert "not UTF-8 text" in response.content.decode()
    assert not Design.objects.exists()


def test_design_page_mounts_the_canvas_with_its_configuration(design, browser_for):
    page = browser_for("viewer").get(f"/designs/{design.pk}/").content.decode()
    config = canvas_config(page)
    assert (config["design"], config["revision"], config["role"]) == (
        design.pk, design.current_revision_id, "viewer")
    assert config["csrf_token"]
    assert 'id="weft-canvas"' in page and "/static/canvas/index.js" in page
    assert f"/designs/{design.pk}/plan/" in page  # the plan tables, readable without the canvas


def test_plan_page_shows_plan_tables_and_findings(design, browser_for):
    page = browser_for("viewer").get(f"/designs/{design.pk}/plan/").content.decode()
    for title in ("IP addresses", "ASNs, router-ids and loopbacks", "MTUs", "VNIs", "BGP sessions", "Cabling"):
        assert title in page
    assert "10.255.254.5" in page and "Findings" in page
    assert "export-form" not in page  # a viewer may not export
    assert f'href="/designs/{design.pk}/"' in page  # back to the canvas


@pytest.mark.parametrize(("role", "can_edit"), [("viewer", False), ("reviewer", False), ("editor", True),
                                               ("owner", True)])
def test_the_canvas_is_told_what_each_role_may_do(design, browser_for, role, can_edit):
    config = canvas_config(browser_for(role).get(f"/designs/{design.pk}/").content.decode())
    assert (config["can_edit"], config["can_export"]) == (can_edit, can_edit)


def test_plan_page_offers_export_with_progress_to_editors(design, browser_for):
    page = browser_for("editor").get(f"/designs/{design.pk}/plan/").content.decode()
    assert 'id="export-form"' in page and 'class="progress-bar"' in page and "new WebSocket(" in page
    assert "<option>tar.gz</option><option>zip</option>" in page
    reviewer = browser_for("reviewer").get(f"/designs/{design.pk}/plan/").content.decode()
    assert "export-form" not in reviewer and "new WebSocket(" not in reviewer


def test_pages_of_someone_elses_design_are_not_found(design, browser_for):
    assert browser_for("outsider").get(f"/designs/{design.pk}/").status_code == 404
    assert browser_for("outsider").get(f"/designs/{design.pk}/plan/").status_code == 404


def test_api_docs_and_admin_are_served(db, people, browser_for):
    people["owner"].is_staff = people["owner"].is_superuser = True
    people["owner"].save()
    client = browser_for("owner")
    assert "swagger" in client.get("/api/docs/").content.decode().lower()
    assert client.get("/admin/designer/design/").status_code == 200


@pytest.fixture
def admin_browser(people) -> Client:
    people["owner"].is_staff = people["owner"].is_superuser = True
    people["owner"].save()
    client = Client()
    client.force_login(people["owner"])
    return client


def test_the_admin_deletes_a_design_with_its_revisions_and_archives(design, admin_browser,
                                                                    django_capture_on_commit_callbacks):
    archive = finished_archive(design)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_browser.post(f"/admin/designer/design/{design.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Design.objects.filter(pk=design.pk).exists()
    assert not Revision.objects.filter(design_id=design.pk).exists()
    assert not default_storage.exists(archive)


@pytest.mark.parametrize("model", ["export", "job"])
def test_deleting_an_export_or_its_job_in_the_admin_removes_the_archive(design, admin_browser, model,
                                                                       django_capture_on_commit_callbacks):
    archive = finished_archive(design)
    export = Export.objects.get()
    pk = export.pk if model == "export" else export.job_id
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_browser.post(f"/admin/designer/{model}/{pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Export.objects.exists()
    assert not default_storage.exists(archive)
    assert Design.objects.get(pk=design.pk).current_revision is not None


def test_the_admin_never_deletes_a_revision_on_its_own(design, admin_browser):
    revision = design.current_revision_id
    assert admin_browser.get(f"/admin/designer/revision/{revision}/delete/").status_code == 403
    assert admin_browser.post(f"/admin/designer/revision/{revision}/delete/", {"post": "yes"}).status_code == 403
    assert Design.objects.get(pk=design.pk).current_revision_id == revision
