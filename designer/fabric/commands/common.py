"""What the subcommands share: exit statuses, reading a design and its allocation record, showing findings."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DesignError, Problem

if TYPE_CHECKING:  # the compiler is imported by the commands that run it, when they run
    from ..lint import Finding
    from ..pipeline import Compiled
    from ..plan.model import Plan
    from ..plan.record import AllocationRecord
    from ..spec import Design

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


def add_design_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="the design (YAML)")
    parser.add_argument("--record", type=Path, default=None,
                        help="allocation record (default: FILE with .lock.json beside it, when present)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def record_path(args: argparse.Namespace) -> Path:
    return args.record or args.file.with_suffix(".lock.json")


def load_record(path: Path, *, required: bool) -> AllocationRecord | None:
    from ..plan.record import AllocationRecord

    if not path.exists():
        if required:
            raise DesignError(Problem("", "the allocation record does not exist"), source=str(path))
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DesignError(Problem("", f"cannot read the allocation record: {exc}"), source=str(path)) from None
    return AllocationRecord.from_data(data, source=str(path))


def read_from_args(args: argparse.Namespace) -> tuple[Design, AllocationRecord | None]:
    """The design and the allocation record the arguments name.

    A large design's parsing starts before the compiler is imported, so its second half is parsed on the other
    core meanwhile (``yaml_read``): until then the command has imported nothing of the compiler.
    """
    from ..yaml_read import FIRST_SHARE_WHILE_IMPORTING, read_design_text, start_parsing

    source = str(args.file)
    parsed = start_parsing(read_design_text(args.file), source=source, first_share=FIRST_SHARE_WHILE_IMPORTING)
    from ..document import validate

    return validate(parsed(), source=source), load_record(record_path(args), required=args.record is not None)


def compile_from_args(args: argparse.Namespace, *, once: bool = False,
                      read: tuple[Design, AllocationRecord | None] | None = None) -> Compiled:
    """The design and record the arguments name (``read``: as the caller read them), compiled. ``once``: the
    command plans this design alone and is done: run by the ``weft`` script, the plan is never freed
    (``runtime.keep_to_the_end``)."""
    design, record = read or read_from_args(args)  # first: see ``read_from_args``
    from ..pipeline import compile_design
    from ..runtime import keep_to_the_end

    compiled = compile_design(design, record)
    if once:
        keep_to_the_end(compiled)
    return compiled


def write_record(path: Path, record: AllocationRecord) -> bool:
    """Write the record when it changed; private keys inside, so only the owner may read it."""
    text = json.dumps(record.to_data(), indent=2, sort_keys=True) + "\n"
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)
    return True


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, sort_keys=False)
    sys.stdout.write("\n")


def format_finding(finding: Finding, plan: Plan) -> str:
    """A finding as people read it: severity, code, message, the devices by name, and the hint."""
    names = [plan.devices[e].name if e in plan.devices else e for e in finding.elements]
    where = f" [{', '.join(names)}]" if names else ""
    text = f"{finding.severity:<8}{finding.code}: {finding.message}{where}"
    return f"{text}\n        hint: {finding.hint}" if finding.hint else text


def print_error_findings(findings: list[Finding], plan: Plan) -> None:
    """The error findings that stop a command, on standard error."""
    for finding in findings:
        print(format_finding(finding, plan), file=sys.stderr)
