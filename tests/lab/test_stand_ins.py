"""The lab's stand-ins for systemctl and sysctl, as a node's apply.sh and boot call them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from designer.fabric.lab.standins import sysctl, systemctl

WG_QUICK_UNIT = Path("/lib/systemd/system/wg-quick@.service")


@pytest.fixture
def units(tmp_path, monkeypatch):
    etc, lib, state = tmp_path / "etc", tmp_path / "lib", tmp_path / "run"
    for directory in (etc, lib):
        directory.mkdir()
    monkeypatch.setattr(systemctl, "UNIT_DIRS", (str(etc), str(lib)))
    monkeypatch.setattr(systemctl, "STATE", str(state))
    monkeypatch.setattr(systemctl, "WANTS_ROOT", str(etc))
    return etc, lib, state


def test_enable_links_a_template_instance_where_its_install_section_says(units):
    etc, lib, _ = units
    if not WG_QUICK_UNIT.exists():
        pytest.skip("wireguard-tools is not installed")
    shutil.copy(WG_QUICK_UNIT, lib)
    assert systemctl.main(["enable", "wg-quick@mesh0"]) == 0
    link = etc / "multi-user.target.wants" / "wg-quick@mesh0.service"
    assert link.is_symlink() and os.readlink(link) == str(lib / "wg-quick@.service")
    assert systemctl.main(["is-enabled", "--quiet", "wg-quick@mesh0"]) == 0
    assert systemctl.main(["disable", "wg-quick@mesh0"]) == 0 and not link.exists()
    assert systemctl.main(["is-enabled", "--quiet", "wg-quick@mesh0"]) != 0


def test_a_oneshot_unit_runs_its_commands_with_its_environment_and_stays_active(units, tmp_path):
    _, lib, _ = units
    out = tmp_path / "out"
    (lib / "probe@.service").write_text(
        "[Service]\nType=oneshot\nRemainAfterExit=yes\nEnvironment=GREETING=hello\n"
        f"ExecStart=/bin/sh -c 'echo $GREETING %i >> {out}'\nExecStop=/bin/sh -c 'echo stop %i >> {out}'\n"
        "[Install]\nWantedBy=multi-user.target\n")
    assert systemctl.main(["start", "probe@one"]) == 0
    assert systemctl.main(["is-active", "--quiet", "probe@one"]) == 0
    assert systemctl.main(["try-reload-or-restart", "probe@one"]) == 0
    assert systemctl.main(["stop", "probe@one"]) == 0
    assert systemctl.main(["is-active", "--quiet", "probe@one"]) != 0
    assert out.read_text() == "hello one\nstop one\nhello one\nstop one\n"
    assert systemctl.main(["try-reload-or-restart", "probe@two"]) == 0  # not running: left alone
    assert "two" not in out.read_text()


def test_a_failing_start_fails_the_call_and_a_missing_unit_is_named(units, capsys):
    _, lib, _ = units
    (lib / "broken.service").write_text("[Service]\nType=oneshot\nExecStart=/bin/false\n")
    assert systemctl.main(["start", "broken"]) == 1
    assert systemctl.main(["restart", "absent.service"]) == 1
    assert "absent.service not found" in capsys.readouterr().err


def test_sysctl_sets_a_namespace_key_and_leaves_the_machine_alone(tmp_path, monkeypatch, capsys):
    written = {}
    monkeypatch.setattr(sysctl, "proc", lambda key: str(tmp_path / key))
    conf = tmp_path / "80-fabric.conf"
    conf.write_text("# forwarding\nnet.ipv4.ip_forward = 1\nkernel.pid_max = 99999\n-net.ipv4.conf.all.rp_filter=2\n")
    assert sysctl.main(["-q", "-p", str(conf)]) == 0
    for key in ("net.ipv4.ip_forward", "net.ipv4.conf.all.rp_filter", "kernel.pid_max"):
        path = tmp_path / key
        written[key] = path.read_text() if path.exists() else None
    assert written == {"net.ipv4.ip_forward": "1", "net.ipv4.conf.all.rp_filter": "2", "kernel.pid_max": None}
    assert "kernel.pid_max is not per network namespace" in capsys.readouterr().err
