"""Big fabrics stay readable and quick: edge texts counted in the title, the overlay aggregated."""

from __future__ import annotations

import time

import pytest

from designer.fabric.diagrams import render_diagram
from designer.fabric.generate import leaf_spine
from designer.fabric.plan import plan as make_plan
from tests.conftest import fixed_keygen
from tests.diagrams.svg import all_words, node, shapes, unnamed

SECONDS_PER_VIEW = 30


@pytest.fixture(scope="module")
def hundred():
    """98 devices: 2 spines, 16 leaves in 8 racks, 80 hypervisors, 10 VNIs on every hypervisor."""
    return make_plan(leaf_spine(spines=2, leaves=16, hypervisors_per_leaf=5, vnis=10), keygen=fixed_keygen())


@pytest.mark.parametrize("view", ["physical", "underlay", "overlay"])
def test_a_hundred_devices_draw_in_seconds(hundred, view):
    started = time.monotonic()
    svg = render_diagram(hundred, view, "svg")
    assert time.monotonic() - started < SECONDS_PER_VIEW
    assert unnamed(svg, [d.name for d in hundred.devices.values()]) == []


def test_a_crowded_physical_view_counts_cable_facts_in_its_title(hundred):
    svg = render_diagram(hundred, "physical", "svg")
    assert "cables by speed · MTU: 160 × 25G · 9216, 32 × 100G · 9216" in all_words(svg)
    cables = [edge for edge in shapes(svg, "edge") if "cable" in edge.classes]
    assert len(cables) == 192
    assert all(edge.words == "" for edge in cables)  # no pile of identical labels
    assert "hv1-leaf1: 25G · 9216" in {tip for edge in cables for tip in edge.tooltips}


def test_a_crowded_underlay_counts_sessions_by_type(hundred):
    svg = render_diagram(hundred, "underlay", "svg")
    assert "192 × eBGP unnumbered + EVPN sessions" in all_words(svg)
    assert len([edge for edge in shapes(svg, "edge") if "bgp" in edge.classes]) == 192


def test_vnis_on_the_same_vteps_become_one_box(hundred):
    svg = render_diagram(hundred, "overlay", "svg")
    group = node(svg, "VNI 10001 and 9 more")
    assert "10 VNIs" in group.words and "10001–10010" in group.words
    assert len([edge for edge in shapes(svg, "edge") if "carries" in edge.classes]) == 80
    assert "VNIs carried by the same VTEPs are drawn as one box" in all_words(svg)


def test_hundreds_of_vteps_become_one_box_per_rack():
    fabric = make_plan(leaf_spine(spines=2, leaves=128, hypervisors_per_leaf=4, vnis=10), keygen=fixed_keygen())
    svg = render_diagram(fabric, "overlay", "svg")
    racks = [box for box in shapes(svg, "node") if box.title.startswith("rack ")]
    assert len(racks) == 64
    assert "8 devices" in racks[0].words and "hv1 … hv8" in racks[0].words
    carried = [edge for edge in shapes(svg, "edge") if "carries" in edge.classes]
    assert len(carried) == 64  # one VNI box (all ten share their VTEPs) to each rack
    assert "spine1, spine2, leaf1" in all_words(svg)  # the devices that carry nothing are still named
