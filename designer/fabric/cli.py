"""The ``fabric`` command line: one module per subcommand under ``commands/``."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from .errors import DesignError

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


def build_parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="Design, plan, check and compile network fabrics.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in subcommands():
        module = importlib.import_module(f".commands.{name}", __package__)
        command = sub.add_parser(name, help=module.HELP, description=module.__doc__)
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def subcommands() -> list[str]:
    """Every module in ``commands/`` with a ``run`` is a subcommand: adding one touches nothing else."""
    from . import commands

    return sorted(info.name for info in pkgutil.iter_modules(commands.__path__)
                  if info.name != "common" and not info.name.startswith("_"))


def main(argv: list[str] | None = None, prog: str = "fabric") -> int:
    parser = build_parser(prog)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except DesignError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
