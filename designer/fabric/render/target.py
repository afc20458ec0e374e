"""What every renderer declares besides its files: how a node takes them into use, where design-wide ones go."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass

DEFAULT_MODE = 0o644  # what a file gets on the node (and in archives) unless its activation says otherwise

# How much a change to a node disturbs it, least first (docs/apply.md); a node's class is its worst change's.
DISRUPTIONS = ("none", "files", "frr-reload", "interface-reload", "management")


@dataclass(frozen=True, slots=True)
class Activation:
    """How a node takes one kind of generated file into use; the bundle's apply script runs these.

    Commands are shell text: ``{file}`` is the staged copy in the bundle, ``{path}`` the installed
    file and ``{name}`` its name without the extension. ``check`` runs before anything is installed,
    ``verify`` after installing (for tools that only read the installed tree), ``load`` last.
    ``unload`` runs when a file it covers is removed (an earlier apply installed it, the bundle no
    longer has it). ``ensure`` runs on every apply, changed or not, and brings back runtime state
    that drifted from the installed files (a filter flushed, a unit disabled): it prints what it
    restored, and nothing (doing nothing) when nothing drifted. Lower ``order`` loads first: links
    before filters, filters before routing (a session must come up through its filter, or not at
    all). ``disruption`` is the class of a change to these files
    (one of ``DISRUPTIONS``).
    """

    pattern: str
    order: int
    tool: str | None = None
    check: tuple[str, ...] = ()
    verify: tuple[str, ...] = ()
    load: tuple[str, ...] = ()
    unload: tuple[str, ...] = ()
    ensure: tuple[str, ...] = ()
    mode: int = DEFAULT_MODE
    disruption: str = "files"

    def __post_init__(self) -> None:
        if self.disruption not in DISRUPTIONS:
            raise ValueError(f"disruption '{self.disruption}' is not one of {DISRUPTIONS}")

    def covers(self, path: str) -> bool:
        return fnmatch.fnmatchcase(path, self.pattern)


def file_mode(activation: Activation | None) -> int:
    """The mode of a file taken into use by ``activation`` (None: no target says how)."""
    return activation.mode if activation is not None else DEFAULT_MODE


@dataclass(frozen=True, slots=True)
class BundleFolder:
    """Where a design-wide target puts its files in the bundle, and what the bundle's README says of each.

    ``readme`` is Markdown; ``{installed}`` stands for the file's path below the folder, as an absolute
    path, for folders that mirror a node's filesystem.
    """

    name: str
    readme: str

    def holds(self, path: str) -> bool:
        return path.startswith(f"{self.name}/")

    def instruction(self, path: str) -> str:
        return self.readme.format(installed=path.removeprefix(self.name))
