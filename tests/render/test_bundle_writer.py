"""A bundle written to disk as it is made, by one process or several: the same bytes as the bundle in memory."""

from __future__ import annotations

import csv
import gzip
import io
import os
import random
import tarfile
import zlib

import pytest

from designer.fabric import bundle_writer
from designer.fabric.archives import ARCHIVE_MTIME, COMPRESS_LEVEL, crc32_combine, tar_header
from designer.fabric.bundle import build_bundle
from designer.fabric.bundle_writer import write_bundle
from designer.fabric.generate import leaf_spine
from designer.fabric.pipeline import compile_design
from designer.fabric.tables import Table, to_csv, to_markdown
from tests.conftest import fixed_keygen
from tests.render.bundles import compiled


@pytest.fixture(scope="module")
def fabric():
    """Enough nodes that tasks are cut in several pieces, around design-wide entries, on two workers."""
    return compile_design(leaf_spine(spines=2, leaves=6, hypervisors_per_leaf=14, vnis=3, name="writer"),
                          keygen=fixed_keygen("writer"))


def _tar_gz(compiled_design, jobs: int) -> bytes:
    out = io.BytesIO()
    write_bundle(compiled_design, "tar.gz", out, jobs=jobs)
    return out.getvalue()


def _tarfile_bytes(files: dict[str, bytes], mode) -> bytes:
    """The tar stream as Python's tarfile writes the same members."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), mode(name), ARCHIVE_MTIME
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def test_the_archive_is_the_same_from_one_process_or_several(fabric, monkeypatch):
    monkeypatch.setattr(bundle_writer, "NODES_PER_TASK", 16)  # several tasks per worker, runs cut by dns/ and plan/
    in_memory = build_bundle(fabric)
    single, parallel = _tar_gz(fabric, jobs=1), _tar_gz(fabric, jobs=2)
    assert parallel == single == in_memory.to_tar_gz()
    # what is inside is the tar stream Python's tarfile writes, member for member and byte for byte
    assert gzip.decompress(parallel) == _tarfile_bytes(in_memory.files, in_memory.mode)
    with tarfile.open(fileobj=io.BytesIO(parallel)) as tar:
        assert tar.extractfile("hv1/apply.py").read() == in_memory.files["hv1/apply.py"]


def test_the_engine_is_compressed_once_for_every_node(fabric):
    """Each node carries the same engine; its compressed bytes are reused, so the archive grows by little per node."""
    archive = build_bundle(fabric).to_tar_gz()
    engine = build_bundle(fabric).files["hv1/apply.py"]
    segment = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
    compressed = segment.compress(engine + bytes(-len(engine) % 512)) + segment.flush(zlib.Z_SYNC_FLUSH)
    nodes = len([d for d in fabric.plan.devices.values() if d.managed])
    assert archive.count(compressed) == nodes


def test_a_directory_is_the_same_from_one_process_or_several(fabric, tmp_path):
    trees = {}
    for jobs in (1, 2):
        write_bundle(fabric, "dir", tmp_path / str(jobs), jobs=jobs)
        root = tmp_path / str(jobs)
        trees[jobs] = {path.relative_to(root).as_posix(): (path.read_bytes(), path.stat().st_mode & 0o777)
                       for path in root.rglob("*") if path.is_file()}
    in_memory = build_bundle(fabric)
    assert trees[1] == trees[2] == {path: (data, in_memory.mode(path)) for path, data in in_memory.files.items()}


def test_one_nodes_bundle_with_extra_files(tmp_path):
    design = compiled("proxmox-evpn")
    extra = {"diagrams/physical.svg": b"<svg/>"}
    out = io.BytesIO()
    written = write_bundle(design, "tar.gz", out, nodes=["pve1"], extra_files=extra, jobs=2)
    expected = build_bundle(design, nodes=["pve1"], extra_files=extra)
    assert (written.name, written.files) == (expected.name, len(expected.files))
    assert out.getvalue() == expected.to_tar_gz()


def test_small_designs_are_written_without_a_pool():
    assert bundle_writer.worker_count(nodes=62, jobs=None) == 1
    assert bundle_writer.worker_count(nodes=10_000, jobs=None) == len(os.sched_getaffinity(0))
    assert bundle_writer.worker_count(nodes=62, jobs=3) == 3


@pytest.mark.parametrize("first, second", [(b"", b"abc"), (b"weft", b""), (b"leaf1" * 99, bytes(range(256)) * 40)])
def test_crc32_of_two_pieces_joined(first, second):
    assert crc32_combine(zlib.crc32(first), zlib.crc32(second), len(second)) == zlib.crc32(first + second)


def test_every_vtep_names_its_own_tunnel_address(fabric):
    """The VNIs' stanzas are rendered once for all VTEPs; each VTEP's file still carries its own address."""
    files = build_bundle(fabric).files
    for name in ("hv1", "hv2", "hv84"):
        device = fabric.plan.device_by_name(name)
        text = files[f"{name}/etc/network/interfaces"].decode()
        assert text.count(f"vxlan-local-tunnelip {device.vtep}\n") == 3  # one per VNI
        assert text.count("vxlan-local-tunnelip ") == 3
        assert "\0" not in text
        assert "auto vmbr10001\niface vmbr10001 inet manual\n    bridge-ports vxlan10001\n" in text


@pytest.mark.parametrize("seed", range(3))
def test_member_headers_are_tarfiles(seed):
    """Headers are written without tarfile for speed; they must be its bytes, long and odd names included."""
    chance = random.Random(seed)
    for _ in range(700):
        path = "".join(chance.choice("abcXYZ019_./-@:=+é") for _ in range(chance.randint(1, 130)))
        size = chance.choice([0, 511, 512, 513, chance.randint(0, 10**9), 8**11 - 1, 8**11])
        mode = chance.choice([0o644, 0o755, 0o600])
        info = tarfile.TarInfo(path)
        info.size, info.mode, info.mtime = size, mode, ARCHIVE_MTIME
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        assert tar_header(path, size, mode) == info.tobuf(tarfile.PAX_FORMAT, tarfile.ENCODING, "surrogateescape")


def test_a_pipe_or_a_line_end_in_a_plan_table_cell_stays_within_its_row_in_markdown():
    table = Table("x", "X", ("device", "reason"), [("leaf1", "a|b"), ("leaf2", "first\nsecond"), ("leaf3", "plain")])
    assert to_markdown(table).splitlines()[-3:] == ["| leaf1 | a\\|b |", "| leaf2 | first<br>second |",
                                                    "| leaf3 | plain |"]


@pytest.mark.parametrize("seed", range(3))
def test_plan_tables_in_csv_are_what_the_csv_module_writes(seed):
    """Plain tables are joined without the csv module; a cell with a comma, quote or line end is still quoted."""
    chance = random.Random(seed)
    for _ in range(300):
        columns = tuple(f"c{index}" for index in range(chance.randint(1, 5)))
        rows = [tuple("".join(chance.choice(["leaf1", "9000", "", " ", ",", '"', "\n", "\r", "|"])
                              for _ in range(chance.randint(0, 2))) for _ in columns)
                for _ in range(chance.randint(0, 4))]
        expected = io.StringIO()
        csv.writer(expected, lineterminator="\n").writerows([columns, *rows])
        assert to_csv(Table("t", "T", columns, rows)) == expected.getvalue()
