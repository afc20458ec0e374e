"""Two tabs on one design: each keeps its own unsaved draft, and each is told within two seconds when the other
saves a revision, with the offer to take it (keeping its own edits on top)."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from .canvas import create_design
from .conftest import sign_in
from .live_site import Site

pytestmark = pytest.mark.browser

TOLD_WITHIN_SECONDS = 2
DRAFT_WRITTEN_MS = 600  # the draft is written shortly after the last edit


def open_tab(page: Page, site: Site, design_id: int) -> None:
    page.goto(f"{site.url}/designs/{design_id}/")
    page.wait_for_selector("body[data-canvas-rendered]")


def add(page: Page, item: str) -> None:
    page.get_by_role("button", name=f"Add {item}").click()


def test_two_tabs_keep_their_own_drafts_and_hear_of_each_others_saves(page: Page, site: Site):
    design_id = create_design(page, site, "two tabs", {"version": 1, "name": "two-tabs"})
    other = sign_in(page.context, site)
    open_tab(page, site, design_id)
    open_tab(other, site, design_id)

    add(page, "Proxmox node")
    expect(page.get_by_role("group", name="device pve1")).to_be_visible()
    page.wait_for_timeout(DRAFT_WRITTEN_MS)
    other.reload()
    other.wait_for_selector("body[data-canvas-rendered]")
    expect(other.get_by_text("saved", exact=True)).to_be_visible()
    expect(other.get_by_role("group", name="device pve1")).to_have_count(0)  # the first tab's edit stays there

    add(other, "Leaf switch")  # an unsaved edit of the second tab's own
    expect(other.get_by_role("group", name="device leaf1")).to_be_visible()
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_label("What changed").fill("a Proxmox node")
    page.get_by_role("button", name="Save revision").click()
    expect(page.get_by_role("status").filter(has_text="Saved revision 2.")).to_be_visible()
    saved_at = time.monotonic()
    told = other.get_by_role("status").filter(has_text=f"{site.username} saved revision 2 (“a Proxmox node”)")
    expect(told).to_be_visible(timeout=TOLD_WITHIN_SECONDS * 1000)
    assert time.monotonic() - saved_at < TOLD_WITHIN_SECONDS
    expect(page.get_by_role("status").filter(has_text=f"{site.username} saved")).to_have_count(0)  # not of its own

    told.get_by_role("button", name="Reload theirs and keep my edits").click()
    dialog = other.get_by_role("dialog", name="Someone saved first")
    expect(dialog).to_contain_text("added device pve1")
    dialog.get_by_role("button", name="Reload their revision and keep my edits").click()
    expect(other.get_by_role("group", name="device pve1")).to_be_visible()
    expect(other.get_by_role("group", name="device leaf1")).to_be_visible()
    expect(other.get_by_text("revision 2 (a Proxmox node)")).to_be_visible()

    other.wait_for_timeout(DRAFT_WRITTEN_MS)
    warnings: list[str] = []
    other.on("dialog", lambda dialog: (warnings.append(dialog.type), dialog.accept()))
    other.reload()  # with unsaved changes: the browser asks first
    assert warnings == ["beforeunload"]
    restored = other.get_by_role("status").filter(has_text="Restored the unsaved draft of this tab.")
    restored.get_by_role("button", name="Discard draft").click()
    expect(other.get_by_role("group", name="device leaf1")).to_have_count(0)
    expect(other.get_by_role("group", name="device pve1")).to_be_visible()
    expect(other.get_by_text("saved", exact=True)).to_be_visible()
    assert page.script_errors == [] and other.script_errors == []
