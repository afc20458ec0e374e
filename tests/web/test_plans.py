"""Plans and findings of stored revisions, and the stateless compile endpoint the canvas uses."""

from __future__ import annotations

import copy
import os
import signal
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from designer.fabric.document import load_text, to_data
from designer.fabric.generate import leaf_spine
from designer.fabric.pipeline import compile_design
from designer.fabric.plan.record import AllocationRecord
from designer.fabric.spec import json_schema
from designer.fabric.tables import all_tables
from designer.services.designs import design_save

from .base import EndpointTests, stored_state
from .conftest import example_text
from .served import spawned_processes


class TestDesignPlan(EndpointTests):
    bad_inputs = [({"revision": "latest"}, "revision")]

    def url(self, design):
        return f"/api/designs/{design.pk}/plan/"

    def check_success(self, response, design):
        data = response.data
        assert data["revision"] == design.current_revision_id
        assert data["devices"]["pve1"]["vtep"] == "10.255.254.5"
        assert data["devices"]["pve1"]["asn"] in range(4200400000, 4200401000)
        assert {"ip", "asn", "mtu", "vni", "bgp", "cabling"} == {t["name"] for t in data["tables"]}
        assert data["summary"]["devices"] == 5 and data["summary"]["errors"] == 0


class TestDesignLint(EndpointTests):
    def url(self, design):
        return f"/api/designs/{design.pk}/lint/"

    def check_success(self, response, design):
        expected = compile_design(load_text(example_text("proxmox-evpn"))).findings
        assert response.data["findings"] == [finding.as_dict() for finding in expected]
        assert response.data["summary"]["errors"] == 0


def test_plan_of_an_older_revision_keeps_its_own_numbers(design, client_for, people):
    first = design.current_revision
    document = copy.deepcopy(first.document)
    document["networks"] = document["networks"][:1]
    design_save(design=design, document=document, base_revision=first, author=people["editor"])
    client = client_for("viewer")
    old = client.get(f"/api/designs/{design.pk}/plan/", {"revision": first.pk})
    new = client.get(f"/api/designs/{design.pk}/plan/")
    assert old.data["summary"]["vnis"] == 4 and new.data["summary"]["vnis"] == 1
    assert old.data["devices"]["pve2"]["vtep"] == new.data["devices"]["pve2"]["vtep"]


def test_plan_of_a_revision_of_another_design_is_not_found(design, client_for, people):
    from designer.services.designs import design_create

    other = design_create(owner=people["viewer"], name="mine")
    response = client_for("viewer").get(f"/api/designs/{design.pk}/plan/", {"revision": other.current_revision_id})
    assert response.status_code == 404


def test_compile_plan_answers_what_the_canvas_draws(client_for, people):
    document = to_data(load_text(example_text("proxmox-evpn")))
    before = stored_state()
    response = client_for("viewer").post("/api/compile/plan/", {"document": document}, format="json")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"devices", "links", "vnis", "findings", "summary", "server_ms"}  # no tables unless asked
    expected = compile_design(load_text(example_text("proxmox-evpn")))
    planned = expected.plan.devices["pve1"]
    # Four VNIs give pve1 four VXLAN devices and four bridges: too many to name on its node, so counted.
    assert data["devices"]["pve1"] == {
        "loopback_v4": planned.loopback_v4, "asn": planned.asn,
        "nic_mtus": {"enp101s0f0np0": 9216, "enp101s0f1np1": 9216},
        "overlay": [{"kind": "vxlan", "count": 4}, {"kind": "bridge", "count": 4}]}
    assert next(link for link in data["links"] if link["id"] == "pve1-leaf1") == {
        "id": "pve1-leaf1", "a_mtu": 9216, "b_mtu": 9216, "subnet": None}
    assert data["vnis"] == {vni.network: vni.vni for vni in expected.plan.vnis} and len(data["vnis"]) == 4
    assert data["findings"] == [finding.as_dict() for finding in expected.findings]
    assert data["summary"] == {"errors": 0, "warnings": sum(f.severity == "warning" for f in expected.findings),
                               "devices": 5, "links": 7, "sessions": 7, "vnis": 4}
    assert 0 < data["server_ms"] < 5000
    assert stored_state() == before


