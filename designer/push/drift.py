"""Drift: what differs on a node from what push last installed there, read from the plan phase of that
revision (files edited since, runtime state that no longer matches, and which manifest the node runs)."""

from __future__ import annotations

from typing import Any

from .engine import NodeProgress
from .states import NodeState


def drift_of(node: NodeProgress, revisions: dict[str, int]) -> dict[str, Any]:
    """``revisions``: manifest hash -> revision number, for the manifests this design's pushes installed."""
    if node.state in (NodeState.UNREACHABLE, NodeState.FAILED):
        return {"drifted": None, "summary": f"not checked: {node.detail}", "files": [], "runtime": {},
                "revision": None}
    files = [str(entry.get("path", entry)) if isinstance(entry, dict) else str(entry)
             for entry in node.diff.get("files") or []]
    runtime = dict((node.baseline or {}).get("failing") or {})
    for key in ("frr", "interfaces"):
        delta = node.diff.get(key)
        if delta:
            runtime[f"{key} delta"] = delta if isinstance(delta, str) else str(delta)
    revision = revisions.get(node.running or "")
    parts = []
    if node.running is None:
        parts.append("runs nothing Weft confirmed" if node.diff else "no record")
    elif revision is None:
        parts.append("runs a manifest no push of this design installed")
    if files:
        parts.append(f"{len(files)} file(s) differ from what push installed: {', '.join(files)}")
    if runtime:
        parts.append(f"runtime differs: {', '.join(sorted(runtime))}")
    drifted = bool(files or runtime or node.running is None or revision is None)
    return {"drifted": drifted, "summary": "; ".join(parts) or "as pushed", "files": files, "runtime": runtime,
            "revision": revision}
