"""Keeping the compiler fast: the cyclic garbage collector paused while a stage builds its output.

A plan of a 640-node fabric creates some 100,000 small objects and no reference cycles, so the
collector's repeated full scans during the build are pure cost (a third of the planning time).

The ``weft`` script goes further (``one_command``, ``keep_to_the_end``): a
10,000-node plan is some ten million objects, which the collector would scan again each time it is let
run, and which freeing one by one at the end would take seconds the process need not spend.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Process:
    ends_after_command = False  # set by the ``weft`` script: the process runs one command, then ends
    kept: list[object] = []


def one_command() -> None:
    """Said by the ``weft`` script before it runs its command: the process ends when the command does.

    What a command makes (the compiler's modules and classes, the design, its plan) lives until then and holds
    no garbage cycles, so the cyclic collector's passes over it free nothing: it stays off (the lab, which runs
    for minutes, turns it back on). Those passes were a tenth or more of a short command's CPU time, and a
    third of ``weft lint`` on a 10,000-node design.
    """
    _Process.ends_after_command = True
    gc.disable()


def keep_to_the_end(value: object) -> None:
    """``value`` stays alive until the process ends, when the process ends with the command (``one_command``):
    ``end_process`` then ends it without freeing what was kept."""
    if _Process.ends_after_command:
        _Process.kept.append(value)


def end_process(code: int) -> None:
    """End the process with ``code``; without freeing what was kept, when anything was."""
    if _Process.kept:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    if _Process.ends_after_command:
        gc.freeze()  # out of reach of the collection Python makes as it exits
    sys.exit(code)
