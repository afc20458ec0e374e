"""What every renderer declares besides its files: how a node checks and takes them into use."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Activation:
    """How a node takes one kind of generated file into use; the bundle's apply script runs these.

    Commands are shell text: ``{file}`` is the staged copy in the bundle, ``{path}`` the installed
    file and ``{name}`` its name without the extension. ``check`` runs before anything is installed,
    ``verify`` after installing (for tools that only read the installed tree), ``load`` last.
    Lower ``order`` loads first: links before routing, routing before filters.
    """

    pattern: str
    order: int
    tool: str | None = None
    check: tuple[str, ...] = ()
    verify: tuple[str, ...] = ()
    load: tuple[str, ...] = ()
    mode: int = 0o644

    def covers(self, path: str) -> bool:
        return fnmatch.fnmatchcase(path, self.pattern)
