"""The canvas end to end in Chromium: draw a small fabric, watch it planned, break it, save, reload, export."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .canvas import (
    CANVAS,
    STATUS,
    attach_handle,
    csrf_token,
    device,
    draw,
    drop,
    middle,
    network_handle,
    plan_answers,
    port_handle,
    saved_document,
    wait_for_plan,
)
from .live_site import Site

pytestmark = pytest.mark.browser

CABLES = [("pve1", "enp1s0f0", "leaf1", "swp1"), ("pve1", "enp1s0f1", "leaf2", "swp1"),
          ("pve2", "enp1s0f0", "leaf1", "swp2"), ("pve2", "enp1s0f1", "leaf2", "swp2")]
EXPORT_TIMEOUT_MS = 90_000
VTYSH_TIMEOUT_SECONDS = 60


def create_design_in_page(page: Page, site: Site, name: str) -> int:
    page.fill("input[name=name]", name)
    page.click('form[action$="designs/new/"] button[type=submit]')
    page.wait_for_url(re.compile(r"/designs/\d+/$"))
    page.wait_for_selector(".weft-editor")
    return int(re.search(r"/designs/(\d+)/", page.url)[1])


def draw_fabric(page: Page) -> None:
    """Two leaves on top, a rack below holding two Proxmox nodes, cabled, bonded, on one VNI."""
    drop(page, "leaf", 120, 40)
    drop(page, "leaf", 520, 40)
    drop(page, "rack", 60, 400)
    drop(page, "proxmox", 80, 460)
    drop(page, "proxmox", 360, 460)
    for drawn, (a_device, a_nic, b_device, b_nic) in enumerate(CABLES, start=1):
        draw(page, port_handle(a_device, a_nic), port_handle(b_device, b_nic))
        expect(page.locator(f"[data-id={a_device}-{b_device}]")).to_have_count(1)  # each cable drawn shows
        expect(page.locator(".react-flow__edge.cable")).to_have_count(drawn)
    page.click("[data-testid=port-pve1-eno1]")
    page.click("[data-testid=port-pve1-eno2]")
    page.select_option("#bond-mode", "active-backup")
    page.click("button:has-text('Bond 2 NICs')")
    drop(page, "network", 800, 520)
    draw(page, attach_handle("pve1"), network_handle("net1"))
    draw(page, attach_handle("pve2"), network_handle("net1"))


def layout(page: Page) -> dict[str, tuple[float, float]]:
    """Where each element is drawn, relative to leaf1 and in canvas units (whatever the zoom)."""
    scale = float(page.evaluate(
        "() => new DOMMatrix(getComputedStyle(document.querySelector('.react-flow__viewport')).transform).a"))
    boxes = {element: page.locator(selector).bounding_box() for element, selector in {
        "leaf1": device("leaf1"), "leaf2": device("leaf2"), "pve1": device("pve1"), "pve2": device("pve2"),
        "rack1": "[data-testid=rack-rack1]", "net1": "[data-testid=network-net1]"}.items()}
    origin = boxes["leaf1"]
    return {element: (round((box["x"] - origin["x"]) / scale), round((box["y"] - origin["y"]) / scale))
            for element, box in boxes.items()}


def same_places(a: dict[str, tuple[float, float]], b: dict[str, tuple[float, float]]) -> bool:
    """Whether two layouts put everything in the same place, give or take a unit of rounding at another zoom."""
    return a.keys() == b.keys() and all(abs(a[key][i] - b[key][i]) <= 1 for key in a for i in (0, 1))


def inside(outer: dict, inner: dict) -> bool:
    return (outer["x"] <= inner["x"] and outer["y"] <= inner["y"]
            and inner["x"] + inner["width"] <= outer["x"] + outer["width"]
            and inner["y"] + inner["height"] <= outer["y"] + outer["height"])


def test_draw_plan_break_save_reload_export(page: Page, site: Site, artifacts: Path, tmp_path: Path):
    design_id = create_design_in_page(page, site, "canvas-lab")
    answers = plan_answers(page)
    draw_fabric(page)
    wait_for_plan(page, answers)

    rack = page.locator("[data-testid=rack-rack1]").bounding_box()
    assert inside(rack, page.locator(device("pve1")).bounding_box())
    assert inside(rack, page.locator(device("pve2")).bounding_box())
    expect(page.locator(".react-flow__edge.cable")).to_have_count(4)
    expect(page.get_by_role("button", name=re.compile(r"^NIC eno[12] of pve1, in bond0$"))).to_have_count(2)
    expect(page.locator("[data-testid=plan-pve1] .loopback")).to_have_text(re.compile(r"^10\.255\.\d+\.\d+$"))
    expect(page.locator("[data-testid=plan-pve1] .asn")).to_have_text(re.compile(r"AS\d+"))
    expect(page.locator(f"{device('pve1')} .device-foot")).to_contain_text("vxlan")
    expect(page.locator(f"{device('pve2')} .device-foot")).to_contain_text("vmbr")
    expect(page.locator("[data-testid=cable-label-pve1-leaf1]")).to_have_text("25G · 9216")
    expect(page.locator(STATUS)).to_contain_text("0 errors")
    expect(page.locator(".badge-error")).to_have_count(0)
    expect(page.locator("[data-testid=network-net1]")).to_contain_text(re.compile(r"net1 · VNI \d+"))
    page.locator(CANVAS).screenshot(path=artifacts / "canvas-drawn.png")

    page.click("[role=tab]:has-text('Plan')")  # the tables are planned when asked for
    expect(page.locator(".plan-table[data-table=asn] tbody")).to_contain_text("pve1")
    page.select_option("#plan-table", "vni")
    expect(page.locator(".plan-table[data-table=vni] tbody tr")).to_have_count(1)
    page.click("[role=tab]:has-text('Inspector')")

    before = layout(page)
    head = middle(page, "[data-testid=rack-rack1] .rack-head")
    page.mouse.move(*head)
    page.mouse.down()
    page.mouse.move(head[0], head[1] + 60, steps=6)
    page.mouse.up()
    after = layout(page)
    assert 40 <= after["rack1"][1] - before["rack1"][1] <= 80
    for inside_rack in ("pve1", "pve2"):  # the rack took its devices along
        assert after[inside_rack][1] - after["rack1"][1] == before[inside_rack][1] - before["rack1"][1]
    assert after["leaf2"] == before["leaf2"]

    answers = plan_answers(page)
    page.click(f"{device('pve1')} .device-name")
    page.click('[data-field="nics"] > summary')
    page.click('[data-field="nics"] .list-item >> nth=0 >> summary')
    page.fill('[data-field="nics[0].mtu"] input', "1500")
    page.press('[data-field="nics[0].mtu"] input', "Enter")
    wait_for_plan(page, answers)
    expect(page.locator(f"{device('pve1')} .badge-error")).to_be_visible()
    expect(page.locator("[data-testid=cable-label-pve1-leaf1]")).to_have_text("25G · 1500 ≠ 9216")
    page.click(f"{device('pve1')} .badge-error")
    mismatch = page.locator("[data-testid=findings] [data-code=link-mtu-mismatch] button")
    expect(mismatch).to_contain_text("pve1:enp1s0f0 has MTU 1500")
    page.locator(CANVAS).screenshot(path=artifacts / "canvas-mtu-finding.png")
    mismatch.click()
    expect(page.locator(".react-flow__edge.selected")).to_have_attribute("data-id", "pve1-leaf1")
    expect(page.locator(f"{device('leaf1')}.selected")).to_have_count(1)

    answers = plan_answers(page)
    page.locator(CANVAS).click(position={"x": 900, "y": 60})
    page.keyboard.press("Control+z")
    wait_for_plan(page, answers)
    expect(page.locator(".badge-error")).to_have_count(0)

    page.click("button:has-text('Save')")
    page.fill("#revision-message", "two Proxmox nodes on two leaves")
    page.click("button:has-text('Save revision')")
    expect(page.locator("[data-testid=save-state]")).to_have_text("saved")
    before = layout(page)

    page.reload()
    page.wait_for_selector(device("pve1"))
    assert same_places(layout(page), before)
    document = saved_document(page, site, design_id)
    devices = {entry["id"]: entry for entry in document["devices"]}
    assert devices["pve1"]["rack"] == devices["pve2"]["rack"] == "rack1"
    assert devices["pve1"]["bonds"] == [{"name": "bond0", "mode": "active-backup", "members": ["eno1", "eno2"]}]
    assert sorted((link["a"]["device"], link["b"]["device"]) for link in document["links"]) == sorted(
        (a, b) for a, _, b, _ in CABLES)
    assert [member["device"] if isinstance(member, dict) else member
            for member in document["networks"][0]["attach"]] == ["pve1", "pve2"]
    page.locator(CANVAS).screenshot(path=artifacts / "canvas-reloaded.png")

    page.click("button:has-text('Export')")
    download_link = page.locator("[data-testid=download]")
    download_link.wait_for(timeout=EXPORT_TIMEOUT_MS)
    expect(page.locator("[data-testid=export-status]")).to_contain_text("100 %")
    page.screenshot(path=artifacts / "canvas-exported.png")
    with page.expect_download() as download:
        download_link.click()
    archive = tmp_path / "bundle.tar.gz"
    download.value.save_as(archive)
    with tarfile.open(archive) as bundle:
        bundle.extractall(tmp_path / "bundle", filter="data")
    configs = sorted((tmp_path / "bundle").rglob("etc/frr/frr.conf"))
    assert {path.relative_to(tmp_path / "bundle").parts[-4] for path in configs} >= {"pve1", "pve2", "leaf1", "leaf2"}
    vtysh = shutil.which("vtysh") or "/usr/bin/vtysh"
    for config in configs:
        checked = subprocess.run([vtysh, "-C", "-f", str(config)], capture_output=True, text=True,
                                 timeout=VTYSH_TIMEOUT_SECONDS, check=False)
        assert checked.returncode == 0, f"{config}: {checked.stdout}{checked.stderr}"
    assert page.script_errors == []


def test_draft_survives_reload_and_a_conflict_keeps_local_edits(page: Page, site: Site, artifacts: Path):
    design_id = create_design_in_page(page, site, "canvas-conflict")
    page.focus("[data-palette=proxmox]")
    page.keyboard.press("Enter")
    expect(page.locator(device("pve1"))).to_be_visible()
    expect(page.locator("[data-testid=save-state]")).to_have_text("unsaved changes")
    page.wait_for_timeout(600)  # the draft is written shortly after the last edit

    page.reload()
    expect(page.locator(device("pve1"))).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Restored the unsaved draft of this tab.")).to_be_visible()

    design = page.request.get(f"{site.url}/api/designs/{design_id}/").json()
    theirs = {**design["document"], "racks": [{"id": "rack7", "name": "rack 7", "position": {"x": 600, "y": 0}}]}
    answer = page.request.post(f"{site.url}/api/designs/{design_id}/revisions/", data=json.dumps(
        {"document": theirs, "message": "a rack from a colleague", "base_revision": design["current_revision"]}),
        headers={"Content-Type": "application/json", "X-CSRFToken": csrf_token(page)})
    assert answer.status == 201, answer.text()

    page.click("button:has-text('Save')")
    page.fill("#revision-message", "a Proxmox node")
    page.click("button:has-text('Save revision')")
    dialog = page.locator("dialog[open]")
    expect(dialog).to_contain_text("a rack from a colleague")
    expect(dialog.locator("[data-testid=their-changes]")).to_contain_text("added rack rack 7")
    page.screenshot(path=artifacts / "canvas-conflict.png")
    dialog.locator("button:has-text('Reload their revision and keep my edits')").click()
    expect(page.locator("[data-testid=rack-rack7]")).to_be_visible()
    expect(page.locator(device("pve1"))).to_be_visible()

    page.click("button:has-text('Save')")
    page.fill("#revision-message", "a Proxmox node, after the colleague's rack")
    page.click("button:has-text('Save revision')")
    expect(page.locator("[data-testid=save-state]")).to_have_text("saved")
    document = saved_document(page, site, design_id)
    assert [rack["id"] for rack in document["racks"]] == ["rack7"]
    assert [entry["id"] for entry in document["devices"]] == ["pve1"]
    assert page.script_errors == []


def test_inspector_shows_what_is_wrong_where(page: Page, site: Site, artifacts: Path):
    create_design_in_page(page, site, "canvas-inspector")
    answers = plan_answers(page)
    page.click("[data-palette=proxmox]")
    wait_for_plan(page, answers)
    inspector = page.locator("[data-testid=inspector]")
    expect(inspector).to_have_attribute("data-element", "pve1")

    answers = plan_answers(page)
    page.fill('[data-field="name"] input', "PVE 1")
    page.press('[data-field="name"] input', "Enter")
    wait_for_plan(page, answers)
    expect(page.locator('[data-field="name"] .field-messages')).to_be_visible()
    expect(page.locator(f"{device('pve1')} .badge-error")).to_be_visible()
    expect(page.locator(STATUS)).to_contain_text("1 problem stops the plan")

    answers = plan_answers(page)
    page.fill('[data-field="name"] input', "pve1")
    page.press('[data-field="name"] input', "Enter")
    page.click('[data-field="nics"] > summary')
    page.click('[data-field="nics"] .list-item >> nth=3 >> summary')
    page.fill('[data-field="nics[3].name"] input', "eno1")
    page.press('[data-field="nics[3].name"] input', "Enter")
    wait_for_plan(page, answers)
    duplicate = page.locator('[data-field="nics"] .list-item >> nth=3 >> .field-messages')
    expect(duplicate).to_contain_text("interface name 'eno1' is used twice on pve1")
    expect(page.locator('[data-field="name"] .field-messages')).to_have_count(0)
    page.screenshot(path=artifacts / "canvas-inspector-problem.png")
    assert page.script_errors == []
