"""`manage.py fabric lab`: exit statuses, the JSON report, --keep and `lab down`, Ctrl-C cleanup."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from designer.fabric.lab.netns import existing
from designer.fabric.lab.teardown import RECORD, runs_root
from tests.conftest import EXAMPLES, ROOT, compile_example
from tests.lab.conftest import leftovers, needs_root

COMMAND_TIMEOUT = 120


def fabric(*args: str, timeout: float = COMMAND_TIMEOUT, env: dict[str, str] | None = None
           ) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", "fabric", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, check=False, env={**os.environ, **(env or {})})


def test_a_design_with_error_findings_is_refused_before_any_lab_is_built(tmp_path):
    text = (EXAMPLES / "proxmox-evpn.yaml").read_text()
    uplink = "- {name: swp1, speed: 25G, role: uplink}"
    broken = text.replace(uplink, uplink.replace("}", ", mtu: 1500}"), 1)
    assert broken != text
    design = tmp_path / "broken.yaml"
    design.write_text(broken)
    temporary = tmp_path / "tmp"  # the lab records its runs under the temporary directory
    temporary.mkdir()
    done = fabric("lab", "verify", str(design), env={"TMPDIR": str(temporary)})
    assert done.returncode == 1
    assert "link-mtu-mismatch" in done.stderr
    assert "the lab does not run" in done.stderr
    assert "probing the kernel" not in done.stderr  # the first progress line of a lab being built
    assert not (temporary / runs_root().name).exists()  # a run taken down again would have left it


@pytest.mark.lab
@needs_root
def test_json_report_exit_zero_and_keep_leaves_the_lab_up_until_down_takes_it_away():
    """egress-gateways, rebooted: its clients' DHCP must not give them the default route BGP spreads."""
    done = fabric("lab", "verify", str(EXAMPLES / "egress-gateways.yaml"), "--json", "--keep", "--reboot",
                  timeout=COMMAND_TIMEOUT * 3)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    run_id = report["run_id"]
    try:
        assert report["ok"] is True
        for checks in (report["checks"], report["checks_after_reboot"]):
            statuses = {c["name"]: c["status"] for c in checks}
            assert [statuses[name] for name in ("bgp-sessions", "egress-ecmp", "static-routes")] == ["pass"] * 3
        assert any("DHCP server (dnsmasq)" in note for note in report["notes"])  # the cloud NICs lease from the lab
        assert set(report["phases"]) >= {"roots", "boot", "apply", "checks", "reboot"}
        assert f"fabric lab down {run_id}" in report["kept"] and "nsenter -t" in report["kept"]
        assert f"wl-{run_id}-host1" in existing(f"wl-{run_id}-")
        record = json.loads((runs_root() / run_id / RECORD).read_text())
        assert set(record["roots"]) == {f"wl-{run_id}-{name}" for name in ("r1", "r2", "host1", "host2")}
        assert any("/usr/lib/frr/bgpd" in entry for entry in leftovers(run_id))  # FRR runs on the kept nodes
        listed = fabric("lab", "down")
        assert run_id in listed.stdout
    finally:
        down = fabric("lab", "down", run_id)
    assert down.returncode == 0, down.stderr
    assert leftovers(run_id) == []


@contextmanager
def _ctrl_c_as_in_a_terminal() -> Iterator[None]:
    """Commands started inside get SIGINT as a terminal's do. A suite run as a background job ignores it, and a
    lab started from it would too (as under ``nohup``); a handler of this process's own is not inherited, so
    with one set the command starts with SIGINT's default."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.lab
@needs_root
@pytest.mark.parametrize(("design", "how", "after"), [
    ("proxmox-evpn", signal.SIGINT, "putting mesh members on the internet"),  # Ctrl-C once the stock FRR runs
    ("wireguard-mesh", signal.SIGTERM, "running each node's own apply.sh"),  # nodes booted, apply under way
])
def test_a_signal_in_the_middle_takes_the_lab_down(design, how, after):
    before = set(existing("wl-"))
    with _ctrl_c_as_in_a_terminal():
        process = subprocess.Popen([sys.executable, "manage.py", "fabric", "lab", "verify",
                                    str(EXAMPLES / f"{design}.yaml")], cwd=ROOT, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        for line in process.stderr:  # progress lines
            if after in line or time.monotonic() > deadline:
                break
        # Another lab may be running beside this one: ours is the new run holding this design's devices.
        devices = {device.name for device in compile_example(design).plan.devices.values()}
        ours = {ns.split("-")[1] for ns in set(existing("wl-")) - before if ns.split("-", 2)[2] in devices}
        assert len(ours) == 1, f"the lab had built nothing to interrupt, or not one run: {ours}"
        process.send_signal(how)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    assert process.returncode == 130
    assert "taken down" in err
    (run_id,) = ours
    assert leftovers(run_id) == []


@pytest.mark.lab
@pytest.mark.skipif(os.geteuid() == 0, reason="checks the message a user without root gets")
def test_without_root_the_command_says_it_needs_root():
    done = fabric("lab", "verify", str(EXAMPLES / "proxmox-evpn.yaml"))
    assert done.returncode == 2
    assert "needs root" in done.stderr
