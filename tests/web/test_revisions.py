"""Revisions over the API: list, retrieve, save against a base (409 when stale), export as YAML."""

from __future__ import annotations

import copy

import yaml

from designer.fabric.document import load_text, to_data, validate
from designer.fabric.pipeline import compile_design
from designer.models import Revision
from designer.models.choices import Role
from designer.services.compiling import revision_compiled
from designer.services.designs import design_save

from .base import EndpointTests, stored_state


def edited(design, **changes):
    document = copy.deepcopy(design.current_revision.document)
    document.update(changes)
    return document


class TestListRevisions(EndpointTests):
    def url(self, design):
        return f"/api/designs/{design.pk}/revisions/"

    def check_success(self, response, design):
        assert [r["number"] for r in response.data["results"]] == [1]
        assert response.data["results"][0]["author"] == "owner"
        assert "document" not in response.data["results"][0]


class TestRetrieveRevision(EndpointTests):
    def url(self, design):
        return f"/api/designs/{design.pk}/revisions/{design.current_revision_id}/"

    def check_success(self, response, design):
        assert response.data["document"]["name"] == "proxmox-evpn"
        assert len(response.data["content_hash"]) == 64


class TestSaveRevision(EndpointTests):
    method = "post"
    least_role = Role.EDITOR
    success_status = 201
    bad_inputs = [
        ({"document": {"name": "x", "devices": [{"id": "d1"}]}, "base_revision": None}, "devices[0].name"),
        ({"document": "not a mapping", "base_revision": None}, "document"),
        ({"message": "no document"}, "document"),
        ({"document": {"name": "x"}}, "base_revision"),
        ({"document": {"name": "x"}, "base_revision": 999999}, "base_revision"),
    ]

    def url(self, design):
        return f"/api/designs/{design.pk}/revisions/"

    def body(self, design):
        return {"document": edited(design, description="with a new description"), "message": "describe it",
                "base_revision": design.current_revision_id}

    def check_success(self, response, design):
        design.refresh_from_db()
        assert response.data["number"] == 2
        assert response.data["parent"] == design.current_revision.parent_id
        assert design.current_revision_id == response.data["id"]
        assert design.current_revision.document["description"] == "with a new description"
        assert response.data["author"] == "editor"


class TestRevisionAsYaml(EndpointTests):
    def url(self, design):
        return f"/api/designs/{design.pk}/revisions/{design.current_revision_id}/yaml/"

    def check_success(self, response, design):
        assert response["Content-Type"].startswith("text/yaml")
        text = response.content.decode()
        assert to_data(load_text(text)) == design.current_revision.document
        assert yaml.safe_load(text)["name"] == "proxmox-evpn"


def test_a_save_against_a_stale_base_answers_409_with_the_current_revision(design, client_for):
    client = client_for("editor")
    base = design.current_revision_id
    first = client.post(f"/api/designs/{design.pk}/revisions/",
                        {"document": edited(design, description="first"), "base_revision": base}, format="json")
    assert first.status_code == 201
    before = stored_state()
    stale = client.post(f"/api/designs/{design.pk}/revisions/",
                        {"document": edited(design, description="second"), "base_revision": base}, format="json")
    assert stale.status_code == 409
    assert stale.data["current_revision"]["id"] == first.data["id"]
    assert stale.data["current_revision"]["document"]["description"] == "first"
    assert stored_state() == before
    design.refresh_from_db()
    assert design.current_revision.document["description"] == "first"


def test_allocations_stay_pinned_when_a_device_is_added_before_the_others(design, client_for):
    """A new VTEP listed first would take the first free loopback; with the pinned record it does not."""
    before = revision_compiled(design.current_revision).plan
    document = edited(design)
    new_host = copy.deepcopy(next(d for d in document["devices"] if d["name"] == "pve2"))
    new_host.update(id="pve9", name="pve9")
    document["devices"].insert(0, new_host)
    document["networks"][0]["attach"].append("pve9")
    unpinned = compile_design(validate(document)).plan
    assert any(unpinned.devices[d].loopback_v4 != old.loopback_v4 for d, old in before.devices.items())

    response = client_for("editor").post(f"/api/designs/{design.pk}/revisions/",
                                         {"document": document, "base_revision": design.current_revision_id},
                                         format="json")
    assert response.status_code == 201
    after = revision_compiled(Revision.objects.get(pk=response.data["id"])).plan
    for device_id, old in before.devices.items():
        new = after.devices[device_id]
        assert (new.asn, new.loopback_v4, new.vtep) == (old.asn, old.loopback_v4, old.vtep)
    assert after.devices["pve9"].loopback_v4 is not None
    assert after.devices["pve9"].loopback_v4 not in {d.loopback_v4 for d in before.devices.values()}


def test_revision_of_another_design_is_not_found(design, client_for, people):
    from designer.services.designs import design_create

    other = design_create(owner=people["editor"], name="other")
    response = client_for("editor").get(f"/api/designs/{design.pk}/revisions/{other.current_revision_id}/")
    assert response.status_code == 404


def test_listing_revisions_costs_the_same_queries_for_one_or_ten(design, client_for, people,
                                                                 django_assert_max_num_queries):
    client = client_for("viewer")
    with django_assert_max_num_queries(8) as one:
        client.get(f"/api/designs/{design.pk}/revisions/")
    base = design.current_revision
    for index in range(9):
        base = design_save(design=design, document=edited(design, description=f"edit {index}"), base_revision=base,
                           author=people["editor"])
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(f"/api/designs/{design.pk}/revisions/")
    assert [r["number"] for r in response.data["results"]] == list(range(10, 0, -1))
