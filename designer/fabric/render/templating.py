"""The one Jinja2 environment every renderer shares: strict, created once, templates compiled once."""

from __future__ import annotations

import shlex
from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Templates compiled to Python once, kept in a directory of the user's own (Jinja's, in the temporary
    directory) and checked against the template's source: a command line run does not compile them again."""
    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):  # no private temporary directory to keep them in: compile in memory
        return None


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        bytecode_cache=_bytecode_cache(),
        undefined=jinja2.StrictUndefined,  # a value the plan lacks is an error, never an empty string
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # noqa: S701 - config files and shell, not HTML
        auto_reload=False,  # templates never change while the process runs; skip the stat per render
        cache_size=-1,
    )
    env.filters["shell_quote"] = shlex.quote
    return env


ENVIRONMENT = _environment()


def render(template: str, **context: object) -> str:
    """Render ``templates/<template>`` with ``context``."""
    return ENVIRONMENT.get_template(template).render(**context)
