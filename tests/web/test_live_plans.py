"""The canvas's live plan reuses what earlier edits computed, and answers exactly what a full plan answers."""

from __future__ import annotations

import copy

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designer.fabric.document import to_data, validate
from designer.fabric.errors import DesignError
from designer.fabric.generate import leaf_spine
from designer.fabric.pipeline import compile_design
from designer.fabric.plan import details
from designer.fabric.plan.record import AllocationRecord
from designer.services import live_plans
from designer.services.live_plans import LivePlans
from designer.services.plans import live_plan_payload
from tests.conftest import EXAMPLE_NAMES, load_example

START = to_data(leaf_spine(spines=2, leaves=4, hypervisors_per_leaf=2, vnis=3, name="edits"))
HYPERVISORS = [d["id"] for d in START["devices"] if d["role"] == "hypervisor"]
# the examples bring what the generated fabric lacks: bonds, routed networks, egress gateways, meshes, gateways
EXAMPLES = {name: to_data(load_example(name)) for name in EXAMPLE_NAMES}


def full_plan(document: dict, tables: bool) -> dict:
    """The answer planned from nothing, as before the live plan kept anything."""
    return live_plan_payload(compile_design(validate(document)), tables=tables)


def kept_plan(plans: LivePlans, document: dict, tables: bool) -> dict:
    """The answer the planner gives, reusing what it kept."""
    return orjson.loads(plans.answer(document=document, record=None, record_source="record", tables=tables))


def answers(plans: LivePlans, document: dict, tables: bool):
    """Both answers, or the problems each refused the document with."""
    try:
        kept = kept_plan(plans, document, tables)
    except DesignError as exc:
        kept = [str(problem) for problem in exc.problems]
    try:
        full = full_plan(document, tables)
    except DesignError as exc:
        full = [str(problem) for problem in exc.problems]
    return kept, full


def move(doc, pick, value):
    device = doc["devices"][pick % len(doc["devices"])]
    device["position"] = {"x": float(value), "y": float(value % 97)}


def set_mtu(doc, pick, value):
    device = doc["devices"][pick % len(doc["devices"])]
    if not device.get("nics"):
        return
    nic = device["nics"][value % len(device["nics"])]
    nic["mtu"] = (1500, 9000, 9216, 100)[value % 4]  # 100 is no MTU at all: the document is refused


def drop_link(doc, pick, value):
    if doc.get("links"):
        del doc["links"][pick % len(doc["links"])]


def attach(doc, pick, value):
    network = doc["networks"][pick % len(doc["networks"])]
    device = HYPERVISORS[value % len(HYPERVISORS)]
    if device in network["attach"]:
        network["attach"].remove(device)
    else:
        network["attach"].append(device)


def rename(doc, pick, value):
    doc["devices"][pick % len(doc["devices"])]["name"] = f"node{value % 7}"  # may clash: refused then


def renumber(doc, pick, value):
    doc["networks"][pick % len(doc["networks"])]["vni"] = 10001 + value % 5  # may clash: a finding


def add_network(doc, pick, value):
    doc["networks"].append({"id": f"extra{len(doc['networks'])}", "name": f"extra{value}", "vni": 20000 + value,
                            "attach": HYPERVISORS[: 1 + pick % len(HYPERVISORS)]})


def pin_address(doc, pick, value):
    network = doc["networks"][pick % len(doc["networks"])]
    network["subnet"] = network.get("subnet") or f"10.{100 + pick % 50}.0.0/24"
    device = HYPERVISORS[value % len(HYPERVISORS)]
    network["attach"] = [a for a in network["attach"] if a not in (device, {"device": device})]
    network["attach"].append({"device": device, "address": f"{network['subnet'].rsplit('.', 2)[0]}.{value % 300}"})


def underlay(doc, pick, value):
    doc["mtu"] = {"underlay": (9216, 1600, 1500)[value % 3], "tenant": 9000 if value % 2 else 1450}


def nic_details(doc, pick, value):
    """Details alone (``designer.fabric.changes``): planned again for the devices they are on only."""
    device = doc["devices"][pick % len(doc["devices"])]
    if not device.get("nics"):
        return
    nic = device["nics"][value % len(device["nics"])]
    nic["speed"] = (None, "10G", "25G", "100G")[value % 4]
    nic["dhcp"] = (None, True, False)[pick % 3]
    nic["description"] = f"port {value}"


def link_mtu(doc, pick, value):
    if doc.get("links"):
        doc["links"][pick % len(doc["links"])]["mtu"] = (None, 1500, 9000, 9216)[value % 4]


