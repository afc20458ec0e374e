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


class _Environment(jinja2.Environment):
    def make_globals(self, d: dict | None) -> dict:
        """A template's globals as a plain dict: Jinja's ChainMap over the environment's is copied key by key, in
        Python, into every render's context, most of the cost of rendering a short template (a bundle of
        10,000 nodes renders some 120,000). The environment's globals are set before any template is loaded."""
        return {**self.globals, **(d or {})}


def _environment() -> jinja2.Environment:
    env = _Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        bytecode_cache=_bytecode_cache(),
        undefined=jinja2.StrictUndefined,  # a value the plan lacks is an error, never an empty string
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # config files and shell, not HTML
        auto_reload=False,  # templates never change while the process runs; skip the stat per render
        cache_size=-1,
    )
    env.filters["shell_quote"] = shlex.quote
    return env


ENVIRONMENT = _environment()


def render(template: str, **context: object) -> str:
    """Render ``templates/<template>`` with ``context``."""
    return ENVIRONMENT.get_template(template).render(**context)
