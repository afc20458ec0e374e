"""Draw a design: its physical, underlay or overlay view, or one VNI or VRF, as SVG, PNG, PDF or DOT.

The ``air`` view is the design as an NVIDIA Air topology file (DOT only), to simulate it there.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import EXIT_OK, add_design_arguments, compile_from_args, print_json

HELP = "draw the physical, underlay or overlay view (or one VNI or VRF) as SVG, PNG, PDF or DOT"
EXIT_GRAPHVIZ_FAILED = 3


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..diagrams import FORMATS, VIEWS

    add_design_arguments(parser)
    parser.add_argument("--view", choices=VIEWS, default=None,
                        help="what to draw (default: overlay with --vni or --vrf, else physical)")
    parser.add_argument("--vni", type=int, default=None, help="only this VNI (an L3VNI selects its VRF)")
    parser.add_argument("--vrf", default=None, help="only this VRF and its VNIs")
    parser.add_argument("--format", choices=FORMATS, default=None,
                        help="output format (default: from the --out suffix, else svg)")
    parser.add_argument("--out", type=Path, default=None, help="file to write (default: standard output)")


def run(args: argparse.Namespace) -> int:
    from ..diagrams import GraphvizError, render_diagram

    view = args.view or ("overlay" if args.vni is not None or args.vrf is not None else "physical")
    fmt = args.format or output_format(args.out)
    compiled = compile_from_args(args, once=True)
    try:
        drawing = render_diagram(compiled.plan, view, fmt, vni=args.vni, vrf=args.vrf)
    except GraphvizError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_GRAPHVIZ_FAILED
    if args.out is None:
        sys.stdout.buffer.write(drawing)
        sys.stdout.flush()
        return EXIT_OK
    args.out.write_bytes(drawing)
    if args.json:
        print_json({"design": compiled.plan.name, "view": view, "format": fmt, "path": str(args.out),
                    "bytes": len(drawing)})
    else:
        print(f"wrote {args.out}: {view} view of {compiled.plan.name}, {fmt}, {len(drawing)} bytes", file=sys.stderr)
    return EXIT_OK


def output_format(out: Path | None) -> str:
    from ..diagrams import FORMATS

    suffix = out.suffix.lstrip(".").lower() if out is not None else ""
    return suffix if suffix in FORMATS else "svg"
