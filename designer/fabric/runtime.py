"""Keeping the compiler fast: the cyclic garbage collector paused while a stage builds its output.

A plan of a 640-node fabric creates some 100,000 small objects and no reference cycles, so the
collector's repeated full scans during the build are pure cost (a third of the planning time).

The ``weft`` script goes further (``one_command``, ``keep_to_the_end``): a
10,000-node plan is some ten million objects, which the collector would scan again each time it is let
run, and which freeing one by one at the end would take seconds the process need not spend.
"""

from __future__ import annotations

import functools
import gc
import os
import sys
import threading
from collections.abc import Callable, Iterator
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


def may_fork() -> bool:
    """Whether work may go to a forked process: not where other threads run (a web server's), whose locks the
    child would inherit held, nor where there is no fork."""
    return hasattr(os, "fork") and threading.active_count() == 1


def beside(compute: Callable[[], str]) -> Callable[[], str]:
    """``compute()`` started in a forked process, beside this one, which goes on meanwhile; the function returned
    waits for its text. Where there is no fork, or the process fails, the text is computed here when asked.

    For work a command needs late that can start early: the design's content hash (a second on 10,000 nodes) is
    worked out on the second core while this one plans the design."""
    if not hasattr(os, "fork"):
        return compute
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: answer and end at once, running nothing the parent set up for its own end
        code = 1
        try:
            os.close(read)
            with os.fdopen(write, "wb") as out:
                out.write(compute().encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write)

    def result() -> str:
        with os.fdopen(read, "rb") as answer:
            text = answer.read().decode()
        _, status = os.waitpid(pid, 0)
        return text if status == 0 else compute()

    return functools.cache(result)