def test_compile_plan_names_a_few_overlay_interfaces_with_their_mtu(client_for, people):
    document = to_data(leaf_spine(spines=1, leaves=1, hypervisors_per_leaf=1, vnis=1))
    data = client_for("viewer").post("/api/compile/plan/", {"document": document}, format="json").json()
    hypervisor = next(device for device in compile_design(leaf_spine(spines=1, leaves=1, hypervisors_per_leaf=1,
                                                                     vnis=1)).plan.devices.values()
                      if device.role == "hypervisor")
    overlay = [{"name": i.name, "kind": i.kind, "mtu": i.mtu} for i in hypervisor.interfaces
               if i.kind in ("vxlan", "bridge")]
    assert len(overlay) == 2 and all(entry["mtu"] for entry in overlay)
    assert data["devices"][hypervisor.id]["overlay"] == overlay


def test_compile_plan_answers_the_plan_tables_when_asked(client_for, people):
    document = to_data(load_text(example_text("proxmox-evpn")))
    client = client_for("viewer")
    drawn = client.post("/api/compile/plan/", {"document": document}, format="json").json()
    with_tables = client.post("/api/compile/plan/", {"document": document, "tables": True}, format="json").json()
    expected = compile_design(load_text(example_text("proxmox-evpn")))
    assert with_tables.pop("tables") == [table.as_dict() for table in all_tables(expected.plan)]
    assert {key: value for key, value in with_tables.items() if key != "server_ms"} == {
        key: value for key, value in drawn.items() if key != "server_ms"}


def test_compile_plan_keeps_what_a_sent_record_pins(client_for, people):
    design = leaf_spine(spines=2, leaves=2, hypervisors_per_leaf=1, vnis=1)
    pinned = compile_design(design).plan.record.to_data()
    document = to_data(design)
    document["devices"].insert(0, {**document["devices"][-1], "id": "hv0", "name": "hv0", "nics": []})
    document["networks"][0]["attach"].insert(0, "hv0")
    client = client_for("viewer")
    with_record = client.post("/api/compile/plan/", {"document": document, "record": pinned}, format="json").json()
    without = client.post("/api/compile/plan/", {"document": document}, format="json").json()
    old = AllocationRecord.from_data(pinned)
    assert old.entries  # the record pins something
    planned = compile_design(design, old).plan.devices
    loopbacks = {d: with_record["devices"][d]["loopback_v4"] for d in planned}
    assert loopbacks == {d: planned[d].loopback_v4 for d in planned}
    assert {d: without["devices"][d]["loopback_v4"] for d in planned} != loopbacks  # what the record prevents


def test_compile_plan_with_a_bad_document_lists_every_problem_with_its_path(client_for):
    document = {"name": "pod", "devices": [{"id": "a", "name": "a", "role": "leaf", "platform": "toaster"}],
                "links": [{"id": "l1", "a": {"device": "a", "interface": "eth0"}, "b": {"device": "zz",
                                                                                       "interface": "eth0"}}]}
    response = client_for("viewer").post("/api/compile/plan/", {"document": document}, format="json")
    assert response.status_code == 400
    paths = [problem["path"] for problem in response.json()["problems"]]
    assert "devices[0].platform" in paths


def test_compile_plan_with_a_bad_record_names_it(client_for):
    response = client_for("viewer").post("/api/compile/plan/", {"document": {"name": "pod"}, "record": {"v": 2}},
                                         format="json")
    assert response.status_code == 400
    assert response.json()["problems"][0]["path"] == "version"


def test_compile_plan_needs_a_signed_in_caller(client_for):
    assert client_for(None).post("/api/compile/plan/", {"document": {"name": "x"}}, format="json").status_code == 401


def test_design_schema_is_the_document_json_schema(client_for):
    response = client_for(None).get("/api/design-schema/")
    assert response.status_code == 200
    assert response.json() == json_schema()
    assert "devices" in response.json()["properties"]


def _with_a_node_drawn_first(document: dict) -> dict:
    """The document with a new leaf drawn before every other device: without pinning it would take the first
    loopback and ASN and move everything after it."""
    drawn = copy.deepcopy(document)
    drawn["devices"].insert(0, {"id": "leaf0", "name": "leaf0", "role": "leaf", "platform": "cumulus",
                                "nics": [{"name": "swp1", "speed": "25G", "role": "uplink"}]})
    leaf1 = next(device for device in drawn["devices"] if device["id"] == "leaf1")
    leaf1["nics"].append({"name": "swp5", "speed": "25G", "role": "uplink"})
    drawn["links"].append({"id": "leaf0-leaf1", "a": {"device": "leaf0", "interface": "swp1"},
                           "b": {"device": "leaf1", "interface": "swp5"}})
    return drawn


