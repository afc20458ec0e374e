"""Running the lab's commands: each bounded in time, on the host or inside one namespace, fanned out."""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from .report import Evidence, trim

STOP_GRACE = 5.0  # seconds a daemon gets to exit on SIGTERM before SIGKILL
KILL_GRACE = 2.0  # seconds the kernel gets to end a process sent SIGKILL
WORKERS = 16  # commands mostly wait on the kernel or a daemon, so more threads than cores pay off
TIMED_OUT = 124

T = TypeVar("T")
R = TypeVar("R")


class LabError(Exception):
    """The lab cannot run here (not root, a tool missing) or could not build what it needs."""


@dataclass(frozen=True, slots=True)
class Outcome:
    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def command(self) -> str:
        return shlex.join(self.argv)

    @property
    def output(self) -> str:
        return "\n".join(part.strip() for part in (self.stdout, self.stderr) if part.strip())

    def evidence(self, *, ok: bool | None = None, command: str | None = None) -> Evidence:
        return Evidence(command or self.command, trim(self.output) or f"(exit {self.returncode}, no output)",
                        self.ok if ok is None else ok)


def run(argv: Sequence[str], *, timeout: float = 30.0, stdin: str | None = None) -> Outcome:
    """Run ``argv``; a non-zero exit is an outcome to report, not an exception."""
    try:
        done = subprocess.run(list(argv), input=stdin, capture_output=True, text=True, timeout=timeout,
                              check=False)
    except FileNotFoundError:
        raise LabError(f"'{argv[0]}' is not installed; the lab needs it") from None
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode(errors="replace") if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        return Outcome(tuple(argv), TIMED_OUT, out, f"timed out after {timeout:.0f}s")
    return Outcome(tuple(argv), done.returncode, done.stdout, done.stderr)


def in_netns(namespace: str, argv: Sequence[str]) -> list[str]:
    return ["ip", "netns", "exec", namespace, *argv]


def checked(outcome: Outcome, what: str) -> Outcome:
    """Raise a ``LabError`` naming ``what`` failed, with the tool's own words."""
    if not outcome.ok:
        raise LabError(f"{what} failed: {outcome.command}: {trim(outcome.output, 600)}")
    return outcome


def fan_out(function: Callable[[T], R], items: Iterable[T], *, workers: int = WORKERS) -> list[R]:
    """``function`` over ``items`` in threads, results in the order of ``items``."""
    items = list(items)
    if len(items) <= 1:
        return [function(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(workers, len(items))) as pool:
        return list(pool.map(function, items))


def pid_files(directory: Path) -> dict[str, int]:
    """``NAME.pid`` files in ``directory``: name -> pid, skipping any that is unreadable or half written."""
    found = {}
    for pidfile in sorted(directory.glob("*.pid")):
        try:
            found[pidfile.stem] = int(pidfile.read_text().strip())
        except (OSError, ValueError):
            continue
    return found


def terminate(pids: list[int], *, grace: float = STOP_GRACE) -> list[int]:
    """SIGTERM each pid, SIGKILL what is still there after ``grace``; return those that would not go.

    Callers pass only pids they have proven to be the lab's own.
    """
    for pid in pids:
        _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(alive(pid) for pid in pids):
        time.sleep(0.05)
    stubborn = [pid for pid in pids if alive(pid)]
    for pid in stubborn:
        _signal(pid, signal.SIGKILL)
    deadline = time.monotonic() + KILL_GRACE
    while stubborn and time.monotonic() < deadline and any(alive(pid) for pid in stubborn):
        time.sleep(0.02)
    return [pid for pid in stubborn if alive(pid)]


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _signal(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)
