"""A new user, finding everything by its visible label or accessible name, draws a small fabric, reads its plan,
saves, reloads and exports, in a 1440x900 and in a 1280x720 window; every message it needs is on screen."""

from __future__ import annotations

import re
import tarfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .canvas import draw, on_screen
from .live_site import Site

pytestmark = pytest.mark.browser

WINDOWS = [(1440, 900), (1280, 720)]
EXPORT_TIMEOUT_MS = 90_000
# Where the user drops each element, from the canvas's top-left corner (the canvas opens at 1:1 when empty).
DROPS = [("Leaf switch", 60, 30), ("Leaf switch", 420, 30), ("Rack", 60, 200), ("Proxmox node", 100, 270),
         ("Proxmox node", 380, 270), ("VNI network", 90, 480)]
CABLES = [("pve1", "enp1s0f0", "leaf1", "swp1"), ("pve1", "enp1s0f1", "leaf2", "swp1"),
          ("pve2", "enp1s0f0", "leaf1", "swp2"), ("pve2", "enp1s0f1", "leaf2", "swp2")]


def create_design(page: Page, site: Site, name: str) -> None:
    page.goto(f"{site.url}/")
    page.get_by_label("Name").fill(name)
    page.get_by_role("button", name="Create").click()
    page.wait_for_url(re.compile(r"/designs/\d+/$"))
    expect(page.get_by_role("region", name="Canvas")).to_be_visible()


def drop(page: Page, item: str, x: int, y: int) -> None:
    page.get_by_role("button", name=f"Add {item}").drag_to(page.get_by_role("region", name="Canvas"),
                                                          target_position={"x": x, "y": y})


def draw_fabric(page: Page) -> None:
    """Two leaves, a rack with two Proxmox nodes cabled to both, a bond of their 1G ports, a VNI on both."""
    for item, x, y in DROPS:
        drop(page, item, x, y)
    for name in ("leaf1", "leaf2", "pve1", "pve2"):
        expect(page.get_by_role("group", name=f"device {name}")).to_be_visible()
    for a, a_nic, b, b_nic in CABLES:
        draw(page, page.get_by_label(f"cable from {a} {a_nic}"), page.get_by_label(f"cable from {b} {b_nic}"))
        expect(page.get_by_label(f"cable {a} {a_nic} to {b} {b_nic}")).to_have_count(1)
    page.get_by_role("button", name="NIC eno1 of pve1").click()
    page.get_by_role("button", name="NIC eno2 of pve1").click()
    page.get_by_label("Mode").select_option("active-backup")
    page.get_by_role("button", name="Bond 2 NICs").click()
    expect(page.get_by_role("button", name="NIC eno1 of pve1, in bond0")).to_be_visible()
    for name in ("pve1", "pve2"):
        draw(page, page.get_by_label(f"attach {name} to a network"), page.get_by_label("attach a device to net1"))
        expect(page.get_by_label(f"{name} attached to net1")).to_have_count(1)


@pytest.mark.parametrize(("width", "height"), WINDOWS, ids=[f"{w}x{h}" for w, h in WINDOWS])
def test_a_new_user_draws_plans_saves_reloads_and_exports(window, site: Site, artifacts: Path, tmp_path: Path,
                                                          width: int, height: int):
    page = window(width, height)
    create_design(page, site, f"first fabric {width}")
    draw_fabric(page)

    status = page.get_by_role("status", name="Live plan")
    expect(status).to_contain_text("4 devices · 4 links · 4 BGP sessions · 1 VNIs · 0 errors")
    on_screen(page, status)
    expect(page.get_by_text(re.compile(r"^10\.255\.\d+\.\d+$")).first).to_be_visible()  # pve1's loopback, planned
    page.get_by_role("tab", name="Plan").click()
    page.get_by_label("Table").select_option(label="BGP sessions (4)")
    expect(page.get_by_role("table")).to_contain_text("leaf1")
    page.get_by_role("tab", name="Inspector").click()
    page.screenshot(path=artifacts / f"new-user-drawn-{width}x{height}.png")

    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_label("What changed").fill("two Proxmox nodes on two leaves")
    page.get_by_role("button", name="Save revision").click()
    saved = page.get_by_role("status").filter(has_text="Saved revision 2.")
    on_screen(page, saved)
    expect(page.get_by_text("revision 2 (two Proxmox nodes on two leaves)")).to_be_visible()
    yaml_link = page.get_by_role("link", name="Download YAML")
    expect(yaml_link).to_have_attribute("href", re.compile(r"/revisions/\d+/yaml/$"))

    page.reload()
    expect(page.get_by_label("cable pve2 enp1s0f1 to leaf2 swp2")).to_have_count(1)
    expect(page.get_by_role("button", name="NIC eno2 of pve1, in bond0")).to_be_visible()
    on_screen(page, page.get_by_text("saved", exact=True))

    page.get_by_role("button", name="Export", exact=True).click()
    download_link = page.get_by_role("link", name="Download the bundle")
    expect(download_link).to_be_visible(timeout=EXPORT_TIMEOUT_MS)
    on_screen(page, download_link)
    on_screen(page, page.get_by_role("status").filter(has_text="The bundle of revision 2 is ready."))
    page.screenshot(path=artifacts / f"new-user-exported-{width}x{height}.png")
    with page.expect_download() as download:
        download_link.click()
    archive = tmp_path / "bundle.tar.gz"
    download.value.save_as(archive)
    with tarfile.open(archive) as bundle:
        configs = {name for name in bundle.getnames() if name.endswith("etc/frr/frr.conf")}
    assert {name.split("/")[-4] for name in configs} == {"leaf1", "leaf2", "pve1", "pve2"}
    assert page.script_errors == []
