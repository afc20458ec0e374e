"""Print the plan of a design: IP, ASN, MTU, VNI, BGP session and cabling tables."""

from __future__ import annotations

import argparse

from .common import EXIT_OK, add_design_arguments, compile_from_args, print_json

HELP = "print the IP, ASN, MTU, VNI, BGP and cabling tables"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from .. import tables

    add_design_arguments(parser)
    parser.add_argument("--table", choices=list(tables.TABLES), action="append",
                        help="only these tables (repeatable)")


def run(args: argparse.Namespace) -> int:
    from .. import tables

    compiled = compile_from_args(args, once=True)
    chosen = [table(compiled.plan) for name, table in tables.TABLES.items() if not args.table or name in args.table]
    if args.json:
        print_json({"design": compiled.plan.name, "tables": [t.as_dict() for t in chosen]})
    else:
        print("\n\n".join(tables.to_text(t) for t in chosen))
    return EXIT_OK
