"""What a node runs to take its files into use: ``apply.sh``, the engine ``apply.py`` and ``apply.json``.

The engine (``engine.py``) is a standalone script, the same bytes in every node directory; this
package builds each node's facts for it and offers the engine's offline diff to the server.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping
from pathlib import Path

from ..plan.model import DevicePlan, Plan
from ..render.target import Activation
from ..render.templating import render
from .facts import NodeFacts

__all__ = ["DISRUPTIONS", "LABELS", "NodeApply", "engine_sha256", "engine_source", "node_diff"]

EXECUTABLE = 0o755
ENGINE = Path(__file__).with_name("engine.py")
_FROM_ENGINE = ("DISRUPTIONS", "LABELS", "node_diff")


def __getattr__(name: str) -> object:
    """What comes from the engine module, imported on first use: writing a bundle copies the engine's source
    and needs none of it, nor what the engine imports to run on a node (subprocess, difflib, signal)."""
    if name in _FROM_ENGINE:
        from . import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def engine_source() -> bytes:
    return ENGINE.read_bytes()


@functools.cache
def engine_sha256() -> str:
    return hashlib.sha256(engine_source()).hexdigest()


class NodeApply:
    """The three files beside each node's ``etc/``: bundle path under the node -> (bytes, mode)."""

    def __init__(self, plan: Plan, design_hash: str) -> None:
        self.plan = plan
        self.facts = NodeFacts(plan, design_hash, engine_sha256())

    def files(self, device: DevicePlan, files: Mapping[str, bytes], activations: Mapping[str, Activation | None],
              digests: Mapping[str, str] | None = None) -> dict[str, tuple[bytes, int]]:
        """``digests``: the sha256 of each of ``files``, when the caller has them already."""
        script = render("bundle/apply.sh.j2", plan=self.plan, device=device).encode()
        return {"apply.sh": (script, EXECUTABLE), "apply.py": (engine_source(), EXECUTABLE),
                "apply.json": (self.facts.encode(device, files, activations, digests), 0o644)}
