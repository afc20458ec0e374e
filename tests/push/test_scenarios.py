"""Push to real nodes: examples/proxmox-evpn.yaml's five nodes as stock Debian roots in network namespaces
(the lab's node roots), each with Debian's sshd on a management veth, real ifupdown2 and FRR, each node's own
apply.sh driven through the dispatcher. The scenarios share one lab and run in order: (a) installs the fabric
on stock nodes, and each after it finds the nodes as the one before left them, as real nodes keep what was
installed.
"""

from __future__ import annotations

import asyncio
import os
import shutil

import pytest

from designer.push.keys import generate_deploy_key
from designer.push.payload import node_payloads
from tests.conftest import compile_example
from tests.render.bundles import bundle

pytest.importorskip("designer.fabric.lab.noderoot", reason="the lab's stock node roots are not on this branch yet")
# Every scenario is marked for the database, so they keep this file's order (pytest-django runs the tests that
# use the database before those that do not): each leaves the nodes as the next expects them.
pytestmark = [pytest.mark.lab, pytest.mark.django_db(transaction=True), pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("sshd", path="/usr/sbin"),
    reason="needs root (network namespaces, node roots) and Debian's openssh-server (make test installs it)")]

from designer.models import DeployKey, NodeRun  # noqa: E402
from designer.push.drift import drift_of  # noqa: E402
from designer.push.engine import Timing  # noqa: E402
from designer.services.designs import design_save  # noqa: E402
from tests.push.gating import glass_broken  # noqa: E402
from tests.web.test_jobs_live import running_worker, wait_for  # noqa: E402

from .scenarios import PushLab, push_lab, push_with_engine, tampered  # noqa: E402 - after the skip
from .test_worker import browser_of  # noqa: E402

DESIGN = "proxmox-evpn"
NODES = ["leaf1", "leaf2", "pve1", "pve2", "pve3"]
KEY = generate_deploy_key("weft-push@scenarios")
SCENARIO_SECONDS = 240
# Sessions come up within seconds here; the node waits for confirmation long enough for that, and no longer.
QUICK = Timing(confirm_timeout=25, health_wait=15, command=90, apply=120, health_interval=1, resolve_grace=30)


@pytest.fixture(scope="module")
def compiled():
    return compile_example(DESIGN)


@pytest.fixture(scope="module")
def lab(compiled):
    with push_lab(compiled, KEY) as up:
        yield up


def stock(lab: PushLab) -> dict[str, str | None]:
    """What each node has installed by Weft (its manifest), and its frr.conf as the node sees it."""
    return {name: ((node.applied() or {}).get("manifest"), node.root.read("/etc/frr/frr.conf"))
            for name, node in lab.nodes.items()}


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, SCENARIO_SECONDS))


def wait_for_run(browser, design, run_id: int, ends: tuple[str, ...], seconds: float = SCENARIO_SECONDS) -> dict:
    return wait_for(lambda: browser.get(f"/api/designs/{design.pk}/push-runs/{run_id}/").json(),
                    lambda state: state["status"] in ends, seconds=seconds, what=f"run {run_id} did not reach {ends}")


def enrol(owner, design, lab: PushLab) -> None:
    """The owner's inventory, and each node's host key pinned by the fingerprint read on its console; the gate
    opened."""
    glass_broken(design)
    inventory = lab.inventory()
    for entry in inventory["nodes"].values():
        entry.pop("host_keys")
    assert owner.put(f"/api/designs/{design.pk}/push/inventory/", inventory,
                     content_type="application/json").status_code == 200
    for name, node in lab.nodes.items():
        console = node.run(["ssh-keygen", "-lf", str(node.ssh.directory / "ssh_host_ed25519_key.pub")]).stdout
        pinned = owner.post(f"/api/designs/{design.pk}/push/host-keys/",
                            {"node": name, "fingerprint": console.split()[1]}, content_type="application/json")
        assert pinned.status_code == 201, pinned.json()


