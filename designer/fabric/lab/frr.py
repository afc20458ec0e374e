"""FRR on a lab node: started by the node's own init from /etc/frr, asked with vtysh on the node."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from .noderoot import NodeRoot
from .process import Outcome, alive, pid_files

# FRR 8 starts these whatever the daemons file says; watchfrr keeps the others running
ALWAYS = ("watchfrr", "zebra", "staticd")
_ENABLED = re.compile(r'^\s*([a-z0-9]+d)=\s*"?yes"?\s*$', re.MULTILINE)


@dataclass(frozen=True, slots=True)
class FrrState:
    """Which daemons the node's daemons file asks for, and which of them run."""

    wanted: tuple[str, ...]
    running: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return set(self.wanted) <= set(self.running)

    @property
    def missing(self) -> list[str]:
        return [daemon for daemon in self.wanted if daemon not in self.running]


def wanted_daemons(daemons_file: str | None) -> tuple[str, ...]:
    enabled = _ENABLED.findall(daemons_file or "")
    return tuple(dict.fromkeys([*ALWAYS, *enabled]))


def state(root: NodeRoot, daemons_file: str | None) -> FrrState:
    """What runs, from the pid files FRR writes in the node's /run/frr."""
    running = tuple(name for name, pid in pid_files(root.run_dir / "frr").items() if alive(pid))
    return FrrState(wanted_daemons(daemons_file), running)


def vtysh(root: NodeRoot, commands: list[str], *, timeout: float = 20.0) -> Outcome:
    return root.run(["vtysh", *(arg for command in commands for arg in ("-c", command))], timeout=timeout)


def display_vtysh(root: NodeRoot, command: str) -> str:
    """How a person would type one ``command`` of what ``vtysh`` runs: the evidence a check cites."""
    return root.display(shlex.join(["vtysh", "-c", command]))
