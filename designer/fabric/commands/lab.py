"""Prove a design in a lab of network namespaces: each node's own apply.sh on a stock root, then check convergence.

`lab verify FILE` builds the lab, runs the checks, prints the report and takes the lab down; with
`--reboot` it then reboots every node from what its apply.sh installed and runs the checks again; the
exit status is 0 only when every check that ran passed (an expected failure, which the plan itself
predicts, counts neither way). `--keep` leaves it up to look around, `lab down RUN` takes such a lab down.
"""

from __future__ import annotations

import argparse
import gc
import sys

from .common import (
    EXIT_BAD_INPUT,
    EXIT_FINDINGS,
    EXIT_OK,
    add_design_arguments,
    compile_from_args,
    print_error_findings,
    print_json,
)

HELP = "prove a design in a lab of network namespaces (needs root)"
EXIT_LAB_ERROR = 2  # the lab could not be built: not root, a tool missing, a step failed
EXIT_NOT_DOWN = 1  # some of a kept lab is still up
EXIT_INTERRUPTED = 130


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from .. import lab

    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    verify = actions.add_parser("verify", help="build the lab, run the checks, report, take it down")
    add_design_arguments(verify)
    verify.add_argument("--keep", action="store_true", help="leave the lab up and say how to enter it")
    verify.add_argument("--reboot", action="store_true",
                        help="once the checks ran, reboot every node from its installed files and run them again")
    verify.add_argument("--timeout", type=float, default=lab.DEFAULT_TIMEOUT, metavar="S",
                        help=f"seconds to wait for the fabric to converge (default {lab.DEFAULT_TIMEOUT:.0f})")
    verify.add_argument("--verbose", action="store_true", help="show the evidence of passed checks too")
    down = actions.add_parser("down", help="take down a lab left up with --keep")
    down.add_argument("run_id", nargs="?", metavar="RUN", help="its run id (default: list the labs left up)")


def run(args: argparse.Namespace) -> int:
    from .. import lab

    try:
        return _verify(args) if args.action == "verify" else _down(args)
    except lab.LabError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_LAB_ERROR
    except (KeyboardInterrupt, lab.LabInterrupted):
        print("interrupted: the lab was taken down", file=sys.stderr)
        return EXIT_INTERRUPTED


def _verify(args: argparse.Namespace) -> int:
    if args.timeout <= 0:
        print("error: --timeout must be a positive number of seconds", file=sys.stderr)
        return EXIT_BAD_INPUT
    from .. import lab

    compiled = compile_from_args(args)
    gc.enable()  # the weft script starts with the collector off (cli.entry_point); the lab runs for minutes

    def progress(percent: int, message: str) -> None:
        print(f"[{percent:3d}%] {message}", file=sys.stderr, flush=True)

    try:
        report = lab.verify(compiled, timeout=args.timeout, keep=args.keep, reboot=args.reboot,
                            progress=None if args.json else progress)
    except lab.LabRefused as refused:
        print(f"{args.file}: the design has error findings; the lab does not run:", file=sys.stderr)
        print_error_findings(refused.findings, compiled.plan)
        return EXIT_FINDINGS
    if args.json:
        print_json(report.as_dict())
    else:
        print(lab.to_text(report, verbose=args.verbose))
    return EXIT_OK if report.ok else EXIT_FINDINGS


def _down(args: argparse.Namespace) -> int:
    from .. import lab

    if args.run_id is None:
        runs = lab.kept_runs()
        print("\n".join(runs) if runs else "no lab is up")
        return EXIT_OK
    problems = lab.take_down(args.run_id)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if not problems:
        print(f"lab {args.run_id} is down")
    return EXIT_NOT_DOWN if problems else EXIT_OK
