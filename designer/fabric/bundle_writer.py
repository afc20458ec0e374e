"""Writing a bundle to disk as it is made: a directory or a ``.tar.gz``, large designs on every core.

Rendering, hashing and compressing are per node and independent, so a large design's nodes are spread
over worker processes (forked: they read the plan the parent made, only the design's hash is sent), each
returning its nodes' listing and compressed archive pieces, or writing its nodes' files itself; the
parent never holds the text of every file at once. A small design is written by this process alone: a
pool costs more than it saves there. Either way the bytes are those of ``build_bundle`` with
``Bundle.to_tar_gz`` or ``Bundle.write_dir``, however many processes made them.
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .apply import NodeApply
from .archives import Piece, TarGzSegments, write_tar_gz
from .bundle import (
    bundle_name,
    checked_extra_files,
    chosen_devices,
    closing_files,
    design_files,
    node_entries,
    table_files,
    tar_gz_segments,
)
from .document import content_hash
from .pipeline import Compiled
from .plan.model import DevicePlan
from .render.target import DEFAULT_MODE
from .runtime import gc_paused

FORMATS = ("dir", "tar.gz")
PARALLEL_FROM_NODES = 300  # fewer nodes render in well under a second: a pool would only add its start-up
NODES_PER_TASK = 64
TABLES = "plan"  # the task that writes the plan tables, the largest design-wide files

Listing = list[tuple[str, str, int, int]]  # bundle path, sha256, size, mode


@dataclass(slots=True)
class Written:
    """The bundle's name and how many files it holds."""

    name: str
    files: int


@dataclass(slots=True)
class _Done:
    """What a task made: its files' listing and, for an archive, the compressed piece of the tar stream."""

    listing: Listing = field(default_factory=list)
    piece: Piece | None = None


@dataclass(slots=True)
class _Work:
    """What every task reads; worker processes inherit it from the parent when they are forked."""

    compiled: Compiled
    fmt: str
    directory: Path | None
    devices: dict[str, DevicePlan]
    segments: TarGzSegments | None = None
    node_apply: NodeApply | None = None  # made in each process by its first node task, from the design hash


class _Current:
    """The work being done; a forked worker inherits it with the rest of the parent's memory."""

    work: _Work | None = None


def worker_count(nodes: int, jobs: int | None) -> int:
    """``jobs`` when given, else one process per core the design can use: a small one gets this process alone."""
    if jobs is not None:
        return max(1, jobs)
    if nodes < PARALLEL_FROM_NODES:
        return 1
    import multiprocessing  # imported by the runs that may start a pool, not by every compile of a small design

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), nodes // NODES_PER_TASK))


def write_bundle(compiled: Compiled, fmt: str, target: Path | BinaryIO, *, nodes: Iterable[str] | None = None,
                 extra_files: dict[str, bytes] | None = None, jobs: int | None = None,
                 design_hash: str | None = None) -> Written:
    """Write the bundle of ``compiled`` into the directory ``target`` (``dir``) or the file object ``target``
    (``tar.gz``), with ``jobs`` processes (default: as many as help)."""
    if fmt not in FORMATS:
        raise ValueError(f"format '{fmt}' is not one of {FORMATS}")
    plan = compiled.plan
    devices = chosen_devices(plan, nodes)
    name = bundle_name(plan, devices, nodes)
    _Current.work = work = _Work(compiled, fmt, Path(target) if fmt == "dir" else None, {d.name: d for d in devices},
                                 tar_gz_segments() if fmt == "tar.gz" else None)
    try:
        with gc_paused():
            own = design_files(plan)
            tasks = _tasks(work, own, extra_files)
            given_hash = design_hash
            made, design_hash = _run(tasks, worker_count(len(devices), jobs),
                                     lambda: given_hash or content_hash(compiled.design))
            done = dict(zip(tasks, made, strict=True))
            own.update(checked_extra_files(extra_files, own.keys() | {p for d in done.values() for p, *_ in d.listing}))
            listing = {path: (digest, size) for task in done.values() for path, digest, size, _ in task.listing}
            listing.update((path, (_sha256(data), len(data))) for path, data in own.items())
            own.update(closing_files(plan, design_hash, name, devices, listing))
            if fmt == "dir":
                _write_files(work.directory, ((path, data, DEFAULT_MODE) for path, data in own.items()))
            else:
                write_tar_gz(target, _pieces(work.segments, tasks, done, own))
            return Written(name, len(listing) + 3)
    finally:
        _Current.work = None


