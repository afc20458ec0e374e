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


EDITS = [move, set_mtu, drop_link, attach, rename, renumber, add_network, pin_address, underlay]


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
       st.lists(st.tuples(st.sampled_from([move, set_mtu, drop_link, rename, underlay]), st.integers(0, 1000),
                          st.integers(0, 1000), st.booleans()), min_size=1, max_size=6))
def test_the_examples_too(name, edits):
    plans, document = LivePlans(), copy.deepcopy(EXAMPLES[name])
    for edit, pick, value, tables in edits:
        edit(document, pick, value)
        kept, full = answers(plans, copy.deepcopy(document), tables)
        assert kept == full, edit.__name__


def test_a_drag_is_answered_without_planning(monkeypatch):
    plans, document = LivePlans(), copy.deepcopy(START)
    first = kept_plan(plans, document, False)
    move(document, 3, 640)

    def no_planning(*args, **kwargs):
        raise AssertionError("planned again")

    monkeypatch.setattr("designer.services.live_plans.compile_design", no_planning)
    assert kept_plan(plans, copy.deepcopy(document), False) == first
    with pytest.raises(AssertionError, match="planned again"):
        set_mtu(document, 3, 2)
        kept_plan(plans, document, False)


def test_only_what_an_edit_reaches_is_validated_and_planned_again():
    plans, document = LivePlans(), copy.deepcopy(START)
    kept_plan(plans, document, False)
    elements, interfaces = len(plans.elements), len(plans.interfaces)
    set_mtu(document, 0, 1)  # one NIC of one spine: only that spine is validated and planned again
    kept_plan(plans, document, False)
    assert (len(plans.elements), len(plans.interfaces)) == (elements + 1, interfaces + 1)
    rename(document, 0, 3)  # its name is written into its peers' interfaces ("cabled to spine1:swp2")
    kept_plan(plans, document, False)
    assert len(plans.interfaces) == interfaces + 2 + 4  # the spine again, and its four leaves


def test_a_bad_position_is_refused_even_when_nothing_else_changed():
    plans, document = LivePlans(), copy.deepcopy(START)
    kept_plan(plans, document, False)
    document["devices"][0]["position"] = {"x": "left", "y": 0}
    with pytest.raises(DesignError, match=r"devices\[0\]\.position\.x"):
        kept_plan(plans, document, False)
