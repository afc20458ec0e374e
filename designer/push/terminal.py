"""A recorder that writes a run's progress as lines of text (the command line), keeping each node's state."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from .engine import NodeProgress


class TerminalRecorder:
    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.lines: list[str] = []
        self.nodes: dict[str, NodeProgress] = {}
        self.stopping = False

    async def node(self, progress: NodeProgress) -> None:
        self.nodes[progress.name] = progress

    async def log(self, line: str) -> None:
        text = f"[{time.monotonic() - self.started:6.1f}s] {line}"
        self.lines.append(line)
        print(text, file=self.stream, flush=True)

    def stop(self) -> None:
        """Stop after the nodes in flight are confirmed or restored (the command line's first Ctrl-C)."""
        if not self.stopping:
            self.stopping = True
            print("stopping once the nodes in flight are confirmed or restored", file=self.stream, flush=True)

    async def stop_requested(self) -> bool:
        return self.stopping
