"""Driving the canvas as a person does: drag from the palette, draw from port to port, wait for the plan."""

from __future__ import annotations

import json

from playwright.sync_api import Locator, Page, expect

from .live_site import Site

CANVAS = "[data-testid=canvas]"
STATUS = "[data-testid=status]"
PLAN_TIMEOUT_MS = 15_000


def device(device_id: str) -> str:
    return f"[data-testid=device-{device_id}]"


def port_handle(device_id: str, nic: str) -> str:
    return f'{device(device_id)} [data-handleid="nic:{nic}"]'


def attach_handle(device_id: str) -> str:
    return f'{device(device_id)} [data-handleid="attach"]'


def network_handle(network_id: str) -> str:
    return f'[data-testid=network-{network_id}] [data-handleid="in"]'


def drop(page: Page, key: str, x: float, y: float) -> None:
    """Drag a palette item onto the canvas, `x`, `y` pixels from its top-left corner."""
    page.drag_and_drop(f"[data-palette={key}]", CANVAS, target_position={"x": x, "y": y})


def draw(page: Page, source: str | Locator, target: str | Locator) -> None:
    """Press on one handle, move to the other and let go: a cable, or an attachment."""
    page.mouse.move(*middle(page, source))
    page.mouse.down()
    page.mouse.move(*middle(page, target), steps=8)
    page.mouse.up()


def middle(page: Page, where: str | Locator) -> tuple[float, float]:
    """The centre of an element given by selector or locator, on screen."""
    locator = page.locator(where) if isinstance(where, str) else where
    box = locator.bounding_box()
    assert box is not None, f"{where} is not on screen"
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def on_screen(page: Page, locator: Locator) -> None:
    """Assert that `locator` is visible inside the window, with nothing to scroll to reach it."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    size = page.viewport_size
    assert box is not None and size is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"] + 1, f"{locator} is off the side of the window"
    assert box["y"] >= 0 and box["y"] + box["height"] <= size["height"] + 1, f"{locator} is below the window: {box}"
    assert page.evaluate("() => document.documentElement.scrollHeight <= window.innerHeight + 1"), "the page scrolls"


def plan_answers(page: Page) -> int:
    return int(page.locator(STATUS).get_attribute("data-answers") or 0)


def wait_for_plan(page: Page, after: int) -> None:
    """Wait for a live-plan answer newer than answer number `after`, with nothing else on its way."""
    page.wait_for_function(
        """([selector, after]) => {
             const status = document.querySelector(selector);
             return status && Number(status.dataset.answers) > after && status.dataset.pending === "false";
           }""", arg=[STATUS, after], timeout=PLAN_TIMEOUT_MS)


def csrf_token(page: Page) -> str:
    cookies = {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}
    return cookies["csrftoken"]


def create_design(page: Page, site: Site, name: str, document: dict) -> int:
    """Store a design through the API, as the signed-in person, and return its id."""
    answer = page.request.post(f"{site.url}/api/designs/", data=json.dumps({"name": name, "document": document}),
                               headers={"Content-Type": "application/json", "X-CSRFToken": csrf_token(page)})
    assert answer.status == 201, answer.text()
    return answer.json()["id"]


def saved_document(page: Page, site: Site, design_id: int) -> dict:
    answer = page.request.get(f"{site.url}/api/designs/{design_id}/")
    assert answer.ok, answer.text()
    return answer.json()["document"]
