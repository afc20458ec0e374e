"""A node's apply.sh on a running node of the lab: commit-confirmed, its watchdog, health and idempotence.

The lab is left up after proving proxmox-evpn (and rebooting it); leaf1 then gets a bundle whose
frr.conf drops its session to pve1, through its own apply.sh, as push would run it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from pathlib import Path

import pytest

from designer.fabric.lab.frrstate import peer_states
from designer.fabric.lab.noderoot import NodeRoot
from designer.fabric.lab.teardown import Teardown, runs_root
from tests.lab.conftest import explained, needs_root

pytestmark = [pytest.mark.lab, needs_root]

WITHIN = 15.0  # seconds the old BGP state has to come back after the watchdog fired
INSTALLED = ("python3", "/var/lib/weft/apply.py")  # the engine the node keeps: what push's dispatcher runs


@pytest.fixture(scope="module")
def leaf1(evpn_lab):
    _, report = evpn_lab
    assert report.ok, explained(report)
    record = Teardown.load(report.run_id).roots[f"wl-{report.run_id}-leaf1"]
    return NodeRoot.from_record(record), runs_root() / report.run_id / "leaf1" / "bundle"


def _without_pve1(bundle: Path, where: Path) -> Path:
    """leaf1's bundle with its session to pve1 taken out of frr.conf, apply.json sealed to match."""
    shutil.copytree(bundle, where)
    conf = where / "etc/frr/frr.conf"
    lines = [line for line in conf.read_text().splitlines(keepends=True) if "neighbor swp1 " not in line]
    conf.write_text("".join(lines))
    facts = json.loads((where / "apply.json").read_text())
    facts["files"]["/etc/frr/frr.conf"]["sha256"] = hashlib.sha256(conf.read_bytes()).hexdigest()
    (where / "apply.json").write_text(json.dumps(facts))
    return where / "apply.sh"


def _apply(root: NodeRoot, script: Path | tuple[str, ...], *args: str) -> tuple[int, dict | None, str]:
    outcome = root.run([*([str(script)] if isinstance(script, Path) else script), *args], timeout=300)
    try:
        result = json.loads(outcome.stdout) if outcome.stdout.strip() else None
    except ValueError:
        result = None
    return outcome.returncode, result, outcome.stderr


def _swp1_state(root: NodeRoot) -> str | None:
    shown = root.run(["vtysh", "-c", "show bgp summary json"], timeout=20)
    states = peer_states(json.loads(shown.stdout)) if shown.ok and shown.stdout.strip() else {}
    return (states.get("swp1") or {}).get("ipv4Unicast")


def _wait_for(condition, within: float) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < within:
        if condition():
            return time.monotonic() - started
        time.sleep(0.25)
    return None


def test_an_unconfirmed_change_is_rolled_back_by_the_node_and_its_sessions_return(leaf1, tmp_path):
    root, bundle = leaf1
    original = root.read("/etc/frr/frr.conf")
    script = _without_pve1(bundle, tmp_path / "leaf1")
    code, result, log = _apply(root, script, "--confirm-timeout", "5", "--run", "unconfirmed", "--json")
    assert code == 0 and result["outcome"] == "applied" and result["pending"]["run"] == "unconfirmed", log
    assert "neighbor swp1 " not in root.read("/etc/frr/frr.conf")
    assert _swp1_state(root) is None  # the session is gone from the running FRR
    status = json.loads(root.run([*INSTALLED, "--status", "--json"]).stdout)
    assert status["pending"]["run"] == "unconfirmed" and status["pending"]["seconds_left"] <= 5

    back = _wait_for(lambda: _swp1_state(root) == "Established", 5 + WITHIN)
    assert back is not None, "the session to pve1 did not come back after the watchdog"
    assert root.read("/etc/frr/frr.conf") == original
    applied = json.loads(root.read("/var/lib/weft/applied.json"))
    assert applied["last"]["run"] == "unconfirmed" and applied["last"]["outcome"] == "rolled-back"
    assert applied["pending"] is None
    code, result, _ = _apply(root, script, "--confirm", "unconfirmed", "--json")
    assert code == 1 and result["outcome"] == "rolled-back"


def test_a_confirmed_change_stays_and_health_sees_what_it_did(leaf1, tmp_path):
    root, bundle = leaf1
    script = _without_pve1(bundle, tmp_path / "leaf1")
    code, result, log = _apply(root, script, "--confirm-timeout", "5", "--run", "kept", "--json")
    assert code == 0 and result["pending"], log
    code, result, log = _apply(root, INSTALLED, "--confirm", "kept", "--json")
    assert code == 0 and result["outcome"] == "confirmed", log
    time.sleep(7)  # past the watchdog's deadline: nothing may roll back now
    assert "neighbor swp1 " not in root.read("/etc/frr/frr.conf")
    applied = json.loads(root.read("/var/lib/weft/applied.json"))
    assert applied["state"] == "confirmed" and applied["run"] == "kept" and applied["pending"] is None
    health = root.run([*INSTALLED, "--health", "--json"], timeout=60)
    report = json.loads(health.stdout)
    assert health.returncode == 1 and not report["healthy"]
    bgp = next(check for check in report["checks"] if check["name"] == "bgp")
    assert [item["peer"] for item in bgp["items"] if not item["ok"]] == ["swp1"]

    code, result, log = _apply(root, bundle / "apply.sh", "--json")  # the design's own bundle again
    assert code == 0 and result["installed"] == ["/etc/frr/frr.conf"], log
    healthy = _wait_for(lambda: root.run([*INSTALLED, "--health"], timeout=60).ok, WITHIN + 15)
    assert healthy is not None, root.run([*INSTALLED, "--health"], timeout=60).stdout


def test_the_same_bundle_again_installs_and_reloads_nothing(leaf1):
    root, bundle = leaf1
    code, result, log = _apply(root, bundle / "apply.sh", "--json")
    assert code == 0, log
    assert (result["outcome"], result["installed"], result["removed"], result["loaded"], result["restored"]) == \
           ("nothing-to-do", [], [], [], [])


def test_a_flushed_bgp_filter_comes_back_on_the_next_apply(leaf1):
    root, bundle = leaf1
    assert root.run(["nft", "flush", "ruleset"]).ok
    code, result, log = _apply(root, bundle / "apply.sh", "--json")
    assert code == 0 and result["installed"] == [] and result["loaded"] == [], log
    assert result["restored"], log
    assert root.run(["nft", "list", "table", "inet", "fabric_bgp"]).ok
