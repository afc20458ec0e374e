"""Every example, and a generated 2-spine, 4-leaf, 8-hypervisor fabric, opens readable in a 1440x900 and a
1280x720 window: nothing drawn over anything else, no label over another, all of it in view, the examples at a
zoom where port names can be read. The screenshots are kept with the test artifacts."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from designer.fabric.document import load_file, to_data
from designer.fabric.generate import leaf_spine
from tests.conftest import EXAMPLES

from .canvas import CANVAS, create_design, on_screen, wait_for_plan
from .live_site import Site

pytestmark = pytest.mark.browser

WINDOWS = [(1440, 900), (1280, 720)]
READABLE_ZOOM = 0.6
GENERATED = "leaf-spine-2-4-8"
# A pixel of anti-aliasing between two boxes that touch is not an overlap.
TOLERANCE = 0.5

MEASURE = """() => {
  const box = (element) => {
    const r = element.getBoundingClientRect();
    return {x: r.x, y: r.y, width: r.width, height: r.height};
  };
  const zoom = new DOMMatrix(getComputedStyle(document.querySelector('.react-flow__viewport')).transform).a;
  const nodes = [...document.querySelectorAll('.react-flow__node')].map((node) => ({
    id: node.dataset.id, type: [...node.classList].find((c) => c.startsWith('react-flow__node-')).slice(17),
    ...box(node)}));
  const labels = [...document.querySelectorAll('.cable-label, .bus-caption, .device-name, .device-kind, '
      + '.device-plan, .device-foot, .port, .rack-name, .vrf-name')]
    .filter((label) => label.textContent.trim()).map((label) => ({text: label.textContent.trim(), ...box(label)}));
  return {zoom, pane: box(document.querySelector('.react-flow')), nodes, labels};
}"""


def designs() -> dict[str, dict]:
    documents = {path.stem: to_data(load_file(path)) for path in sorted(EXAMPLES.glob("*.yaml"))}
    documents[GENERATED] = to_data(leaf_spine(name=GENERATED, spines=2, leaves=4, hypervisors_per_leaf=2))
    return documents


def overlap(a: dict, b: dict) -> bool:
    return (a["x"] + TOLERANCE < b["x"] + b["width"] and b["x"] + TOLERANCE < a["x"] + a["width"]
            and a["y"] + TOLERANCE < b["y"] + b["height"] and b["y"] + TOLERANCE < a["y"] + a["height"])


def inside(outer: dict, inner: dict) -> bool:
    return (outer["x"] - TOLERANCE <= inner["x"] and outer["y"] - TOLERANCE <= inner["y"]
            and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + TOLERANCE
            and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + TOLERANCE)


def drawn_over(nodes: list[dict]) -> list[str]:
    """Pairs of nodes drawn over each other; a device inside a rack's frame is in it, not over it."""
    clashes = []
    for a, b in combinations(nodes, 2):
        if not overlap(a, b):
            continue
        rack, other = (a, b) if a["type"] == "rack" else (b, a)
        if rack["type"] == "rack" and other["type"] == "device" and inside(rack, other):
            continue
        clashes.append(f"{a['id']} and {b['id']}")
    return clashes


def open_readable(page: Page, site: Site, design_id: int) -> dict:
    page.goto(f"{site.url}/designs/{design_id}/")
    page.wait_for_selector("body[data-canvas-rendered]")
    wait_for_plan(page, 0)
    page.wait_for_timeout(400)  # the fit to the window is animated
    return page.evaluate(MEASURE)


@pytest.mark.parametrize(("width", "height"), WINDOWS, ids=[f"{w}x{h}" for w, h in WINDOWS])
def test_examples_open_readable(window, site: Site, artifacts: Path, width: int, height: int):
    page = window(width, height)
    problems = []
    for name, document in designs().items():
        drawing = open_readable(page, site, create_design(page, site, f"{name} {width}", document))
        page.locator(CANVAS).screenshot(path=artifacts / f"example-{name}-{width}x{height}.png")
        on_screen(page, page.get_by_role("status", name="Live plan"))
        expect(page.get_by_role("group", name="device", exact=False).first).to_be_visible()
        clashes = drawn_over(drawing["nodes"])
        labels = [f"{a['text']!r} and {b['text']!r}" for a, b in combinations(drawing["labels"], 2) if overlap(a, b)]
        outside = [node["id"] for node in drawing["nodes"] if not inside(drawing["pane"], node)]
        small = name != GENERATED and drawing["zoom"] < READABLE_ZOOM
        if clashes or labels or outside or small:
            problems.append(f"{name}: zoom {drawing['zoom']:.2f}; nodes over each other: {clashes}; "
                            f"labels over each other: {labels[:6]}; out of view: {outside}")
    assert problems == []
    assert page.script_errors == []
