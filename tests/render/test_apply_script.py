"""A node's apply.sh as an operator runs it: checks first, installs, and puts everything back on failure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.render.bundles import bundle, need_tool, run_ifupdown2

pytestmark = pytest.mark.tools


def _written(tmp_path: Path, design: str, node: str) -> Path:
    bundle(design).write_dir(tmp_path / "bundle")
    return tmp_path / "bundle" / node / "apply.sh"


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PATH": f"{os.environ.get('PATH', '')}:/usr/sbin:/sbin", **extra}


def test_check_mode_runs_every_check_and_changes_nothing(tmp_path):
    for tool in ("vtysh", "ifup", "nft", "sysctl", "systemctl", "ifreload"):
        need_tool(tool)
    script = _written(tmp_path, "proxmox-evpn", "leaf1")
    result = run_ifupdown2([str(script), "--check"], env=_env())
    assert result.returncode == 0, result.stderr
    assert "every file passes its check" in result.stderr


def test_a_file_failing_its_check_stops_the_script_before_anything_is_installed(tmp_path):
    for tool in ("vtysh", "ifup", "sysctl", "systemctl", "ifreload", "nft"):
        need_tool(tool)
    script = _written(tmp_path, "proxmox-evpn", "leaf1")
    frr = script.parent / "etc/frr/frr.conf"
    broken = frr.read_text().replace(" no bgp default ipv4-unicast\n", " no bgp default ipv4-unicorn\n")
    assert broken != frr.read_text()
    frr.write_text(broken)
    destdir = tmp_path / "root"
    result = run_ifupdown2([str(script)], env=_env(DESTDIR=str(destdir)))
    assert result.returncode != 0
    assert "nothing was changed" in result.stderr and "ipv4-unicorn" in result.stdout + result.stderr
    assert not destdir.exists()


def _installed(destdir: Path) -> dict[str, str]:
    return {str(p.relative_to(destdir)): p.read_text() for p in (destdir / "etc").rglob("*") if p.is_file()}


def test_destdir_install_then_nothing_to_do_the_second_time(tmp_path):
    for tool in ("ifup", "ifreload", "sysctl"):
        need_tool(tool)
    script = _written(tmp_path, "ganeti-bonds", "ganeti1")
    destdir = tmp_path / "root"
    first = run_ifupdown2([str(script)], env=_env(DESTDIR=str(destdir)))
    assert first.returncode == 0, first.stderr
    node_dir = script.parent
    expected = {str(p.relative_to(node_dir)): p.read_text() for p in (node_dir / "etc").rglob("*") if p.is_file()}
    assert _installed(destdir) == expected
    second = run_ifupdown2([str(script)], env=_env(DESTDIR=str(destdir)))
    assert second.returncode == 0 and "nothing to do" in second.stderr


def test_a_failing_install_puts_the_previous_files_back_and_exits_1(tmp_path):
    for tool in ("ifup", "ifreload", "sysctl"):
        need_tool(tool)
    script = _written(tmp_path, "ganeti-bonds", "ganeti1")
    destdir = tmp_path / "root"
    previous = destdir / "etc/network/interfaces"
    previous.parent.mkdir(parents=True)
    previous.write_text("auto lo\niface lo inet loopback\n")
    (destdir / "etc/sysctl.d/80-fabric.conf").mkdir(parents=True)  # installing over a directory fails
    result = run_ifupdown2([str(script)], env=_env(DESTDIR=str(destdir)))
    assert result.returncode == 1
    assert "putting back" in result.stderr
    assert previous.read_text() == "auto lo\niface lo inet loopback\n"
