"""An edit of details alone is told apart from any other, and planning again after one gives the full plan."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designer.fabric.changes import detail_edit
from designer.fabric.document import to_data, validate
from designer.fabric.errors import DesignError
from designer.fabric.generate import leaf_spine
from designer.fabric.pipeline import compile_design, recompile
from tests.conftest import EXAMPLE_NAMES, fixed_keygen, load_example

DOCUMENTS = {name: to_data(load_example(name)) for name in EXAMPLE_NAMES}
DOCUMENTS["generated"] = to_data(leaf_spine(spines=2, leaves=4, hypervisors_per_leaf=2, vnis=3, name="edits"))
MTUS = (None, 1500, 1600, 9000, 9216)
SPEEDS = (None, "1G", "10G", "25G", "100G")


def _pick(items: list, pick: int):
    return items[pick % len(items)] if items else None


def nic_detail(doc, pick, value):
    device = _pick(doc["devices"], pick)
    nic = _pick(device.get("nics", []), value)
    if nic is None:
        return
    field = ("mtu", "speed", "dhcp", "description")[value % 4]
    if field == "mtu":
        nic["mtu"] = MTUS[value % len(MTUS)]
    elif field == "speed":
        nic["speed"] = SPEEDS[value % len(SPEEDS)]
    elif field == "dhcp":
        nic["dhcp"] = (None, True, False)[value % 3]
        nic["dhcp_default_route"] = (None, True, False)[pick % 3] if nic["dhcp"] else None
    else:
        nic["description"] = f"port {value}"


def part_mtu(doc, pick, value):
    device = _pick(doc["devices"], pick)
    parts = [part for kind in ("bonds", "vlans", "bridges") for part in device.get(kind, [])]
    part = _pick(parts, value)
    if part is not None:
        part["mtu"] = MTUS[value % len(MTUS)]


def link_mtu(doc, pick, value):
    link = _pick(doc.get("links", []), pick)
    if link is not None:
        link["mtu"] = MTUS[value % len(MTUS)]


def describe(doc, pick, value):
    _pick(doc["devices"], pick)["description"] = f"node {value}"


def move(doc, pick, value):
    kind = _pick([k for k in ("devices", "racks", "networks", "vrfs", "wireguard", "egress") if doc.get(k)], value)
    _pick(doc[kind], pick)["position"] = {"x": float(value), "y": float(pick % 89)}


DETAIL_EDITS = [nic_detail, part_mtu, link_mtu, describe, move]
EDITS = st.lists(st.tuples(st.sampled_from(DETAIL_EDITS), st.integers(0, 1000), st.integers(0, 1000)),
                 min_size=1, max_size=5)


def compiled_pair(name: str):
    """A document and its compiled design, pinned to the record of its first plan (keys stay the same)."""
    document = copy.deepcopy(DOCUMENTS[name])
    record = compile_design(validate(document), keygen=fixed_keygen(name)).plan.record
    return document, record, compile_design(validate(document), record, reusable=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(DOCUMENTS)), st.lists(EDITS, min_size=1, max_size=3))
def test_planning_again_after_details_gives_the_full_plan_and_findings(name, steps):
    document, record, compiled = compiled_pair(name)
    for edits in steps:  # each step starts from the plan made again by the one before
        for edit, pick, value in edits:
            edit(document, pick, value)
        try:
            design = validate(copy.deepcopy(document))
        except DesignError:
            return  # a detail may make the document invalid (a DHCP default route without DHCP): refused either way
        changed = detail_edit(compiled.design, design)
        assert changed is not None
        again = recompile(compiled, design, changed)
        full = compile_design(design, record)
        if again is None:  # an egress gateway's details: planned in full
            assert changed.devices & {g for egress in design.egress for g in egress.gateways}
            return
        assert again.plan == full.plan
        assert again.findings == full.findings
        compiled = again


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(DOCUMENTS)), st.integers(0, 1000), st.integers(0, 1000))
def test_anything_else_is_not_an_edit_of_details(name, pick, value):
    document = copy.deepcopy(DOCUMENTS[name])
    before = validate(copy.deepcopy(document))
    device = _pick(document["devices"], pick)
    nic = _pick(device.get("nics", []), value)
    changes = [lambda: device.update(name=f"renamed{value}"), lambda: device.update(role="router"),
               lambda: document["devices"].pop(pick % len(document["devices"])),
               lambda: document["mtu"].update(underlay=1600) if "mtu" in document else document.update(
                   mtu={"underlay": 1600})]
    if nic is not None:
        changes.append(lambda: nic.update(role="storage" if nic.get("role") != "storage" else "uplink"))
    changes[value % len(changes)]()
    try:
        after = validate(document)
    except DesignError:
        return
    if to_data(after) != to_data(before):
        assert detail_edit(before, after) is None


def test_an_element_dragged_changes_nothing_planned():
    document, _, before = compiled_pair("generated")
    move(document, 3, 640)
    changed = detail_edit(before.design, validate(document))
    assert changed is not None and not changed.planned
    assert detail_edit(before.design, before.design) == changed.__class__(frozenset(), frozenset(), False)


def test_a_link_edit_touches_both_its_ends():
    document, _, before = compiled_pair("generated")
    document["links"][0]["mtu"] = 9000
    changed = detail_edit(before.design, validate(document))
    link = document["links"][0]
    assert changed.links == {link["id"]} and changed.devices == {link["a"]["device"], link["b"]["device"]}