EDITS = [move, set_mtu, drop_link, attach, rename, renumber, add_network, pin_address, underlay, nic_details,
         link_mtu]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 1000), st.integers(0, 1000), st.booleans()),
                min_size=1, max_size=8))
def test_every_answer_along_an_edit_sequence_is_the_full_plans(edits):
    plans, document = LivePlans(), copy.deepcopy(START)
    assert kept_plan(plans, document, False) == full_plan(document, False)
    for edit, pick, value, tables in edits:
        edit(document, pick, value)
        kept, full = answers(plans, copy.deepcopy(document), tables)
        assert kept == full, edit.__name__


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(EXAMPLE_NAMES),
       st.lists(st.tuples(st.sampled_from([move, set_mtu, drop_link, rename, underlay, nic_details, link_mtu]),
                          st.integers(0, 1000),
                          st.integers(0, 1000), st.booleans()), min_size=1, max_size=6))
def test_the_examples_too(name, edits):
    plans, document = LivePlans(), copy.deepcopy(EXAMPLES[name])
    for edit, pick, value, tables in edits:
        edit(document, pick, value)
        kept, full = answers(plans, copy.deepcopy(document), tables)
        assert kept == full, edit.__name__


def _planning_recorded(monkeypatch) -> list[str]:
    """Records each plan in full ("full") and each device planned again after an edit of details alone."""
    planned: list[str] = []
    full, again = live_plans.compile_design, details.plan_interfaces

    def compile_design(*args, **kwargs):
        planned.append("full")
        return full(*args, **kwargs)

    def plan_interfaces(*args, only, **kwargs):
        planned.extend(only)
        return again(*args, only=only, **kwargs)

    monkeypatch.setattr(live_plans, "compile_design", compile_design)
    monkeypatch.setattr(details, "plan_interfaces", plan_interfaces)
    return planned


def test_a_drag_is_answered_without_planning(monkeypatch):
    plans, document = LivePlans(), copy.deepcopy(START)
    first = kept_plan(plans, document, False)
    planned = _planning_recorded(monkeypatch)
    move(document, 3, 640)
    assert kept_plan(plans, copy.deepcopy(document), False) == first
    assert planned == []
    set_mtu(document, 3, 2)
    kept_plan(plans, document, False)
    assert planned == [document["devices"][3]["id"]]


def test_only_what_an_edit_reaches_is_validated_and_planned_again(monkeypatch):
    plans, document = LivePlans(), copy.deepcopy(START)
    kept_plan(plans, document, False)
    elements, interfaces = len(plans.elements), len(plans.interfaces)
    planned = _planning_recorded(monkeypatch)
    set_mtu(document, 0, 1)  # one NIC of one spine: only that spine is validated and planned again
    kept_plan(plans, document, False)
    assert len(plans.elements) == elements + 1
    assert planned == ["spine1"]
    link_mtu(document, 0, 2)  # a link: the devices at both its ends
    kept_plan(plans, document, False)
    link = document["links"][0]
    assert sorted(planned[1:]) == sorted([link["a"]["device"], link["b"]["device"]])
    planned.clear()
    rename(document, 0, 3)  # its name is written into its peers' interfaces ("cabled to spine1:swp2")
    kept_plan(plans, document, False)
    assert planned == ["full"]
    # planned in full, but only the spine and its four leaves have interfaces planned again: the others are kept
    assert len(plans.interfaces) == interfaces + 1 + 4


def test_answers_of_each_design_are_kept_apart():
    plans, one, other = LivePlans(), copy.deepcopy(START), copy.deepcopy(START)
    other["name"] = "another"
    set_mtu(other, 0, 1)
    for document in (one, other, one, other):
        assert kept_plan(plans, copy.deepcopy(document), False) == full_plan(document, False)
    record = compile_design(validate(one)).plan.record.to_data()
    pinned = orjson.loads(plans.answer(document=one, record=record, record_source="record", tables=False))
    assert pinned == live_plan_payload(compile_design(validate(one), AllocationRecord.from_data(record)),
                                       tables=False)


def test_a_bad_position_is_refused_even_when_nothing_else_changed():
    plans, document = LivePlans(), copy.deepcopy(START)
    kept_plan(plans, document, False)
    document["devices"][0]["position"] = {"x": "left", "y": 0}
    with pytest.raises(DesignError, match=r"devices\[0\]\.position\.x"):
        kept_plan(plans, document, False)