def _tasks(work: _Work, own: dict[str, bytes], extra_files: dict[str, bytes] | None) -> list[tuple]:
    """The tasks in archive order: runs of nodes that no design-wide entry separates, cut into pieces, and the
    plan tables. Entries sort as their paths do: a directory as its name and a slash."""
    design_tops = {path.split("/", 1)[0] + ("/" if "/" in path else "") for path in [*own, *(extra_files or ())]}
    inside = sorted(top for top in design_tops if top[:-1] in work.devices)
    if inside:
        raise ValueError(f"extra files may not go into a node's directory ({inside[0]})")
    entries = sorted([*(f"{n}/" for n in work.devices), *design_tops, "README.md", "SHA256SUMS", "manifest.json",
                      f"{TABLES}/"])
    tasks: list[tuple] = []
    run: list[str] = []
    for entry in [*entries, None]:
        if entry is not None and entry.endswith("/") and entry[:-1] in work.devices:
            run.append(entry[:-1])
            continue
        tasks += [("nodes", tuple(run[i:i + NODES_PER_TASK])) for i in range(0, len(run), NODES_PER_TASK)]
        run = []
        if entry == f"{TABLES}/":
            tasks.append((TABLES,))
    return tasks


def _run(tasks: list[tuple], workers: int, hash_design: Callable[[], str]) -> tuple[list[_Done], str]:
    """What each task made, in the order of ``tasks``, and the design's hash (``hash_design``), which the nodes'
    apply facts carry and the plan tables do not: with a pool, a worker makes the tables while this process
    works the hash out."""
    tables = [index for index, task in enumerate(tasks) if task[0] == TABLES]
    nodes = [index for index, task in enumerate(tasks) if task[0] != TABLES]
    if workers == 1:
        design_hash = hash_design()
        return [_do(task, design_hash) for task in tasks], design_hash
    import multiprocessing

    gc.freeze()  # the collector leaves the plan's pages alone, so the workers share them instead of copying
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            # the plan tables are the largest task: started first, they do not finish alone after every node
            tables_made = [pool.apply_async(_do, (tasks[index], None)) for index in tables]
            design_hash = hash_design()
            made = dict(zip(nodes, pool.starmap(_do, [(tasks[index], design_hash) for index in nodes], chunksize=1),
                            strict=True))
            made.update(zip(tables, (result.get() for result in tables_made), strict=True))
    finally:
        gc.unfreeze()
    return [made[index] for index in range(len(tasks))], design_hash


def _do(task: tuple, design_hash: str | None) -> _Done:
    work = _Current.work
    plan = work.compiled.plan
    if task[0] == TABLES:
        groups = [((path, data, DEFAULT_MODE, _sha256(data)) for path, data in table_files(plan))]
    else:
        if work.node_apply is None:
            work.node_apply = NodeApply(plan, design_hash)
        groups = (sorted(node_entries(plan, work.devices[node], work.node_apply)) for node in task[1])
    done = _Done(piece=Piece() if work.fmt == "tar.gz" else None)
    for group in groups:
        members = _listed(group, done.listing)
        if done.piece is not None:
            work.segments.group(members, done.piece)
        else:
            _write_files(work.directory, ((path, data, mode) for path, data, mode, _ in members))
    return done


def _listed(entries: Iterable[tuple[str, bytes, int, str]], listing: Listing) -> Iterator[tuple[str, bytes, int, str]]:
    """``entries`` (path, data, mode, sha256 of data), each put in ``listing`` as it passes."""
    for entry in entries:
        path, data, mode, digest = entry
        listing.append((path, digest, len(data), mode))
        yield entry


def _pieces(segments: TarGzSegments, tasks: list[tuple], done: dict[tuple, _Done],
            own: dict[str, bytes]) -> Iterator[Piece]:
    """Every piece of the tar stream in order: the tasks' and, between them, the design-wide entries."""
    by_top: dict[str, list[str]] = {}
    for path in sorted(own):
        by_top.setdefault(path.split("/", 1)[0] + ("/" if "/" in path else ""), []).append(path)
    first_of_task = {task: _first_entry(task) for task in tasks}
    stream = sorted([*((entry, None) for entry in by_top), *((first_of_task[task], task) for task in tasks)])
    for entry, task in stream:
        if task is not None:
            yield done[task].piece
            continue
        piece = Piece()
        segments.group(((path, own[path], DEFAULT_MODE, _sha256(own[path])) for path in by_top[entry]), piece)
        yield piece


def _first_entry(task: tuple) -> str:
    return f"{TABLES}/" if task[0] == TABLES else f"{task[1][0]}/"


def _write_files(directory: Path, files: Iterable[tuple[str, bytes, int]]) -> None:
    for path, data, mode in files:
        target = directory / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        target.chmod(mode)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
