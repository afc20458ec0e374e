"""``manage.py fabric diagram`` as a user runs it: files written, formats by suffix, exit 2 on bad input."""

from __future__ import annotations

import subprocess
import sys

from designer.fabric.cli import main
from tests.conftest import EXAMPLES, ROOT
from tests.diagrams.svg import all_words, parse

SEED_000 = str(EXAMPLES / "proxmox-evpn.yaml")


def test_manage_py_writes_the_view_asked_for(tmp_path):
    out = tmp_path / "underlay.svg"
    result = subprocess.run([sys.executable, "manage.py", "fabric", "diagram", SEED_000, "--view", "underlay",
                             "--format", "svg", "--out", str(out)], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert f"wrote {out}: underlay view of proxmox-evpn" in result.stderr
    assert "eBGP unnumbered + EVPN" in all_words(out.read_bytes())


def test_the_format_follows_the_file_suffix(tmp_path):
    assert main(["diagram", SEED_000, "--view", "overlay", "--out", str(tmp_path / "overlay.png")]) == 0
    assert (tmp_path / "overlay.png").read_bytes().startswith(b"\x89PNG")
    assert main(["diagram", SEED_000, "--view", "physical", "--out", str(tmp_path / "physical.pdf")]) == 0
    assert (tmp_path / "physical.pdf").read_bytes().startswith(b"%PDF")


def test_a_vni_alone_goes_to_standard_output(capsysbinary):
    assert main(["diagram", SEED_000, "--vni", "201"]) == 0
    svg = capsysbinary.readouterr().out
    assert "overlay · VNI 201" in all_words(svg)
    assert parse(svg).tag.endswith("svg")


def test_the_air_topology_is_written_as_dot(tmp_path):
    out = tmp_path / "topology.dot"
    assert main(["diagram", SEED_000, "--view", "air", "--out", str(out)]) == 0
    assert '"pve1":"enp101s0f0np0" -- "leaf1":"swp1"' in out.read_text()


def test_bad_input_exits_2_with_the_reason(capsys, tmp_path):
    assert main(["diagram", SEED_000, "--vni", "999", "--out", str(tmp_path / "x.svg")]) == 2
    assert "has no VNI 999 (its VNIs are 200, 201, 202, 601)" in capsys.readouterr().err
    assert main(["diagram", SEED_000, "--view", "air", "--format", "png", "--out", str(tmp_path / "x.png")]) == 2
    assert "the air view is a topology file for NVIDIA Air" in capsys.readouterr().err
    assert not (tmp_path / "x.svg").exists() and not (tmp_path / "x.png").exists()
