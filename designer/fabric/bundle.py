"""Bundles: a design's files per node, with apply scripts, plan tables and a manifest, as a tree or archive.

Layout (what push, the lab and outside checkers rely on)::

    manifest.json          every file's sha256 and size, the design's name and content hash
    SHA256SUMS             the same for ``sha256sum -c``
    README.md              what to copy where
    plan/                  IP, ASN, MTU, VNI, BGP and cabling tables as CSV and Markdown
    <node>/etc/...         the node's files where they go on the node
    <node>/apply.sh        check, back up, install, load; restore the backup if any step fails
    <node>/apply.py        the engine apply.sh runs (the same on every node), docs/apply.md
    <node>/apply.json      the node's files, checks, loads and health expectations for the engine
    dns/, cluster/         design-wide files (BIND zones, the Proxmox cluster firewall)
    diagrams/              added by the caller through ``extra_files``

The same input gives byte-identical files and archives: sorted, no clock anywhere. Large designs
are written straight to disk by ``bundle_writer``, from the same pieces as here.
"""

from __future__ import annotations

import hashlib
import io
import json
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from . import GENERATOR, GENERATOR_VERSION, tables
from .apply import NodeApply, engine_sha256, engine_source
from .archives import (
    ARCHIVE_MTIME,  # noqa: F401 - push writes its per-node archives with it, from here
    COMPRESS_LEVEL,
    Piece,
    TarGzSegments,
    write_tar_gz,
)
from .document import content_hash
from .errors import DesignError, Problem
from .pipeline import Compiled
from .plan.model import DevicePlan, Plan
from .render import BUNDLE_FOLDERS, activation_for, render_design, render_node
from .render.target import DEFAULT_MODE, file_mode
from .render.templating import render
from .runtime import gc_paused

Progress = Callable[[int, str], None]

ZIP_DATE = (2000, 1, 1, 0, 0, 0)
MANIFEST, SUMS, README = "manifest.json", "SHA256SUMS", "README.md"
RESERVED = frozenset({MANIFEST, SUMS, README, "plan", "diagrams", *(folder.name for folder in BUNDLE_FOLDERS)})
_SAFE_PATH = re.compile(r"[A-Za-z0-9_.+@:=-]+(/[A-Za-z0-9_.+@:=-]+)*")


