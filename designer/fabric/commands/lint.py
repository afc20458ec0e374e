"""Check a design and print its findings; the exit status is 1 when any is an error."""

from __future__ import annotations

import argparse

from ..lint import CHECKS, Finding
from .common import add_design_arguments, compile_from_args, print_json

HELP = "check the design; exit 1 on errors"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_design_arguments(parser)
    parser.add_argument("--min-severity", choices=["error", "warning", "info"], default="info",
                        help="leave out findings below this severity")


def run(args: argparse.Namespace) -> int:
    compiled = compile_from_args(args)
    order = ["error", "warning", "info"]
    shown = [f for f in compiled.findings if order.index(f.severity) <= order.index(args.min_severity)]
    if args.json:
        print_json({"design": compiled.plan.name, "errors": compiled.has_errors,
                    "findings": [f.as_dict() for f in shown], "checks": len(CHECKS)})
    else:
        for finding in shown:
            print(format_finding(finding, compiled.plan))
        counts = {s: sum(f.severity == s for f in compiled.findings) for s in order}
        print(f"{compiled.plan.name}: {counts['error']} errors, {counts['warning']} warnings, "
              f"{counts['info']} notes ({len(CHECKS)} checks)")
    return 1 if compiled.has_errors else 0


def format_finding(finding: Finding, plan) -> str:
    names = [plan.devices[e].name if e in plan.devices else e for e in finding.elements]
    where = f" [{', '.join(names)}]" if names else ""
    text = f"{finding.severity:<8}{finding.code}: {finding.message}{where}"
    return f"{text}\n        hint: {finding.hint}" if finding.hint else text