def test_live_plan_keeps_what_the_base_revision_pinned(design, client_for):
    revision = design.current_revision
    stored = client_for("viewer").get(f"/api/designs/{design.pk}/plan/").data["devices"]
    drawn = _with_a_node_drawn_first(revision.document)
    client = client_for("viewer")
    pinned = client.post("/api/compile/plan/", {"document": drawn, "revision": revision.pk}, format="json")
    loose = client.post("/api/compile/plan/", {"document": drawn}, format="json")
    assert pinned.status_code == loose.status_code == 200
    for device in ("leaf1", "pve2", "pve3"):
        assert pinned.json()["devices"][device]["loopback_v4"] == stored[device]["loopback_v4"]
        assert pinned.json()["devices"][device]["asn"] == stored[device]["asn"]
    assert loose.json()["devices"]["leaf1"]["loopback_v4"] != stored["leaf1"]["loopback_v4"]


def test_live_plan_reads_the_pinned_revision_in_one_query(design, client_for):
    client = client_for("viewer")
    document = design.current_revision.document
    with CaptureQueriesContext(connection) as loose:
        assert client.post("/api/compile/plan/", {"document": document}, format="json").status_code == 200
    with CaptureQueriesContext(connection) as pinned:
        assert client.post("/api/compile/plan/", {"document": document, "revision": design.current_revision_id},
                           format="json").status_code == 200
    assert len(pinned) == len(loose) + 1


def test_live_plan_with_a_revision_of_a_design_i_am_not_in_is_not_found(design, client_for):
    response = client_for("outsider").post("/api/compile/plan/", {
        "document": design.current_revision.document, "revision": design.current_revision_id}, format="json")
    assert response.status_code == 404


def test_live_plan_takes_a_record_or_a_revision_not_both(design, client_for):
    response = client_for("viewer").post("/api/compile/plan/", {
        "document": design.current_revision.document, "revision": design.current_revision_id,
        "record": {"version": 1, "allocations": {}}}, format="json")
    assert response.status_code == 400
    assert [p["path"] for p in response.json()["problems"]] == ["revision"]


def test_a_planner_that_died_is_replaced_and_the_next_live_plan_answers(design, client_for):
    api = client_for("viewer")
    body = {"document": design.current_revision.document, "revision": design.current_revision_id}
    assert api.post("/api/compile/plan/", body, format="json").status_code == 200
    killed = spawned_processes(os.getpid())
    assert killed
    for pid in killed:
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while set(killed) & set(spawned_processes(os.getpid())):  # reaped by the pool once it sees them gone
        assert time.monotonic() < deadline
        time.sleep(0.05)
    body["document"] = {**body["document"], "description": "edited after the planner died"}  # not a drag: planned
    answer = api.post("/api/compile/plan/", body, format="json")
    assert answer.status_code == 200, answer.content[:300]
    assert answer.json()["summary"]["devices"] == 5
    assert not set(killed) & set(spawned_processes(os.getpid()))


def _without_timing(response) -> dict:
    answer = dict(response.json())  # a copy: the client keeps the response's JSON
    assert answer.pop("server_ms") >= 0
    return answer


def test_a_drag_is_answered_by_the_server_process_without_a_planner(design, client_for, monkeypatch):
    api = client_for("viewer")
    document = copy.deepcopy(design.current_revision.document)
    body = {"document": document, "revision": design.current_revision_id}
    first = api.post("/api/compile/plan/", body, format="json")
    assert first.status_code == 200
    document["devices"][0]["position"] = {"x": "left", "y": 0}  # the same plan, but not a document the schema takes
    refused = api.post("/api/compile/plan/", body, format="json")
    assert refused.status_code == 400
    assert [p["path"] for p in refused.json()["problems"]] == ["devices[0].position.x"]

    def no_planner(*args):
        raise AssertionError("a planner was asked")

    monkeypatch.setattr("designer.services.live._planned", no_planner)
    document["devices"][0]["position"] = {"x": 4321, "y": -17.5}
    dragged = api.post("/api/compile/plan/", body, format="json")
    assert dragged.status_code == 200
    assert _without_timing(dragged) == _without_timing(first)
    document["devices"][0]["position"] = None
    assert _without_timing(api.post("/api/compile/plan/", body, format="json")) == _without_timing(first)
    with pytest.raises(AssertionError, match="a planner was asked"):  # an edit the plan reads goes to a planner
        api.post("/api/compile/plan/", {**body, "tables": True}, format="json")
