"""The canvas with large designs: first render of 1,000 elements, panning and zooming, live-plan round trips.

The tests draw and plan large designs and record how long that took (var/test-artifacts/browser/figures.json,
and the test output); the figures go in the README. They assert what a person would see, not timings: a
machine busy with other work must not fail them.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from designer.fabric.document import to_data
from designer.fabric.generate import leaf_spine

from .canvas import CANVAS, STATUS, create_design, middle, plan_answers, wait_for_plan
from .live_site import Site

pytestmark = pytest.mark.browser

# 292 devices, 640 cables, 16 racks and 52 VNI networks: 1,000 elements on the canvas.
THOUSAND_ELEMENTS = {"spines": 4, "leaves": 32, "hypervisors_per_leaf": 8, "vnis": 52}
# 4 spines, 37 leaves and 259 Proxmox nodes: a 300-node design.
THREE_HUNDRED_NODES = {"spines": 4, "leaves": 37, "hypervisors_per_leaf": 7, "vnis": 10}
EDITS = 5
RENDER_TIMEOUT_MS = 30_000
LAYOUT_TIMEOUT_MS = 60_000

FRAME_RECORDER = """() => {
  window.__frames = [];
  let last = performance.now();
  const tick = (now) => {
    window.__frames.push(now - last);
    last = now;
    if (window.__recording) requestAnimationFrame(tick);
  };
  window.__recording = true;
  requestAnimationFrame(tick);
}"""


# A point of the canvas, right of its middle, where nothing is drawn: dragging there pans.
EMPTY_SPOT = """() => {
  const pane = document.querySelector('.react-flow').getBoundingClientRect();
  for (let y = pane.top + 70; y < pane.bottom - 20; y += 10) {
    for (let x = pane.left + pane.width * 0.8; x > pane.left + pane.width * 0.5; x -= 10) {
      if (document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return [x, y];
    }
  }
  throw new Error('no empty spot on the canvas to pan from');
}"""


# Notes when anything in the canvas last changed, until told to stop.
CHANGE_WATCH = """() => {
  window.__changed = performance.now();
  window.__watch = new MutationObserver(() => { window.__changed = performance.now(); });
  window.__watch.observe(document.querySelector('[data-testid=canvas]'),
                         {subtree: true, childList: true, attributes: true});
}"""
QUIET_MS = 300


def drawn_in_full(page: Page) -> None:
    """Wait until nothing in the canvas has changed for QUIET_MS: what it hands over a few elements a frame is all
    drawn."""
    page.evaluate(CHANGE_WATCH)
    try:
        page.wait_for_function(f"() => performance.now() - window.__changed > {QUIET_MS}", timeout=RENDER_TIMEOUT_MS)
    finally:
        page.evaluate("() => window.__watch.disconnect()")


def record(artifacts: Path, name: str, figures: dict) -> None:
    path = artifacts / "figures.json"
    known = json.loads(path.read_text()) if path.exists() else {}
    known[name] = figures
    path.write_text(json.dumps(known, indent=2, sort_keys=True) + "\n")
    print(f"{name}: {figures}")


def open_design(page: Page, site: Site, design_id: int) -> dict:
    """Open a design and wait until it is drawn; return when it was drawn, in ms from navigation and from
    the canvas's own start."""
    page.goto(f"{site.url}/designs/{design_id}/")
    page.wait_for_selector("body[data-canvas-rendered]", timeout=RENDER_TIMEOUT_MS)
    drawn, started = page.evaluate("""() => ['weft-canvas-rendered', 'weft-canvas-start']
        .map((name) => performance.getEntriesByName(name)[0].startTime)""")
    return {"from_navigation_ms": round(drawn), "from_canvas_start_ms": round(drawn - started)}


def new_design(page: Page, site: Site, name: str, sizes: dict) -> int:
    return create_design(page, site, name, to_data(leaf_spine(name=name, **sizes)))


def save(page: Page, message: str) -> None:
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_label("What changed").fill(message)
    page.get_by_role("button", name="Save revision").click()
    expect(page.get_by_role("status").filter(has_text="Saved revision")).to_be_visible(timeout=RENDER_TIMEOUT_MS)


def frame_times(page: Page, gesture) -> dict:
    """The time between frames the browser drew while `gesture` ran: median, 95th percentile and worst."""
    page.evaluate(FRAME_RECORDER)
    gesture()
    frames = page.evaluate("() => { window.__recording = false; return window.__frames.slice(1); }")
    assert len(frames) >= 10, f"only {len(frames)} frames were drawn during the gesture"
    return {"median_ms": round(statistics.median(frames), 1),
            "p95_ms": round(statistics.quantiles(frames, n=20)[-1], 1), "max_ms": round(max(frames), 1)}


def test_thousand_elements_render_and_pan_smoothly(page: Page, site: Site, artifacts: Path):
    design_id = new_design(page, site, "fabric-1000", THOUSAND_ELEMENTS)
    # The generator places devices closer than they are drawn: the canvas lays the design out on opening.
    laid_out_on_opening = open_design(page, site, design_id)
    expect(page.get_by_role("status").filter(has_text="Laid out on opening")).to_be_visible()
    save(page, "laid out")
    first_render = open_design(page, site, design_id)
    wait_for_plan(page, 0)
    first_plan = int(page.locator(STATUS).get_attribute("data-plan-ms"))
    assert page.locator(STATUS).inner_text().startswith("292 devices · 640 links")
    answers = plan_answers(page)
    page.click("[data-palette=network]")
    wait_for_plan(page, answers)
    edit_plan = int(page.locator(STATUS).get_attribute("data-plan-ms"))
    answer_kib = round(page.evaluate("""() => performance.getEntriesByType('resource')
        .filter((entry) => entry.name.endsWith('/api/compile/plan/')).pop().encodedBodySize""") / 1024)

    def zoom_in() -> None:  # from the whole fabric down to where port names can be read, over a leaf
        page.mouse.move(*middle(page, "[data-testid=device-leaf16]"))
        for _ in range(16):
            page.mouse.wheel(0, -100)
            page.wait_for_timeout(16)

    def pan() -> None:  # dragging the canvas where nothing is drawn, nodes coming into view and leaving it
        start = page.evaluate(EMPTY_SPOT)
        page.mouse.move(*start)
        page.mouse.down()
        for step in range(1, 41):
            page.mouse.move(start[0] - 16 * step, start[1])
        page.mouse.up()

    zoom_frames = frame_times(page, zoom_in)
    # Close up, the device under the pointer shows its ports once the zoom stops; the pan starts on the close-up
    # drawn in full, not while its detail is still coming.
    expect(page.locator("[data-testid^=port-leaf16-]").first).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    drawn_in_full(page)
    pan_frames = frame_times(page, pan)
    page.locator(CANVAS).screenshot(path=artifacts / "canvas-1000-elements.png")
    assert page.locator("[data-testid=canvas] .react-flow__node").count() >= 4, "the gestures left the drawing"

    started = time.monotonic()
    page.click("button:has-text('Auto layout')")
    expect(page.locator("button:has-text('Auto layout')")).to_be_enabled(timeout=LAYOUT_TIMEOUT_MS)
    laid_out = round((time.monotonic() - started) * 1000)
    page.locator(CANVAS).screenshot(path=artifacts / "canvas-1000-elements-laid-out.png")
    record(artifacts, "1000 elements", {"first_render": first_render, "laid_out_on_opening": laid_out_on_opening,
                                        "first_plan_round_trip_ms": first_plan, "edit_plan_round_trip_ms": edit_plan,
                                        "plan_answer_kib": answer_kib,
                                        "pan_frames": pan_frames, "zoom_frames": zoom_frames,
                                        "auto_layout_ms": laid_out})
    assert page.script_errors == []


def test_three_hundred_nodes_live_plan_round_trip(page: Page, site: Site, artifacts: Path):
    open_design(page, site, new_design(page, site, "fabric-300", THREE_HUNDRED_NODES))
    wait_for_plan(page, 0)
    round_trips, server = [], []
    for _ in range(EDITS):
        answers = plan_answers(page)
        page.click("[data-palette=network]")  # one more VNI network: the whole design is planned again
        wait_for_plan(page, answers)
        status = page.locator(STATUS)
        round_trips.append(int(status.get_attribute("data-plan-ms")))
        server.append(float(status.get_attribute("data-server-ms")))
    assert page.locator(STATUS).inner_text().startswith("300 devices")
    median = statistics.median(round_trips)
    record(artifacts, "300 nodes", {"live_plan_round_trip_ms": round_trips, "median_ms": median,
                                    "server_ms": server})
    assert page.script_errors == []
