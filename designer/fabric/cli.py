"""The ``fabric`` command line: one module per subcommand under ``commands/``."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from types import ModuleType

from . import commands
from .commands.common import EXIT_BAD_INPUT, EXIT_OK
from .errors import DesignError


def build_parser(prog: str, extra: dict[str, ModuleType] | None = None) -> argparse.ArgumentParser:
    """``extra``: subcommands from outside the compiler (push), each a module like those in ``commands/``."""
    parser = argparse.ArgumentParser(prog=prog, description="Design, plan, check and compile network fabrics.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module in sorted({**subcommands(), **(extra or {})}.items()):
        command = sub.add_parser(name, help=module.HELP, description=module.__doc__)
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def subcommands() -> dict[str, ModuleType]:
    """Every module in ``commands/`` with a ``run`` is a subcommand: adding one touches nothing else."""
    names = sorted(info.name for info in pkgutil.iter_modules(commands.__path__))
    modules = {name: importlib.import_module(f".commands.{name}", __package__) for name in names}
    return {name: module for name, module in modules.items() if hasattr(module, "run")}


def main(argv: list[str] | None = None, prog: str = "fabric", extra: dict[str, ModuleType] | None = None) -> int:
    parser = build_parser(prog, extra)
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
