"""What the lab tests share: root or a clear skip, and a look at what a run may have left behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from designer.fabric.lab import take_down, verify
from designer.fabric.lab.layout import namespace_prefix
from designer.fabric.lab.netns import existing
from designer.fabric.lab.noderoot import MARK
from designer.fabric.lab.report import to_text
from designer.fabric.lab.teardown import runs_root
from tests.conftest import compile_example

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="the lab creates network namespaces and starts FRR: "
                                                         "it needs root")


def leftovers(run_id: str) -> list[str]:
    """Namespaces, FRR and wireguard-go processes, and directories of ``run_id`` still on the machine."""
    prefix = namespace_prefix(run_id)
    found = [f"namespace {name}" for name in existing(prefix)]
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                environ = (proc / "environ").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if f"{MARK}={prefix}" in environ:
                found.append(f"process {proc.name}: {cmdline}")
    if (runs_root() / run_id).exists():
        found.append(f"directory {runs_root() / run_id}")
    return found


def explained(report) -> str:
    """The whole report with its evidence: what a failed assertion on a lab run shows, so CI logs say why."""
    return to_text(report, verbose=True)


@pytest.fixture(scope="session")
def evpn_lab():
    """proxmox-evpn proved and rebooted, then left up for the tests that drive its nodes' apply.sh; taken
    down, and checked to leave nothing behind, once they are done. Yields (plan, report)."""
    if os.geteuid() != 0:
        pytest.skip("the lab creates network namespaces and starts FRR: it needs root")
    compiled = compile_example("proxmox-evpn")
    report = verify(compiled, reboot=True, keep=True)
    try:
        yield compiled.plan, report
    finally:
        assert take_down(report.run_id) == []
        assert leftovers(report.run_id) == []
