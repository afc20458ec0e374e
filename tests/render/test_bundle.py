"""The bundle's layout, manifest and archives, as push, the lab and an operator read them."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import zipfile

import pytest

from designer.fabric.archives import ARCHIVE_MTIME
from designer.fabric.bundle import ZIP_DATE, build_bundle
from designer.fabric.document import content_hash
from designer.fabric.errors import DesignError
from tests.render.bundles import ALL_DESIGNS, bundle, compiled


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("name", ALL_DESIGNS)
def test_manifest_lists_every_file_with_its_sha256(name):
    files = bundle(name).files
    manifest = json.loads(files["manifest.json"])
    assert manifest["design"] == {"name": name, "content_hash": content_hash(compiled(name).design)}
    assert manifest["generator"] == "weft" and manifest["generator_version"]
    listed = manifest["files"]
    assert set(listed) == set(files) - {"manifest.json", "SHA256SUMS"}
    assert all(listed[path]["sha256"] == _sha(files[path]) for path in listed)
    sums = dict(reversed(line.split("  ", 1)) for line in files["SHA256SUMS"].decode().splitlines())
    assert sums["manifest.json"] == _sha(files["manifest.json"]) and len(sums) == len(files) - 1


@pytest.mark.parametrize("name", ALL_DESIGNS)
def test_every_managed_node_has_its_tree_apply_script_and_nothing_for_unmanaged_ones(name):
    plan = compiled(name).plan
    tops = {path.split("/", 1)[0] for path in bundle(name).files}
    for device in plan.devices.values():
        assert (device.name in tops) == device.managed
        if device.managed:
            assert f"{device.name}/apply.sh" in bundle(name).files
            assert f"{device.name}/etc/network/interfaces" in bundle(name).files
    assert {f"plan/{t}.{ext}" for t in ("ip", "asn", "mtu", "vni", "cabling") for ext in ("csv", "md")} <= set(
        bundle(name).files)


def test_plan_tables_carry_the_planned_numbers():
    files = bundle("proxmox-evpn").files
    assert "pve1,lo,10.255.254.5/32,loopback," in files["plan/ip.csv"].decode()
    assert "| 202 | corosync |" in files["plan/vni.md"].decode()


def test_the_same_input_gives_byte_identical_archives():
    first, second = build_bundle(compiled("wireguard-mesh")), build_bundle(compiled("wireguard-mesh"))
    assert _sha(first.to_tar_gz()) == _sha(second.to_tar_gz())
    assert _sha(first.to_zip()) == _sha(second.to_zip())


def test_archives_hold_the_tree_sorted_with_fixed_owner_time_and_modes():
    built = bundle("wireguard-mesh")
    compressed = built.to_tar_gz()
    assert compressed[4:8] == b"\0\0\0\0"  # the gzip header's own timestamp is left unset
    with tarfile.open(fileobj=io.BytesIO(compressed)) as tar:
        members = tar.getmembers()
        assert [m.name for m in members] == sorted(built.files)
        assert {(m.uid, m.gid, m.mtime) for m in members} == {(0, 0, ARCHIVE_MTIME)}
        modes = {m.name: m.mode for m in members}
        assert tar.extractfile("node1/etc/network/interfaces").read() == built.files["node1/etc/network/interfaces"]
    assert modes["node1/etc/wireguard/ciabmesh.conf"] == 0o600
    assert modes["node1/apply.sh"] == 0o755 and modes["manifest.json"] == 0o644
    with zipfile.ZipFile(io.BytesIO(built.to_zip())) as archive:
        assert archive.namelist() == sorted(built.files)
        assert {info.date_time for info in archive.infolist()} == {ZIP_DATE}
        info = archive.getinfo("node1/etc/wireguard/ciabmesh.conf")
        assert (info.external_attr >> 16) & 0o777 == 0o600
        assert archive.read("manifest.json") == built.files["manifest.json"]


def test_write_dir_gives_files_their_modes(tmp_path):
    bundle("wireguard-mesh").write_dir(tmp_path)
    assert (tmp_path / "node2/etc/wireguard/ciabmesh.conf").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "node2/apply.sh").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "manifest.json").read_bytes() == bundle("wireguard-mesh").files["manifest.json"]


def test_one_node_bundle_has_only_that_nodes_tree_and_its_own_name():
    one = build_bundle(compiled("wireguard-mesh"), nodes=["node3"])
    assert one.name == "wireguard-mesh-node3"
    assert {p.split("/", 1)[0] for p in one.files if "/etc/" in p} == {"node3"}
    assert json.loads(one.files["manifest.json"])["nodes"] == ["node3"]
    # only its own private key travels in it
    keys = [data for path, data in one.files.items() if path.endswith("ciabmesh.conf")]
    assert len(keys) == 1


def test_unknown_or_unmanaged_nodes_are_refused_by_name():
    with pytest.raises(DesignError, match="no device named 'nope'"):
        build_bundle(compiled("proxmox-cluster"), nodes=["nope"])
    with pytest.raises(DesignError, match="sw1 is not managed"):
        build_bundle(compiled("proxmox-cluster"), nodes=["sw1"])


def test_extra_files_are_included_and_listed_in_the_manifest():
    svg = b"<svg xmlns='http://www.w3.org/2000/svg'/>"
    built = build_bundle(compiled("proxmox-evpn"), extra_files={"diagrams/physical.svg": svg})
    assert built.files["diagrams/physical.svg"] == svg
    assert json.loads(built.files["manifest.json"])["files"]["diagrams/physical.svg"]["sha256"] == _sha(svg)
    assert "`diagrams/`" in built.files["README.md"].decode()
    with pytest.raises(ValueError, match="must be relative"):
        build_bundle(compiled("proxmox-evpn"), extra_files={"../escape.svg": svg})
    with pytest.raises(ValueError, match="replace a generated file"):
        build_bundle(compiled("proxmox-evpn"), extra_files={"pve1/apply.sh": b"#!/bin/sh\n"})
    with pytest.raises(ValueError, match="replace a generated file"):
        build_bundle(compiled("proxmox-evpn"), extra_files={"manifest.json": b"{}"})


def test_progress_is_reported_from_0_to_100():
    seen: list[tuple[int, str]] = []
    build_bundle(compiled("proxmox-evpn"), progress=lambda percent, message: seen.append((percent, message)))
    percents = [p for p, _ in seen]
    assert percents[0] == 0 and percents[-1] == 100 and percents == sorted(percents)
    assert all(message for _, message in seen)


def test_readme_tells_what_goes_where():
    readme = bundle("proxmox-cluster").files["README.md"].decode()
    assert "`pve-a/`" in readme and "`/etc/network/interfaces`" in readme
    assert "cluster/etc/pve/firewall/cluster.fw" in readme and "apply.sh --check" in readme
