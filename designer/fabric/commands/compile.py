"""Compile a design into its configuration bundle: a directory, a .tar.gz or a .zip.

Refuses, writing nothing, when the design has error findings, unless --force. Writes the
allocation record beside the design (the lock file), so compiling again changes no key or address.
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..errors import DesignError, Problem
from .common import (
    EXIT_FINDINGS,
    EXIT_OK,
    add_design_arguments,
    compile_from_args,
    print_error_findings,
    print_json,
    read_from_args,
    record_path,
    write_record,
)

HELP = "write the configuration bundle (per-node files, apply scripts, plan tables)"
FORMATS = ("dir", "tar.gz", "zip")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_design_arguments(parser)
    parser.add_argument("--out", type=Path, required=True,
                        help="directory: the bundle itself (--format dir) or where the archive goes")
    parser.add_argument("--node", action="append", default=None, metavar="NAME",
                        help="only this device's bundle (repeatable)")
    parser.add_argument("--format", choices=FORMATS, default="dir")
    parser.add_argument("--force", action="store_true", help="write the bundle despite error findings")
    parser.add_argument("--no-diagrams", dest="diagrams", action="store_false",
                        help="leave out the SVG and PNG drawings under diagrams/ (they take Graphviz a few "
                             "seconds on a large fabric)")
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="processes rendering the nodes (default: one per core for a design of a few hundred "
                             "nodes or more, else one); the bundle is the same either way")


def run(args: argparse.Namespace) -> int:
    read = read_from_args(args)  # first: it starts reading the design before importing the compiler
    from ..bundle import bundle_name, chosen_devices
    from ..document import content_hash
    from ..runtime import beside

    # the design's content hash (in the manifest and every node's apply.json) is worked out by a second process
    # while this one plans and checks the design
    design_hash = beside(functools.partial(content_hash, read[0]))
    compiled = compile_from_args(args, once=True, read=read)
    errors = compiled.errors
    if errors and not args.force:
        print_error_findings(errors, compiled.plan)
        print(f"{compiled.plan.name}: {len(errors)} errors; nothing written (--force writes anyway)",
              file=sys.stderr)
        return EXIT_FINDINGS
    devices = chosen_devices(compiled.plan, args.node)  # a bad --node is told before Graphviz draws anything
    extra = _diagrams(compiled.plan) if args.diagrams else None
    name = bundle_name(compiled.plan, devices, args.node)
    target, files = _write(compiled, name, args, extra, design_hash())
    write_record(record_path(args), compiled.plan.record)
    if args.json:
        print_json({"design": compiled.plan.name, "bundle": str(target), "files": files, "errors": len(errors)})
    else:
        print(f"wrote {target}: {files} files" + (f", despite {len(errors)} errors" if errors else ""))
    return EXIT_OK


def _diagrams(plan) -> dict[str, bytes]:
    from ..diagrams import GraphvizError, bundle_diagrams

    try:
        return bundle_diagrams(plan)
    except GraphvizError as exc:
        raise DesignError(Problem("diagrams", f"Graphviz could not draw the fabric: {exc}",
                                  "install graphviz, or add --no-diagrams")) from None


def _write(compiled, name: str, args: argparse.Namespace, extra: dict[str, bytes] | None,
           design_hash: str) -> tuple[Path, int]:
    """Write the bundle where ``--out`` says; the path written and the number of files in it."""
    from ..bundle import build_bundle
    from ..bundle_writer import write_bundle

    out, fmt = args.out, args.format
    if fmt == "dir":
        written = _replace_dir(out, lambda staging: write_bundle(compiled, "dir", staging, nodes=args.node,
                                                                  extra_files=extra, jobs=args.jobs,
                                                                  design_hash=design_hash))
        return out, written.files
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{name}.{fmt}"
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        # The archive holds every node's private key: readable by its owner only, from its first byte on.
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
            if fmt == "tar.gz":  # streamed as it is made, by every core for a large design
                files = write_bundle(compiled, "tar.gz", handle, nodes=args.node, extra_files=extra,
                                     jobs=args.jobs, design_hash=design_hash).files
            else:
                bundle = build_bundle(compiled, nodes=args.node, extra_files=extra, design_hash=design_hash)
                handle.write(bundle.to_zip())
                files = len(bundle.files)
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target, files


def _replace_dir(out: Path, write: Callable[[Path], object]):
    """``write`` the tree beside ``out`` and swap it in; an older bundle there goes, other content is kept safe."""
    if out.exists() and any(out.iterdir()) and not (out / "manifest.json").is_file():
        raise DesignError(Problem("--out", f"{out} is not empty and holds no bundle",
                                  "give a new or empty directory, or one an earlier compile wrote"))
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        written = write(staging)
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return written
