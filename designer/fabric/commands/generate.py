"""Write a generated design: a leaf-spine EVPN/VXLAN fabric of any size, as YAML."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import EXIT_BAD_INPUT, EXIT_OK

HELP = "write a generated design (leaf-spine EVPN/VXLAN) as YAML"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..generate import GENERATORS

    parser.add_argument("kind", choices=sorted(GENERATORS), help="what to generate")
    parser.add_argument("--spines", type=int, default=2)
    parser.add_argument("--leaves", type=int, default=4)
    parser.add_argument("--hypervisors-per-leaf", type=int, default=2)
    parser.add_argument("--vnis", type=int, default=10)
    parser.add_argument("--name", default=None, help="design name (default: from the sizes)")
    parser.add_argument("--out", type=Path, default=None, help="file to write (default: standard output)")


def run(args: argparse.Namespace) -> int:
    from ..document import dump_yaml
    from ..generate import GENERATORS

    name = args.name or f"{args.kind}-{args.spines}s-{args.leaves}l-{args.hypervisors_per_leaf}h"
    try:
        design = GENERATORS[args.kind](spines=args.spines, leaves=args.leaves,
                                       hypervisors_per_leaf=args.hypervisors_per_leaf, vnis=args.vnis, name=name)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    text = dump_yaml(design)
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}: {len(design.devices)} devices, {len(design.links)} links, "
              f"{len(design.networks)} VNIs", file=sys.stderr)
    return EXIT_OK
