"""A whole review of a change, from two compiled revisions and their bundles: summary, nodes, plan, canvas.

``review_of`` is the one entry point; what it returns is plain data, cached by the caller under (base,
head). Per-node file diffs come apart from the summary (``ReviewDiff.nodes``), so a review opens without
reading the diffs of hundreds of nodes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from designer.fabric.bundle import Bundle, build_bundle
from designer.fabric.pipeline import Compiled

from .bundles import BundleChanges, FileChange, bundle_changes, file_diff, file_hashes, manifest_hash, node_directories
from .elements import elements_diff
from .findings import findings_diff
from .moves import moved_allocations
from .nodes import node_report
from .plans import tables_diff
from .redaction import Redactor, plan_secrets


@dataclass(slots=True)
class Side:
    """One revision as a review reads it: its document, compiled plan, content hash and bundle."""

    document: dict[str, Any]
    compiled: Compiled
    content_hash: str
    bundle: Bundle

    @classmethod
    def of(cls, document: dict[str, Any], compiled: Compiled, content_hash: str) -> Side:
        # The bytes a node receives; diagrams are drawings of the plan and leave nothing on a node.
        return cls(document, compiled, content_hash, build_bundle(compiled, design_hash=content_hash))

    @property
    def files(self) -> Mapping[str, bytes]:
        return self.bundle.files

    @property
    def manifest(self) -> str:
        return manifest_hash(self.bundle.files)


@dataclass(slots=True)
class ReviewDiff:
    summary: dict[str, Any]
    nodes: dict[str, dict[str, Any]]  # node -> its file diffs and head texts, read when the node is opened


def review_of(base: Side, head: Side) -> ReviewDiff:
    """Everything a reviewer sees of going from ``base`` to ``head``, private keys redacted."""
    redactor = Redactor([*plan_secrets(base.compiled.plan), *plan_secrets(head.compiled.plan)])
    hashes = {"base": file_hashes(base.files), "head": file_hashes(head.files)}
    changes = bundle_changes(base.files, head.files, hashes["base"], hashes["head"])
    nodes = {}
    rows = []
    old_nodes, new_nodes = node_directories(base.files), node_directories(head.files)
    for node, (status, files) in changes.nodes.items():
        old, new = old_nodes.get(node), new_nodes.get(node)
        report = node_report(old, new, frr=False) if new is not None else None
        disruption = report["class"] if report is not None else "removed"
        rows.append({"node": node, "status": status, "class": disruption, "files": [f.as_dict() for f in files]})
        nodes[node] = {"node": node, "status": status, "class": disruption,
                       "interfaces": report["interfaces"] if report is not None else None,
                       "files": _file_diffs(files, base, head, redactor, report)}
    nodes[""] = {"node": "", "status": "changed", "class": "files", "interfaces": None,
                 "files": _file_diffs(changes.design_files, base, head, redactor, None)}
    head_findings = head.compiled.findings
    summary = {
        "base": {"content_hash": base.content_hash, "manifest": base.manifest},
        "head": {"content_hash": head.content_hash, "manifest": head.manifest},
        "empty": changes.empty,
        "nodes": rows,
        "counts": _counts(changes, rows),
        "design_files": [f.as_dict() for f in changes.design_files],
        "findings": findings_diff(base.compiled.findings, head_findings),
        "head_errors": sum(f.severity == "error" for f in head_findings),
        "moves": moved_allocations(base.compiled.plan, head.compiled.plan),
        "elements": elements_diff(base.document, head.document),
        "plan": tables_diff(base.compiled.plan, head.compiled.plan),
        "files": hashes,
    }
    return ReviewDiff(summary, nodes)


def _counts(changes: BundleChanges, rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"added": len(changes.of_status("added")), "removed": len(changes.of_status("removed")),
            "changed": len(changes.of_status("changed")), "files": len(changes.files),
            "classes": dict(Counter(row["class"] for row in rows if row["status"] == "changed"))}


def _file_diffs(files: list[FileChange], base: Side, head: Side, redactor: Redactor,
                report: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Each changed file's diff: the node's own (from its report), relabelled to bundle paths, where it has
    one for the file; made here for the rest (apply.json, the engine, design-wide files)."""
    by_path = {entry["path"]: entry for entry in report["files"]} if report is not None else {}
    out = []
    for change in files:
        old, new = base.files.get(change.path), head.files.get(change.path)
        entry = by_path.get(change.node_path)
        if entry is not None and entry["diff"] and _ends_whole(old) and _ends_whole(new):
            out.append({"path": change.path, "kind": change.kind, "binary": False, "class": entry["class"],
                        "unified": redactor.known(_relabelled(entry["diff"], change))})
        else:
            diff = file_diff(change.path, old, new, redactor).as_dict()
            out.append({**diff, "class": entry["class"] if entry is not None else None})
    return out


def _ends_whole(data: bytes | None) -> bool:
    """True when ``data`` is absent, empty or ends with a newline: the node's diff then needs no marker."""
    return not data or data.endswith(b"\n")


def _relabelled(unified: str, change: FileChange) -> str:
    """The node's diff names files as on the node (``a/etc/...``); the bundle's names them under the node."""
    head, _, rest = unified.partition("\n")
    second, _, body = rest.partition("\n")
    node = change.path.partition("/")[0]
    old = head if head == "--- /dev/null" else f"--- a/{node}{head[len('--- a'):]}"
    new = second if second == "+++ /dev/null" else f"+++ b/{node}{second[len('+++ b'):]}"
    return f"{old}\n{new}\n{body}"
