"""Bounded waiting: poll until a condition holds or the deadline passes, never longer."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

POLL_INTERVAL = 0.5


def until(probe: Callable[[], T], done: Callable[[T], bool], *, deadline: float,
          interval: float = POLL_INTERVAL) -> T:
    """Call ``probe`` until ``done(result)`` or ``deadline``; the last result either way."""
    while True:
        result = probe()
        if done(result) or time.monotonic() + interval > deadline:
            return result
        time.sleep(interval)