def test_a_the_example_pushed_from_the_web_app_every_node_verified_every_session_up(
        lab, compiled, people, design, tmp_path, broker_of_the_tests):
    owner, editor = browser_of(people["owner"]), browser_of(people["editor"])
    DeployKey.objects.create(design=design, public=KEY.public, fingerprint=KEY.fingerprint,
                             sealed={"private": KEY.private}, created_by=people["owner"])  # the key the nodes have
    enrol(owner, design, lab)
    timing = {"confirm_timeout": 90, "health_wait": 45, "command": 90, "apply": 180, "health_interval": 1}
    with running_worker(tmp_path / "worker.log", broker_of_the_tests, tmp_path / "data"):
        run_id = editor.post(f"/api/designs/{design.pk}/push-runs/", {"timing": timing},
                             content_type="application/json").json()["id"]
        planned = wait_for_run(editor, design, run_id, ("planned", "failed"))
        assert planned["status"] == "planned", (planned["outcome"], (tmp_path / "worker.log").read_text()[-3000:])
        assert planned["waves"] == [["leaf1", "pve1"], ["pve2", "pve3"], ["leaf2"]]
        assert {n["node"]: n["disruption"] for n in planned["nodes"]} == dict.fromkeys(NODES, "interface-reload")
        assert editor.post(f"/api/designs/{design.pk}/push-runs/{run_id}/confirm/").status_code == 202
        done = wait_for_run(editor, design, run_id, ("finished", "stopped", "failed"))
    states = {n["node"]: (n["state"], n["detail"]) for n in done["nodes"]}
    assert done["status"] == "finished", (done["outcome"], states)
    assert {name: state for name, (state, _) in states.items()} == dict.fromkeys(NODES, "verified")
    for device in compiled.plan.devices.values():
        planned_peers = {n.peer for n in device.bgp.neighbors}
        assert planned_peers <= lab.nodes[device.name].established(), device.name
        assert lab.nodes[device.name].applied()["state"] == "confirmed"


def test_b_a_file_frr_rejects_changes_nothing_anywhere(lab, compiled):
    before = stock(lab)
    payloads = node_payloads(bundle(DESIGN))
    payloads["leaf2"] = tampered(payloads["leaf2"], "/etc/frr/frr.conf",
                                 lambda text: text.replace("router bgp", "router bgpx", 1))
    engine, outcome = run(push_with_engine(lab, compiled.plan, payloads, KEY, run_id="b1", timing=QUICK))
    assert outcome is None  # the plan phase stopped it: nothing was applied
    leaf2 = engine.nodes["leaf2"]
    assert leaf2.state == "failed" and leaf2.detail.startswith("a file failed its check; nothing was changed")
    assert "Unknown command" in leaf2.detail and "router bgpx" in leaf2.detail
    assert {n: str(p.state) for n, p in engine.nodes.items() if n != "leaf2"} == dict.fromkeys(
        ["leaf1", "pve1", "pve2", "pve3"], "skipped")  # as (a) left them: nothing to change
    assert stock(lab) == before


def test_e_a_canary_whose_health_fails_stops_the_run_before_wave_1(lab, compiled):
    before = stock(lab)
    plan, payloads = variant(connect_retry(11))  # every node has a change
    # leaf1 takes its hypervisors for iBGP peers: their sessions never come up (a wrong peer ASN)
    payloads["leaf1"] = tampered(payloads["leaf1"], "/etc/frr/frr.conf",
                                 lambda text: text.replace("remote-as external", "remote-as internal"))
    engine, outcome = run(push_with_engine(lab, plan, payloads, KEY, run_id="e1", timing=QUICK))
    states = {n: str(p.state) for n, p in engine.nodes.items()}
    assert outcome.stopped_because.startswith("a canary failed: leaf1 (rolled-back)"), {
        n: (str(p.state), p.detail) for n, p in engine.nodes.items()}
    assert states["leaf1"] == "rolled-back" and "bgp" in str(engine.nodes["leaf1"].health)
    assert {states[n] for n in ("leaf2", "pve2", "pve3")} == {"checked"}  # wave 1 never started
    after = stock(lab)
    for name in ("leaf1", "leaf2", "pve2", "pve3"):
        assert after[name][1] == before[name][1], name  # back on (or still on) its old files
    assert lab.nodes["leaf1"].applied()["last"]["outcome"] == "rolled-back"


def variant(edit):
    """The example's bundle after ``edit(document)``, its allocations kept."""
    from designer.fabric.bundle import build_bundle
    from designer.fabric.document import to_data, validate
    from designer.fabric.pipeline import compile_design

    first = compile_example(DESIGN)
    data = to_data(first.design)
    edit(data)
    changed = compile_design(validate(data), first.plan.record)
    return changed.plan, node_payloads(build_bundle(changed))


