"""Designs over the API: list, create, retrieve, update metadata, delete, members."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.test import TestCase

from designer.models import Design, Membership, Revision
from designer.models.choices import Role
from designer.services.designs import design_create

from .base import EndpointTests, stored_state
from .conftest import example_text, finished_archive, make_user


class TestRetrieveDesign(EndpointTests):
    def url(self, design):
        return f"/api/designs/{design.pk}/"

    def check_success(self, response, design):
        assert response.data["name"] == "proxmox-evpn"
        assert response.data["role"] == Role.VIEWER
        assert response.data["current_revision"] == design.current_revision_id
        assert [d["name"] for d in response.data["document"]["devices"]][:3] == ["leaf1", "leaf2", "pve1"]


class TestUpdateDesign(EndpointTests):
    method = "patch"
    least_role = Role.EDITOR
    bad_inputs = [({"name": ""}, "name"), ({"name": "x" * 101}, "name")]

    def url(self, design):
        return f"/api/designs/{design.pk}/"

    def body(self, design):
        return {"name": "EVPN pod 2", "description": "renamed"}

    def check_success(self, response, design):
        assert response.data["name"] == "EVPN pod 2"
        design.refresh_from_db()
        assert (design.name, design.description) == ("EVPN pod 2", "renamed")
        assert design.revisions.count() == 1  # metadata is not a revision


class TestDeleteDesign(EndpointTests):
    method = "delete"
    least_role = Role.OWNER
    success_status = 204

    def url(self, design):
        self.archive = finished_archive(design)
        return f"/api/designs/{design.pk}/"

    def call(self, client, url, design, body=None):
        with TestCase.captureOnCommitCallbacks(execute=True):  # archives leave storage once the deletion commits
            return super().call(client, url, design, body)

    def check_success(self, response, design):
        assert not Design.objects.filter(pk=design.pk).exists()
        assert not Revision.objects.filter(design_id=design.pk).exists()
        assert not default_storage.exists(self.archive)


class TestMembers(EndpointTests):
    def url(self, design):
        return f"/api/designs/{design.pk}/members/"

    def check_success(self, response, design):
        assert {m["username"]: m["role"] for m in response.data} == {
            "owner": "owner", "editor": "editor", "reviewer": "reviewer", "viewer": "viewer"}


class TestGrantRole(EndpointTests):
    method = "post"
    least_role = Role.OWNER
    bad_inputs = [({"username": "nobody-by-this-name", "role": "viewer"}, "username"),
                  ({"username": "outsider", "role": "admiral"}, "role"),
                  ({"username": "owner", "role": "viewer"}, "username")]

    def url(self, design):
        return f"/api/designs/{design.pk}/members/"

    def body(self, design):
        return {"username": "outsider", "role": "reviewer"}

    def check_success(self, response, design):
        assert Membership.objects.get(design=design, user__username="outsider").role == Role.REVIEWER


def test_list_shows_only_my_designs_with_my_role(design, client_for, people):
    design_create(owner=people["outsider"], name="somebody else's")
    response = client_for("reviewer").get("/api/designs/")
    assert response.status_code == 200
    assert [(d["name"], d["role"]) for d in response.data["results"]] == [("proxmox-evpn", "reviewer")]
    assert "document" not in response.data["results"][0]


def test_list_costs_the_same_queries_for_one_design_or_twenty(design, client_for, people,
                                                              django_assert_max_num_queries):
    client = client_for("owner")
    with django_assert_max_num_queries(4) as one:
        client.get("/api/designs/")
    for index in range(19):
        design_create(owner=people["owner"], name=f"pod {index}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get("/api/designs/")
    assert response.data["count"] == 20


def test_create_an_empty_design_makes_its_owner_and_first_revision(client_for, people):
    response = client_for("outsider").post("/api/designs/", {"name": "Pod A", "description": "new"}, format="json")
    assert response.status_code == 201
    assert (response.data["slug"], response.data["role"], response.data["owner"]) == ("pod-a", "owner", "outsider")
    assert response.data["document"] == {"version": 1, "name": "pod-a"}
    again = client_for("outsider").post("/api/designs/", {"name": "Pod A"}, format="json")
    assert again.data["slug"] == "pod-a-2"


def test_create_with_a_document_keeps_it_as_the_first_revision(client_for, people):
    from designer.fabric.document import load_text, to_data

    document = to_data(load_text(example_text("ganeti-bonds")))
    response = client_for("outsider").post("/api/designs/", {"name": "Ganeti", "document": document}, format="json")
    assert response.status_code == 201
    assert response.data["document"] == document
    assert Revision.objects.get(pk=response.data["current_revision"]).number == 1


@pytest.mark.parametrize(("body", "path"), [
    ({}, "name"),
    ({"name": "Pod", "document": []}, "document"),
    ({"name": "Pod", "document": {"name": "pod", "devices": [{"id": "a", "name": "bad name!"}]}}, "devices[0].name"),
    ({"name": "Pod", "slug": "not a slug"}, "slug"),
])
def test_create_with_bad_input_names_the_path_and_stores_nothing(client_for, people, body, path):
    before = stored_state()
    response = client_for("outsider").post("/api/designs/", body, format="json")
    assert response.status_code == 400
    assert path in [problem["path"] for problem in response.data["problems"]]
    assert stored_state() == before


def test_create_with_a_taken_slug_is_refused(design, client_for):
    response = client_for("owner").post("/api/designs/", {"name": "x", "slug": design.slug}, format="json")
    assert response.status_code == 400
    assert response.data["problems"][0]["path"] == "slug"


def test_anonymous_cannot_list_or_create(client_for):
    assert client_for(None).get("/api/designs/").status_code == 401
    assert client_for(None).post("/api/designs/", {"name": "x"}, format="json").status_code == 401


def test_token_is_given_for_a_user_name_and_password(db, client_for):
    user = make_user("scripter")
    user.set_password("a long pass phrase")
    user.save()
    response = client_for(None).post("/api/auth/token/", {"username": "scripter", "password": "a long pass phrase"},
                                     format="json")
    assert response.status_code == 201
    listed = client_for(None)
    listed.credentials(HTTP_AUTHORIZATION=f"Token {response.data['token']}")
    assert listed.get("/api/designs/").status_code == 200
