"""The ``weft`` command line (also ``python manage.py fabric``): one module per subcommand under ``commands/``.

Starting it imports only the chosen subcommand's own needs: a command line that plans a few nodes
should not wait for the renderers, Graphviz, the lab or Django.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from types import ModuleType

from . import commands, runtime
from .commands.common import EXIT_BAD_INPUT, EXIT_OK
from .errors import DesignError

PROG = "weft"


def build_parser(prog: str, argv: list[str] | None = None,
                 extra: dict[str, ModuleType] | None = None) -> argparse.ArgumentParser:
    """The parser; every subcommand is listed, only the one ``argv`` names (all when None) gets its arguments.

    ``extra``: subcommands from outside the compiler (push), each a module like those in ``commands/``.
    """
    parser = argparse.ArgumentParser(prog=prog, description="Design, plan, check and compile network fabrics.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    # the first word that is not an option names the command; without one only the list is shown
    chosen = next((arg for arg in argv if not arg.startswith("-")), "") if argv is not None else None
    for name, module in sorted({**subcommands(), **(extra or {})}.items()):
        command = sub.add_parser(name, help=module.HELP, description=module.__doc__)
        if chosen in (None, name):
            module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def subcommands() -> dict[str, ModuleType]:
    """Every module in ``commands/`` with a ``run`` is a subcommand: adding one touches nothing else.

    The modules import what their work needs when they run, so listing them all stays cheap.
    """
    names = sorted(info.name for info in pkgutil.iter_modules(commands.__path__))
    modules = {name: importlib.import_module(f".commands.{name}", __package__) for name in names}
    return {name: module for name, module in modules.items() if hasattr(module, "run")}


def main(argv: list[str] | None = None, prog: str = PROG, extra: dict[str, ModuleType] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(prog, argv, extra)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except DesignError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return EXIT_OK


def entry_point() -> None:
    """The installed ``weft`` script: one command, then the process ends (see ``runtime.one_command``)."""
    runtime.one_command()
    runtime.end_process(main())


if __name__ == "__main__":
    entry_point()
