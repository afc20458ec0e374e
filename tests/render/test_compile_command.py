"""``manage.py fabric compile`` as a user runs it: bundles in every format, refusals, the lock file.

Tests about anything but the drawings leave them out (--no-diagrams): Graphviz is not what they test."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

from designer.fabric.cli import main
from tests.conftest import EXAMPLES, ROOT
from tests.render.bundles import need_tool


def _design(tmp_path: Path, name: str = "wireguard-mesh") -> Path:
    path = tmp_path / f"{name}.yaml"
    shutil.copy(EXAMPLES / f"{name}.yaml", path)
    return path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_manage_py_compile_writes_the_bundle_and_the_lock_file(tmp_path):
    design = _design(tmp_path, "proxmox-evpn")
    result = subprocess.run([sys.executable, "manage.py", "fabric", "compile", str(design), "--out",
                             str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert "wrote" in result.stdout
    assert (tmp_path / "out/pve1/etc/frr/frr.conf").is_file()
    assert json.loads((tmp_path / "out/manifest.json").read_text())["design"]["name"] == "proxmox-evpn"
    lock = tmp_path / "proxmox-evpn.lock.json"
    assert lock.is_file() and lock.stat().st_mode & 0o777 == 0o600


def test_compiling_twice_gives_the_same_archive_and_keeps_the_keys(tmp_path):
    design = _design(tmp_path)
    assert main(["compile", "--no-diagrams", str(design), "--out", str(tmp_path / "a"), "--format", "tar.gz"]) == 0
    lock = (tmp_path / "wireguard-mesh.lock.json").read_text()
    assert "wireguard_key" in lock
    assert main(["compile", "--no-diagrams", str(design), "--out", str(tmp_path / "b"), "--format", "tar.gz"]) == 0
    first, second = tmp_path / "a/wireguard-mesh.tar.gz", tmp_path / "b/wireguard-mesh.tar.gz"
    assert _sha(first) == _sha(second)
    assert (tmp_path / "wireguard-mesh.lock.json").read_text() == lock
    with tarfile.open(first) as tar:
        conf = tar.extractfile("node1/etc/wireguard/ciabmesh.conf").read().decode()
    private = json.loads(lock)["allocations"]["wireguard_key"]["ciabmesh@node1"]
    assert f"PrivateKey = {private}" in conf
    assert first.stat().st_mode & 0o777 == 0o600  # it holds every node's private key


def test_zip_of_one_node(tmp_path, capsys):
    design = _design(tmp_path)
    assert main(["compile", "--no-diagrams", str(design), "--out", str(tmp_path), "--format", "zip",
                 "--node", "node2"]) == 0
    assert (tmp_path / "wireguard-mesh-node2.zip").is_file()
    assert "wireguard-mesh-node2.zip" in capsys.readouterr().out


def test_error_findings_refuse_and_write_nothing_unless_forced(tmp_path, capsys):
    design = _design(tmp_path, "proxmox-evpn")
    design.write_text(design.read_text().replace("- {name: swp2, speed: 25G, role: uplink}",
                                                 "- {name: swp2, speed: 25G, role: uplink, mtu: 1500}", 1))
    out = tmp_path / "out"
    assert main(["compile", "--no-diagrams", str(design), "--out", str(out)]) == 1
    assert "nothing written" in capsys.readouterr().err
    assert not out.exists() and not (tmp_path / "proxmox-evpn.lock.json").exists()
    assert main(["compile", "--no-diagrams", str(design), "--out", str(out), "--force"]) == 0
    assert (out / "pve2/apply.sh").is_file()


def test_recompiling_into_a_bundle_replaces_it_but_a_foreign_directory_is_left_alone(tmp_path, capsys):
    design = _design(tmp_path)
    out = tmp_path / "out"
    assert main(["compile", "--no-diagrams", str(design), "--out", str(out)]) == 0
    (out / "stale.txt").write_text("from an older bundle")
    assert main(["compile", "--no-diagrams", str(design), "--out", str(out)]) == 0
    assert not (out / "stale.txt").exists() and (out / "manifest.json").is_file()
    foreign = tmp_path / "home"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    assert main(["compile", "--no-diagrams", str(design), "--out", str(foreign)]) == 2
    assert "not empty and holds no bundle" in capsys.readouterr().err
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]


def test_unknown_node_is_a_clear_error(tmp_path, capsys):
    assert main(["compile", str(_design(tmp_path)), "--out", str(tmp_path / "o"), "--node", "node9"]) == 2
    assert "no device named 'node9'" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_bundles_carry_the_drawings_unless_told_not_to(tmp_path):
    need_tool("dot")
    out = tmp_path / "out"
    assert main(["compile", str(_design(tmp_path, "proxmox-evpn")), "--out", str(out)]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert {"diagrams/physical.svg", "diagrams/underlay.svg", "diagrams/overlay.svg"} <= set(manifest["files"])
    assert (out / "diagrams/physical.svg").read_text().lstrip().startswith(("<?xml", "<svg"))
    bare = tmp_path / "bare"
    assert main(["compile", str(_design(tmp_path, "proxmox-evpn")), "--out", str(bare), "--no-diagrams"]) == 0
    assert not (bare / "diagrams").exists()


def test_the_bundle_names_the_designs_content_hash(tmp_path):
    """The hash is worked out by a second process while the design is planned; it is the design's all the same."""
    from designer.fabric.document import content_hash, load_file

    design = _design(tmp_path, "proxmox-evpn")
    assert main(["compile", "--no-diagrams", str(design), "--out", str(tmp_path / "out"), "--format", "tar.gz"]) == 0
    with tarfile.open(tmp_path / "out/proxmox-evpn.tar.gz") as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        facts = json.loads(tar.extractfile("pve1/apply.json").read())
    assert manifest["design"]["content_hash"] == facts["design"]["content_hash"] == content_hash(load_file(design))
