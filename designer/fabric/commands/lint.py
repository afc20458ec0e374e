"""Check a design and print its findings; the exit status is 1 when any is an error."""

from __future__ import annotations

import argparse

from .common import EXIT_FINDINGS, EXIT_OK, add_design_arguments, compile_from_args, format_finding, print_json

HELP = "check the design; exit 1 on errors"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..severity import SEVERITY_ORDER

    add_design_arguments(parser)
    parser.add_argument("--min-severity", choices=list(SEVERITY_ORDER), default="info",
                        help="leave out findings below this severity")


def run(args: argparse.Namespace) -> int:
    compiled = compile_from_args(args, once=True)  # first: it starts reading the design before importing the compiler
    from ..lint import CHECKS
    from ..severity import SEVERITY_ORDER

    shown = [f for f in compiled.findings if SEVERITY_ORDER[f.severity] <= SEVERITY_ORDER[args.min_severity]]
    if args.json:
        print_json({"design": compiled.plan.name, "errors": compiled.has_errors,
                    "findings": [f.as_dict() for f in shown],
                    "checks": [{"code": c.code, "severity": c.severity, "title": c.title} for c in CHECKS.values()]})
    else:
        for finding in shown:
            print(format_finding(finding, compiled.plan))
        counts = {s: sum(f.severity == s for f in compiled.findings) for s in SEVERITY_ORDER}
        print(f"{compiled.plan.name}: {counts['error']} errors, {counts['warning']} warnings, "
              f"{counts['info']} notes ({len(CHECKS)} checks)")
    return EXIT_FINDINGS if compiled.has_errors else EXIT_OK