def connect_retry(seconds: int):
    def edit(data: dict) -> None:
        data["underlay"]["connect_retry"] = seconds
    return edit


def test_f_drift_names_a_file_edited_on_a_node_and_a_stopped_bgpd_and_a_re_push_mends_it(lab, compiled):
    pve2, leaf2 = lab.nodes["pve2"], lab.nodes["leaf2"]
    assert pve2.run(["sh", "-c", "echo '! edited by hand' >> /etc/frr/frr.conf"]).ok
    stopped = leaf2.run(["sh", "-c", "kill $(cat /run/frr/watchfrr.pid) && sleep 1 && kill $(cat /run/frr/bgpd.pid)"])
    assert stopped.ok, stopped.output
    payloads = node_payloads(bundle(DESIGN))
    revisions = {payload.manifest: 1 for payload in payloads.values()}

    async def drift():
        engine, _ = await push_with_engine(lab, compiled.plan, payloads, KEY, run_id="f1", timing=QUICK,
                                           confirm=False, drift=True)
        return {name: drift_of(node, revisions) for name, node in engine.nodes.items()}

    found = run(drift())
    assert found["pve2"]["files"] == ["/etc/frr/frr.conf (modified)"] and found["pve2"]["revision"] == 1
    assert found["leaf2"]["drifted"] and any(entry.startswith(("frr", "bgp")) for entry in found["leaf2"]["runtime"])
    # no file changed on the others (their runtime shows their sessions to leaf2 down, and the node engine's
    # FRR delta is not clean even right after a push: frr version, line vty and the host name)
    assert not any(found[name]["files"] for name in ("leaf1", "pve1", "pve3")), found

    assert leaf2.run(["systemctl", "restart", "frr"]).ok  # an operator brings bgpd back
    engine, outcome = run(push_with_engine(lab, compiled.plan, payloads, KEY, run_id="f2", timing=QUICK))
    assert outcome.finished and engine.nodes["pve2"].state == "verified"  # re-pushed through the same plan phase
    assert engine.nodes["pve2"].diff["files"][0]["path"] == "/etc/frr/frr.conf"
    assert {str(engine.nodes[n].state) for n in ("leaf1", "leaf2", "pve3")} == {"skipped"}  # as pushed already
    assert engine.nodes["pve1"].state in ("skipped", "verified")  # (e) may have left it on the canary's change
    assert "! edited by hand" not in pve2.root.read("/etc/frr/frr.conf")


def test_c_a_reload_that_fails_on_one_node_restores_that_node_and_stops_the_run(lab, compiled):
    pve2 = lab.nodes["pve2"]
    real = pve2.ssh.directory / "frr-reload.real.py"
    shutil.copy("/usr/lib/frr/frr-reload.py", real)
    wrapper = pve2.ssh.directory / "frr-reload.py"  # FRR on pve2 refuses the new timers, and only those
    wrapper.write_text(f'#!/bin/sh\nif grep -q "timers connect 12" /etc/frr/frr.conf; then\n'
                       f'    echo "bgpd: reload refused" >&2; exit 1\nfi\nexec python3 {real} "$@"\n')
    wrapper.chmod(0o755)
    assert pve2.run(["mount", "--bind", str(wrapper), "/usr/lib/frr/frr-reload.py"]).ok
    before = {name: node.root.read("/etc/frr/frr.conf") for name, node in lab.nodes.items()}
    try:
        plan, payloads = variant(connect_retry(12))
        engine, outcome = run(push_with_engine(lab, plan, payloads, KEY, run_id="c1", timing=QUICK))
    finally:
        pve2.run(["umount", "/usr/lib/frr/frr-reload.py"])
    states = {n: (str(p.state), p.detail) for n, p in engine.nodes.items()}
    assert outcome.stopped_because.startswith("1 node(s) failed, more than the 0 allowed: pve2 (failed)"), states
    assert states["pve2"][1].startswith("the apply failed and the node restored its files"), states["pve2"]
    assert pve2.root.read("/etc/frr/frr.conf") == before["pve2"]
    assert pve2.applied()["last"]["outcome"] == "failed"
    assert states["leaf2"][0] == "checked" and lab.nodes["leaf2"].root.read("/etc/frr/frr.conf") == before["leaf2"]
    assert {states[n][0] for n in ("leaf1", "pve1", "pve3")} == {"verified"}  # the waves before, and its wave-mate


