"""A recorder that writes a run's progress as lines of text (the command line), keeping each node's state."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from .engine import NodeProgress


class TerminalRecorder:
    def __init__(self, stream: TextIO | None = None, *, stop_after: float | None = None):
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.lines: list[str] = []
        self.nodes: dict[str, NodeProgress] = {}
        self.stop_after = stop_after  # seconds, as a Stop pressed at that moment would

    async def node(self, progress: NodeProgress) -> None:
        self.nodes[progress.name] = progress

    async def log(self, line: str) -> None:
        text = f"[{time.monotonic() - self.started:6.1f}s] {line}"
        self.lines.append(line)
        print(text, file=self.stream, flush=True)

    async def stop_requested(self) -> bool:
        return self.stop_after is not None and time.monotonic() - self.started >= self.stop_after
