"""Work started beside the command in a second process: its answer, or the same answer made here when that fails."""

from __future__ import annotations

import os

from designer.fabric.runtime import beside


def test_work_beside_gives_its_text():
    assert beside(lambda: f"leaf{os.getpid()}")() != f"leaf{os.getpid()}"  # made by the other process


def test_work_beside_that_fails_is_done_here():
    parent = os.getpid()

    def vtep() -> str:
        if os.getpid() != parent:
            raise RuntimeError("the second process fails")
        return "10.255.0.1"

    answer = beside(vtep)
    assert answer() == answer() == "10.255.0.1"
