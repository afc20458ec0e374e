"""Taking a lab down: every node's processes (by its mount namespace or its mark), its namespaces by name,
its directories; also on a signal.

Everything the lab creates is recorded in ``lab.json`` in its run directory before it exists, so a
kept lab, or one whose process was killed, can be taken down later with ``fabric lab down RUN``.
"""

from __future__ import annotations

import json
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import dhcp, netns
from .layout import namespace_prefix
from .noderoot import NodeRoot
from .process import LabError, terminate

RECORD = "lab.json"


def runs_root() -> Path:
    return Path(tempfile.gettempdir()) / "weft-lab"


class LabInterrupted(BaseException):
    """SIGTERM or SIGHUP arrived: unwind like Ctrl-C so every ``finally`` takes the lab down."""


@dataclass(slots=True)
class Teardown:
    run_id: str
    directory: Path
    namespaces: list[str] = field(default_factory=list)
    roots: dict[str, dict] = field(default_factory=dict)  # namespace -> NodeRoot.record()
    daemons: list[int] = field(default_factory=list)  # servers the lab runs itself (its DHCP server)

    def add_namespaces(self, names: list[str]) -> None:
        self.namespaces += [name for name in names if name not in self.namespaces]
        self.save()

    def add_roots(self, roots: list[NodeRoot]) -> None:
        """Node roots, recorded before their holders start and again with them. Call it from one thread only."""
        for root in roots:
            self.roots[root.namespace] = root.record()
        self.save()

    def add_daemon(self, pid: int) -> None:
        self.daemons.append(pid)
        self.save()

    def save(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        data = {"run_id": self.run_id, "namespaces": self.namespaces, "roots": self.roots, "daemons": self.daemons}
        (self.directory / RECORD).write_text(json.dumps(data, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, run_id: str) -> Teardown:
        directory = runs_root() / run_id
        try:
            data = json.loads((directory / RECORD).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise LabError(f"no lab '{run_id}' here (nothing in {directory})") from None
        return cls(run_id, directory, list(data.get("namespaces", [])), dict(data.get("roots", {})),
                   list(data.get("daemons", [])))

    def run(self) -> list[str]:
        """Take everything down, in reverse; carry on past failures and return them."""
        prefix = namespace_prefix(self.run_id)
        problems = []
        # Processes first: a namespace a process still holds does not go away when deleted.
        for namespace, record in self.roots.items():
            if namespace.startswith(prefix):  # never address anything but this run's namespaces
                problems += NodeRoot.from_record(record).power_off()
        ours = [pid for pid in self.daemons if dhcp.is_ours(pid, self.directory)]  # started with the run's paths
        problems += [f"server {pid} did not stop" for pid in terminate(ours)]
        ours = [name for name in self.namespaces if name.startswith(prefix)]
        present = set(netns.existing(prefix))
        problems += netns.delete([name for name in reversed(ours) if name in present])
        leftover = netns.existing(prefix)
        if leftover:
            problems.append(f"namespaces still present: {', '.join(leftover)}")
        shutil.rmtree(self.directory, ignore_errors=True)
        return problems


def kept_runs() -> list[str]:
    root = runs_root()
    return sorted(p.name for p in root.iterdir() if (p / RECORD).exists()) if root.exists() else []


@contextmanager
def _handled(signals: tuple[signal.Signals, ...], handler) -> Iterator[None]:
    """``handler`` for ``signals`` while inside, the previous handlers after."""
    if threading.current_thread() is not threading.main_thread():
        yield  # a worker thread cannot take signals; its host process owns them
        return
    previous = {sig: signal.signal(sig, handler) for sig in signals}
    try:
        yield
    finally:
        for sig, former in previous.items():
            signal.signal(sig, former)


def _unwind(signum, _frame):
    raise LabInterrupted(f"stopped by signal {signal.Signals(signum).name}")


def signals_unwind() -> AbstractContextManager[None]:
    """In the main thread, turn SIGTERM and SIGHUP into an exception so cleanup runs as for Ctrl-C."""
    return _handled((signal.SIGTERM, signal.SIGHUP), _unwind)


def shielded() -> AbstractContextManager[None]:
    """While the lab is taken down, a second Ctrl-C or SIGTERM must not leave half of it behind."""
    return _handled((signal.SIGINT, signal.SIGTERM, signal.SIGHUP), signal.SIG_IGN)
