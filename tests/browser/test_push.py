"""The Push page in Chromium, against the five real nodes of proxmox-evpn (stock Debian roots in network
namespaces, each with Debian's sshd): a person enrols them, reads the review gate and breaks the glass, plans
the push, reads the plan phase, confirms, and watches the waves go node by node over the websocket.
Screenshots of the plan phase and of the waves in progress. The other scenarios are in tests/push."""

from __future__ import annotations

import base64
import hashlib
import os

import pytest
from playwright.sync_api import Page, expect

from designer.push.keys import DeployKey
from tests.conftest import EXAMPLES, compile_example
from tests.push.scenarios import push_lab

from .canvas import csrf_token
from .live_site import Site

pytestmark = [pytest.mark.browser, pytest.mark.lab,
              pytest.mark.skipif(os.geteuid() != 0, reason="the nodes are network namespaces with their own sshd: "
                                                           "it needs root")]
NODES = ["leaf1", "leaf2", "pve1", "pve2", "pve3"]
RUN_TIMEOUT_MS = 300_000  # a first install on five real nodes, wave by wave, on a busy machine


def fingerprint(node) -> str:
    """The SHA256 fingerprint of the host key the node's sshd holds, as ssh-keygen -l prints it on its console."""
    blob = base64.b64decode(node.ssh.host_key_line.split()[1])
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


def save_inventory(page: Page, text: str) -> None:
    page.click("#inventory summary:has-text('Edit the inventory')")
    page.fill("#inventory-form textarea", text)
    page.click("#inventory-form button[type=submit]")
    expect(page.locator("#inventory-status")).to_have_text("inventory saved")
    page.wait_for_load_state("load")


def test_the_example_is_pushed_to_its_five_real_nodes_from_the_page_wave_by_wave(page: Page, site: Site, artifacts):
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

    with push_lab(compile_example("proxmox-evpn"), DeployKey(private="", public=public)) as lab:  # the bootstrap
        inventory = lab.inventory()
        save_inventory(page, f"push_from: [{inventory['push_from'][0]}]\nnodes:\n" + "".join(
            f"  {name}: {{address: {node['address']}}}\n" for name, node in inventory["nodes"].items()))
        for name in NODES:  # fetched, compared with the node's console, pinned: as an owner enrols each node
            page.click(f"button.fetch-key[data-node={name}]")
            expect(page.locator("#enrol-fingerprint")).to_contain_text(f"{name}: {fingerprint(lab.nodes[name])}")
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
        expect(page.locator("#push-gate")).to_have_attribute("data-open", "true")

        page.fill("input[name=confirm_timeout]", "120")
        page.fill("input[name=health_wait]", "60")
        page.click("#plan-button")
        expect(page.locator("#run-status")).to_have_attribute("data-status", "planned", timeout=RUN_TIMEOUT_MS)
        expect(page.locator("#waves .wave[data-wave='0'] .node-chip")).to_have_count(2)  # one node of each role
        expect(page.locator("#nodes tbody tr[data-node=leaf1] td").nth(3)).to_contain_text("interface-reload")
        page.screenshot(path=str(artifacts / "push-plan-phase.png"), full_page=True)

        page.click("#confirm-button")
        canary_done = "#waves .wave[data-wave='0'] .node-chip[data-state=verified]"
        expect(page.locator(canary_done)).to_have_count(2, timeout=RUN_TIMEOUT_MS)
        page.screenshot(path=str(artifacts / "push-waves-in-progress.png"), full_page=True)
        expect(page.locator("#run-status")).to_have_attribute("data-status", "finished", timeout=RUN_TIMEOUT_MS)
        expect(page.locator("#nodes .node-chip[data-state=verified]")).to_have_count(len(NODES))
        expect(page.locator("#rollback-button")).to_be_visible()
        plan = compile_example("proxmox-evpn").plan
        for device in plan.devices.values():  # on the nodes themselves: every planned session Established
            peers = {neighbor.peer for neighbor in device.bgp.neighbors}
            assert peers <= lab.nodes[device.name].established(), device.name
            assert lab.nodes[device.name].applied()["state"] == "confirmed"
    assert page.script_errors == []