@dataclass(slots=True)
class Bundle:
    """Bundle path -> bytes (``manifest.json`` included), with the file modes archives record."""

    name: str
    files: dict[str, bytes]
    modes: dict[str, int] = field(default_factory=dict)

    def mode(self, path: str) -> int:
        return self.modes.get(path, DEFAULT_MODE)

    def write_dir(self, path: str | Path) -> None:
        """Write the tree under ``path`` (created if missing), with each file's mode."""
        root = Path(path)
        for name, data in self.files.items():
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            target.chmod(self.mode(name))

    def to_tar_gz(self) -> bytes:
        """The archive (see ``archives``): each top-level entry compressed on its own, the engine once."""
        segments, piece = tar_gz_segments(), Piece()
        for group in top_level_groups(self.files):
            segments.group(((path, self.files[path], self.mode(path), _sha256(self.files[path])) for path in group),
                           piece)
        buffer = io.BytesIO()
        write_tar_gz(buffer, [piece])
        return buffer.getvalue()

    def to_zip(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as archive:
            for name, data in self.files.items():
                info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
                info.create_system = 3  # unix, so the mode below is honoured
                info.external_attr = (0o100000 | self.mode(name)) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
        return buffer.getvalue()


def build_bundle(compiled: Compiled, *, nodes: Iterable[str] | None = None,
                 extra_files: dict[str, bytes] | None = None, progress: Progress | None = None,
                 design_hash: str | None = None) -> Bundle:
    """Render and lay out the bundle of the whole design, or of the devices named in ``nodes``.

    ``design_hash``: the design's content hash when the caller already has it (a stored revision does).
    """
    with gc_paused():
        return _build(compiled, nodes, extra_files, progress or (lambda percent, message: None),
                      design_hash or content_hash(compiled.design))


def _build(compiled: Compiled, nodes: Iterable[str] | None, extra_files: dict[str, bytes] | None,
           report: Progress, design_hash: str) -> Bundle:
    plan = compiled.plan
    devices = chosen_devices(plan, nodes)
    name = bundle_name(plan, devices, nodes)
    files: dict[str, bytes] = {}
    modes: dict[str, int] = {}
    digests: dict[str, str] = {}
    report(0, f"rendering {len(devices)} nodes")
    step = max(1, len(devices) // 20)
    node_apply = NodeApply(plan, design_hash)
    for index, device in enumerate(devices, start=1):
        for path, data, mode, digest in node_entries(plan, device, node_apply):
            files[path] = data
            modes[path] = mode
            digests[path] = digest
        if index % step == 0 or index == len(devices):
            report(5 + 80 * index // len(devices), f"rendered {device.name} ({index} of {len(devices)})")
    files.update(design_files(plan))
    report(90, "writing the plan tables")
    files.update(table_files(plan))
    files.update(checked_extra_files(extra_files, files))
    listing = {path: (digests.get(path) or _sha256(data), len(data)) for path, data in files.items()}
    files.update(closing_files(plan, design_hash, name, devices, listing))
    report(100, f"bundle {name}: {len(files)} files")
    return Bundle(name=name, files={path: files[path] for path in sorted(files)}, modes=modes)


def bundle_name(plan: Plan, devices: list[DevicePlan], nodes: Iterable[str] | None) -> str:
    return plan.name if nodes is None else "-".join([plan.name, *(d.name for d in devices)])


def node_entries(plan: Plan, device: DevicePlan, node_apply: NodeApply) -> list[tuple[str, bytes, int, str]]:
    """One node's part of the bundle: (bundle path, bytes, mode, sha256) of its files and its apply files."""
    node_files = {path: text.encode() for path, text in render_node(plan, device.id).items()}
    digests = {path: _sha256(data) for path, data in node_files.items()}  # for the manifest and apply.json alike
    activations = {path: activation_for(path) for path in node_files}
    entries = [(f"{device.name}{path}", data, file_mode(activations[path]), digests[path])
               for path, data in node_files.items()]
    engine = engine_source()  # the same bytes in every node: hashed once
    entries += [(f"{device.name}/{file_name}", data, mode, engine_sha256() if data is engine else _sha256(data))
                for file_name, (data, mode) in node_apply.files(device, node_files, activations, digests).items()]
    return entries


def design_files(plan: Plan) -> dict[str, bytes]:
    """Design-wide files (DNS zones, the cluster firewall), by bundle path."""
    return {path: text.encode() for path, text in render_design(plan).items()}


def table_files(plan: Plan) -> Iterator[tuple[str, bytes]]:
    """``plan/``: every plan table as CSV and Markdown, by bundle path in sorted order; one table is made at a time
    (the MTU table of a large design has a million rows)."""
    for name in sorted(tables.TABLES):
        table = tables.TABLES[name](plan)
        yield f"plan/{table.name}.csv", tables.to_csv(table).encode()
        yield f"plan/{table.name}.md", tables.to_markdown(table).encode()


def checked_extra_files(extra_files: dict[str, bytes] | None, taken: Iterable[str]) -> dict[str, bytes]:
    """The caller's own files (diagrams), refused where they would replace a generated file."""
    taken = set(taken)
    out = {}
    for path, data in (extra_files or {}).items():
        _check_extra_path(path, taken)
        out[path] = bytes(data)
    return out


def closing_files(plan: Plan, design_hash: str, name: str, devices: list[DevicePlan],
                  listing: dict[str, tuple[str, int]]) -> dict[str, bytes]:
    """README, manifest and sums, from every other file's (sha256, size) in ``listing``."""
    paths = sorted([*listing, README, MANIFEST, SUMS])
    readme = _readme(plan, design_hash, name, devices, paths)
    # the manifest lists every file but itself and the sums; the sums list every file but themselves
    listed = {path: (_sha256(readme), len(readme)) if path == README else listing[path]
              for path in paths if path not in (MANIFEST, SUMS)}
    manifest = _manifest(plan, design_hash, devices, listed)
    digests = {path: digest for path, (digest, _) in listed.items()} | {MANIFEST: _sha256(manifest)}
    sums = "".join(f"{digests[path]}  {path}\n" for path in paths if path != SUMS).encode()
    return {README: readme, MANIFEST: manifest, SUMS: sums}


def top_level_groups(paths: Iterable[str]) -> list[list[str]]:
    """``paths`` sorted, in runs that share their top-level entry (a node's directory, ``plan/``, a file)."""
    groups: list[list[str]] = []
    last = None
    for path in sorted(paths):
        top = path.split("/", 1)[0]
        if top != last:
            groups.append([])
            last = top
        groups[-1].append(path)
    return groups


def tar_gz_segments() -> TarGzSegments:
    """The bundle's compressor: the engine, the same bytes in every node, is compressed once."""
    return TarGzSegments(shared=[engine_sha256()])


def chosen_devices(plan: Plan, nodes: Iterable[str] | None) -> list[DevicePlan]:
    """The managed devices named in ``nodes`` (all when None); a name that gets no bundle is a DesignError."""
    managed = [d for d in plan.devices.values() if d.managed]
    clashes = [d.name for d in managed if d.name in RESERVED]
    if clashes:
        raise DesignError(Problem("devices", f"device name '{clashes[0]}' clashes with the bundle's own "
                                  f"'{clashes[0]}' entry", "rename the device"), source=plan.name)
    if nodes is None:
        return managed
    by_name = {d.name: d for d in plan.devices.values()}
    chosen = []
    for index, name in enumerate(dict.fromkeys(nodes)):
        device = by_name.get(name)
        if device is None:
            known = ", ".join(sorted(d.name for d in managed)[:8])
            raise DesignError(Problem(f"nodes[{index}]", f"no device named '{name}'", f"managed devices: {known}"),
                              source=plan.name)
        if not device.managed:
            raise DesignError(Problem(f"nodes[{index}]", f"{name} is not managed: it gets no bundle",
                                      "set managed: true on it to generate its files"), source=plan.name)
        chosen.append(device)
    return chosen


def _check_extra_path(path: str, files: set[str]) -> None:
    if not _SAFE_PATH.fullmatch(path) or ".." in path.split("/") or posixpath.normpath(path) != path:
        raise ValueError(f"extra file path '{path}' must be relative, without '..', made of plain names")
    if path in files or path in (README, MANIFEST, SUMS):
        raise ValueError(f"extra file '{path}' would replace a generated file")


def _readme(plan: Plan, design_hash: str, name: str, devices: list[DevicePlan], paths: list[str]) -> bytes:
    """What to copy where; ``paths`` are the bundle's, sorted."""
    by_top: dict[str, list[str]] = {}
    for path in paths:
        top, _, rest = path.partition("/")
        by_top.setdefault(top, []).append(rest)
    # a node's files are listed as one text: the template would loop over every file of 10,000 nodes
    nodes = [(device, ", ".join(f"`/{rest}`" for rest in by_top.get(device.name, ()) if rest.startswith("etc/")))
             for device in devices]
    design_files = [(path, folder.instruction(path)) for folder in sorted(BUNDLE_FOLDERS, key=lambda f: f.name)
                    for path in (f"{folder.name}/{rest}" for rest in by_top.get(folder.name, ()) if rest)]
    return render("bundle/README.md.j2", plan=plan, content_hash=design_hash, name=name, nodes=nodes,
                  design_files=design_files, diagrams=any(by_top.get("diagrams", ()))).encode()


def _manifest(plan: Plan, design_hash: str, devices: list[DevicePlan], files: dict[str, tuple[str, int]]) -> bytes:
    """``files``: bundle path -> (sha256, size), in the order the manifest lists them."""
    manifest = {
        "generator": GENERATOR,
        "generator_version": GENERATOR_VERSION,
        "design": {"name": plan.name, "content_hash": design_hash},
        "nodes": [d.name for d in devices],
        "files": {path: {"sha256": digest, "size": size} for path, (digest, size) in files.items()},
    }
    # orjson writes what json.dumps(indent=2) does, fifty times faster, as long as all is ASCII (json escapes the rest)
    encoded = orjson.dumps(manifest, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    return encoded if encoded.isascii() else (json.dumps(manifest, indent=2) + "\n").encode()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
