"""The Push page in Chromium: a person plans a push of the proxmox-evpn design, reads the plan phase,
confirms, and watches the waves go node by node over the websocket (simulated nodes; the real-node
scenarios are in tests/push/test_scenarios.py). Screenshots of the plan phase and of the waves in progress."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from designer.push.simulator import Faults
from tests.conftest import EXAMPLES
from tests.push.fleet import fleet_in_thread

from .canvas import csrf_token
from .live_site import Site

pytestmark = pytest.mark.browser
NODES = ["leaf1", "leaf2", "pve1", "pve2", "pve3"]
RUN_TIMEOUT_MS = 120_000


def save_inventory(page: Page, text: str) -> None:
    page.click("#inventory summary:has-text('Edit the inventory')")
    page.fill("#inventory-form textarea", text)
    page.click("#inventory-form button[type=submit]")
    expect(page.locator("#inventory-status")).to_have_text("inventory saved")
    page.wait_for_load_state("load")


def test_a_push_is_planned_confirmed_and_followed_wave_by_wave_in_the_page(page: Page, site: Site, artifacts):
    yaml = (EXAMPLES / "proxmox-evpn.yaml").read_text()
    answer = page.request.post(f"{site.url}/api/designs/import/", data=yaml,
                               headers={"Content-Type": "application/yaml", "X-CSRFToken": csrf_token(page)})
    assert answer.ok, answer.text()
    design = answer.json()["id"]
    page.goto(f"{site.url}/designs/{design}/push/")
    expect(page.locator("#inventory .problems")).to_contain_text("leaf1, leaf2, pve1, pve2, pve3")
    save_inventory(page, "nodes: {}\n")  # the first inventory makes the deploy key; the page shows its line
    line = page.locator("#bootstrap pre").first.inner_text().splitlines()[1]
    public = line.split("'")[1].split(" ", 1)[1]
    assert public.startswith("ssh-ed25519 ") and 'command="/usr/local/lib/weft/dispatch"' in line
    slow = {name: Faults(slow={"apply": 1.5}) for name in NODES}  # time to see a wave in flight
    with fleet_in_thread(NODES, public, slow) as fleet:
        save_inventory(page, "nodes:\n" + "".join(f"  {name}: {{address: 127.0.0.1, port: {node.port}}}\n"
                                                   for name, node in fleet.nodes.items()))
        for name in NODES:  # fetched, compared, pinned: as an owner enrols each node
            page.click(f"button.fetch-key[data-node={name}]")
            expect(page.locator("#enrol-fingerprint")).to_contain_text(f"{name}: SHA256:")
            page.click("#enrol-pin")
            expect(page.locator("#inventory-status")).to_contain_text(f"for {name}")
            page.wait_for_load_state("load")
            expect(page.locator(f"#inventory tr[data-node={name}] .host-key code")).to_have_count(1)

        expect(page.locator("#inventory tbody tr")).to_have_count(len(NODES))
        # no review approved these bytes: the gate says so, and the owner breaks the glass with a reason
        expect(page.locator("#gate-reason")).to_contain_text("no review has revision 1 as its head")
        page.click("#break-glass summary")
        page.fill("#break-glass-form textarea", "the first push of a new fabric, reviewed in person")
        page.click("#break-glass-button")
        expect(page.locator("#gate-reason")).to_contain_text("may be pushed")
        expect(page.locator("#push-gate")).to_have_attribute("data-open", "true")
        page.fill("input[name=confirm_timeout]", "60")
        page.fill("input[name=health_wait]", "5")
        page.click("#plan-button")
        expect(page.locator("#run-status")).to_have_attribute("data-status", "planned", timeout=RUN_TIMEOUT_MS)
        expect(page.locator("#waves .wave[data-wave='0'] .node-chip")).to_have_count(2)
        expect(page.locator("#nodes tbody tr[data-node=leaf1] td").nth(3)).to_contain_text("frr-reload")
        page.screenshot(path=str(artifacts / "push-plan-phase.png"), full_page=True)

        page.click("#confirm-button")
        canary_done = "#waves .wave[data-wave='0'] .node-chip[data-state=verified]"
        expect(page.locator(canary_done)).to_have_count(2, timeout=RUN_TIMEOUT_MS)
        page.screenshot(path=str(artifacts / "push-waves-in-progress.png"), full_page=True)
        expect(page.locator("#run-status")).to_have_attribute("data-status", "finished", timeout=RUN_TIMEOUT_MS)
        expect(page.locator("#nodes .node-chip[data-state=verified]")).to_have_count(len(NODES))
        assert all(node.record.applies and len(node.record.applies) == 1 for node in fleet.nodes.values())
        expect(page.locator("#rollback-button")).to_be_visible()
    assert page.script_errors == []
