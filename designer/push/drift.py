"""Drift: what differs on a node from what push last installed there, as the node's ``--drift`` reports it
(files edited or missing since, the running FRR, interfaces and tunnels against the files) and which
revision it runs, told from the manifest it runs."""

from __future__ import annotations

from typing import Any

from .engine import NodeProgress
from .states import NodeState


def drift_of(node: NodeProgress, revisions: dict[str, int]) -> dict[str, Any]:
    """``revisions``: manifest hash -> revision number, for the manifests this design's pushes installed."""
    if node.state in (NodeState.UNREACHABLE, NodeState.FAILED):
        return {"drifted": None, "summary": f"not checked: {node.detail}", "files": [], "runtime": [],
                "revision": None}
    if node.state != NodeState.CHECKED:
        return {"drifted": None, "summary": "not checked yet", "files": [], "runtime": [], "revision": None}
    report = node.diff
    files = [f"{entry.get('path')} ({entry.get('change')})" for entry in report.get("files") or []
             if isinstance(entry, dict)]
    runtime = [f"{entry.get('what')}: {entry.get('detail')}" for entry in report.get("runtime") or []
               if isinstance(entry, dict)]
    runtime += [f"{name}: {why}" for name, why in sorted(((node.baseline or {}).get("failing") or {}).items())]
    revision = revisions.get(node.running or "")
    parts = []
    if node.running is None:
        parts.append("runs nothing Weft installed and confirmed")
    elif revision is None:
        parts.append("runs a manifest no push of this design installed")
    else:
        parts.append(f"runs revision {revision}")
    if files:
        parts.append(f"files changed since the last push: {', '.join(files)}")
    if runtime:
        parts.append(f"runtime differs: {'; '.join(runtime)}")
    drifted = bool(files or runtime or revision is None)
    return {"drifted": drifted, "summary": "; ".join(parts), "files": files, "runtime": runtime,
            "revision": revision}