def test_g_a_worker_killed_mid_run_and_started_again_applies_no_node_twice_and_finishes(
        lab, people, design, tmp_path, broker_of_the_tests, monkeypatch, settings):
    monkeypatch.setenv("WEFT_PUSH_LEASE_SECONDS", "3")  # the workers': a dead worker's run is taken up soon
    owner, editor = browser_of(people["owner"]), browser_of(people["editor"])
    DeployKey.objects.create(design=design, public=KEY.public, fingerprint=KEY.fingerprint,
                             sealed={"private": KEY.private}, created_by=people["owner"])
    enrol(owner, design, lab)
    document = {**design.current_revision.document}
    document["underlay"] = {**document["underlay"], "connect_retry": 14}
    revision = design_save(design=design, document=document, base_revision=design.current_revision,
                           author=people["editor"])
    glass_broken(design, revision)
    timing = {"confirm_timeout": 90, "health_wait": 45, "command": 90, "apply": 180, "health_interval": 1}
    with running_worker(tmp_path / "first.log", broker_of_the_tests, tmp_path / "data") as first:
        run_id = editor.post(f"/api/designs/{design.pk}/push-runs/", {"revision": revision.pk, "timing": timing},
                             content_type="application/json").json()["id"]
        assert wait_for_run(editor, design, run_id, ("planned", "failed"))["status"] == "planned"
        editor.post(f"/api/designs/{design.pk}/push-runs/{run_id}/confirm/")
        wait_for(lambda: NodeRun.objects.filter(run_id=run_id, apply_sent=True).count(), lambda n: n >= 1,
                 seconds=SCENARIO_SECONDS, what="no apply was sent")
        first.kill()  # as the OOM killer would, in the middle of the canary wave
        first.wait(timeout=30)
    assert editor.get(f"/api/designs/{design.pk}/push-runs/{run_id}/").json()["status"] == "pushing"
    with running_worker(tmp_path / "second.log", broker_of_the_tests, tmp_path / "data"):
        done = wait_for_run(editor, design, run_id, ("finished", "stopped", "failed"))
    states = {n["node"]: (n["state"], n["detail"]) for n in done["nodes"]}
    assert done["status"] == "finished", (done["outcome"], states, (tmp_path / "second.log").read_text()[-3000:])
    assert {name: state for name, (state, _) in states.items()} == dict.fromkeys(NODES, "verified")
    for name, node in lab.nodes.items():  # the node's dispatcher logs every verb it ran
        applies = node.root.read("/var/lib/weft/dispatch.log").count(f" apply weft-{run_id} ")
        assert applies == 1, f"{name} applied run {run_id} {applies} times"


def with_management(address: str):
    """An interfaces file that also manages the node's management NIC, at ``address``."""
    return lambda text: text + f"\nauto mgmt0\niface mgmt0\n    address {address}\n"


def test_d_a_change_that_removes_the_management_address_is_restored_by_the_nodes_own_watchdog(lab):
    pve3 = lab.nodes["pve3"]
    plan, payloads = variant(connect_retry(14))
    timing = Timing(confirm_timeout=20, health_wait=8, command=60, apply=90, health_interval=1, resolve_grace=40)
    managed = {"pve3": tampered(payloads["pve3"], "/etc/network/interfaces", with_management(f"{pve3.address}/30"))}
    engine, outcome = run(push_with_engine(lab, plan, managed, KEY, run_id="d1", timing=timing))
    assert outcome.finished and engine.nodes["pve3"].state == "verified", engine.nodes["pve3"].detail

    moved = {"pve3": tampered(payloads["pve3"], "/etc/network/interfaces", with_management("192.0.2.254/32"))}
    engine, outcome = run(push_with_engine(lab, plan, moved, KEY, run_id="d2", timing=timing))
    node = engine.nodes["pve3"]
    assert engine.nodes["pve3"].disruption == "management"
    assert (str(node.state), outcome.stopped_because) == ("rolled-back", "a canary failed: pve3 (rolled-back); "
                                                                         "no further wave started"), node.detail
    assert "the connection was lost" in node.detail or "no answer within" in node.detail, node.detail
    addresses = pve3.run(["ip", "-br", "addr", "show", "mgmt0"]).stdout
    assert f"{pve3.address}/30" in addresses and "192.0.2.254" not in addresses
    assert pve3.applied()["last"] == {**pve3.applied()["last"], "run": "d2", "outcome": "rolled-back"}
