"""The small things a person notices, in a 1280x720 window: a refused cable says why on screen, a pressed palette
item lands beside what is there, handles say what they do, devices keep their size when the plan arrives, the
inspector shows what the planner chose, problems are counted and name elements by name, plan tables fit."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .canvas import create_design, draw, on_screen, plan_answers, wait_for_plan

pytestmark = pytest.mark.browser


def box_of(page: Page, name: str) -> dict:
    box = page.get_by_role("group", name=f"device {name}").bounding_box()
    assert box is not None
    return box


def rename(page: Page, device: str, name: str) -> None:
    page.get_by_role("group", name=f"device {device}").get_by_text(device, exact=True).first.click()
    field = page.get_by_role("textbox", name="Name", exact=True).first  # the device's own, above its NICs
    field.fill(name)
    field.press("Enter")


def apart(a: dict, b: dict) -> bool:
    return a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"] or a["y"] + a["height"] <= b["y"] \
        or b["y"] + b["height"] <= a["y"]


def test_the_small_things(window, site):
    page = window(1280, 720)
    design_id = create_design(page, site, "details", {"version": 1, "name": "details"})
    page.goto(f"{site.url}/designs/{design_id}/")
    side = page.get_by_role("complementary", name="Inspector and plan")
    answers = plan_answers(page)
    page.get_by_role("button", name="Add Proxmox node").click()
    before_plan = box_of(page, "pve1")
    wait_for_plan(page, answers)
    expect(page.get_by_role("group", name="device pve1")).not_to_contain_text("planning")
    assert box_of(page, "pve1") == before_plan  # the plan filled it in without resizing it

    page.get_by_role("button", name="Add Proxmox node").click()
    page.get_by_role("button", name="Add Leaf switch").click()
    assert apart(box_of(page, "pve1"), box_of(page, "pve2"))
    assert apart(box_of(page, "pve2"), box_of(page, "leaf1")) and apart(box_of(page, "pve1"), box_of(page, "leaf1"))

    port = page.get_by_label("cable from pve1 enp1s0f0")
    expect(port).to_have_attribute("title", "Drag to another port to cable pve1 enp1s0f0")
    expect(page.get_by_label("attach pve1 to a network")).to_have_attribute("title", re.compile("Drag to a network"))
    draw(page, port, page.get_by_label("cable from pve1 eno1"))
    on_screen(page, page.get_by_role("alert").filter(
        has_text="pve1 enp1s0f0 and eno1 are ports of one device: a cable joins two devices"))

    page.get_by_role("tab", name=re.compile("^Findings")).click()
    page.get_by_role("button", name="NIC eno1 of pve2").click()
    page.get_by_role("button", name="NIC eno2 of pve2").click()
    expect(page.get_by_role("region", name="Bond NICs")).to_contain_text("Chosen: eno1, eno2")

    answers = plan_answers(page)
    draw(page, port, page.get_by_label("cable from leaf1 swp1"))
    wait_for_plan(page, answers)
    page.get_by_role("group", name="device pve1").get_by_text("pve1", exact=True).click()
    expect(side.get_by_role("textbox", name="ASN")).to_have_attribute("placeholder", re.compile(r"^\d+ \(planned\)$"))
    expect(side.get_by_role("textbox", name="Loopback v4")).to_have_attribute(
        "placeholder", re.compile(r"^10\.255\.\d+\.\d+ \(planned\)$"))

    answers = plan_answers(page)
    rename(page, "pve2", "pve1")
    wait_for_plan(page, answers)
    expect(page.get_by_role("tab", name="Findings (1)")).to_be_visible()
    on_screen(page, page.get_by_role("status", name="Live plan").filter(has_text="1 problem stops the plan"))
    page.get_by_role("tab", name="Findings (1)").click()
    expect(side.get_by_text("name 'pve1' is already used by device pve1 (id pve1)")).to_be_visible()
    answers = plan_answers(page)
    page.keyboard.press("Control+z")
    wait_for_plan(page, answers)

    page.get_by_role("group", name="device pve1").get_by_text("pve1", exact=True).click()
    page.get_by_role("tab", name="Inspector").click()
    side.get_by_text("NICs (4)").click()
    side.get_by_text("enp1s0f0", exact=True).click()
    answers = plan_answers(page)
    side.get_by_role("textbox", name="MTU").first.fill("1500")
    side.get_by_role("textbox", name="MTU").first.press("Enter")
    wait_for_plan(page, answers)
    answers = plan_answers(page)
    rename(page, "pve1", "web1")
    wait_for_plan(page, answers)
    page.get_by_role("tab", name=re.compile("^Findings")).click()
    mismatch = side.get_by_role("button", name=re.compile("link-mtu-mismatch"))
    expect(mismatch).to_contain_text("web1:enp1s0f0 has MTU 1500")
    expect(mismatch).to_contain_text("on cable web1–leaf1")
    expect(side).not_to_contain_text("pve1")

    page.get_by_role("tab", name="Plan").click()
    tables = page.get_by_label("Table")
    for title in tables.locator("option").all_inner_texts():
        tables.select_option(label=title)
        table, panel = page.get_by_role("table").bounding_box(), page.get_by_role("tabpanel").bounding_box()
        assert table["x"] + table["width"] <= panel["x"] + panel["width"] + 1, f"{title} is wider than its panel"
    toolbar = page.get_by_role("toolbar", name="Editor actions")
    assert len({round(button.bounding_box()["y"]) for button in toolbar.get_by_role("button").all()}) == 1
    assert page.evaluate("() => [...document.querySelectorAll('.bus-caption, .port, .device-name')]"
                         ".every((label) => label.scrollWidth <= label.clientWidth + 1)")
    assert page.script_errors == []
