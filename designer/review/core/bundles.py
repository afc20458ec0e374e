"""Two bundles compared file by file: which nodes and files changed, and each change as a unified diff.

A diff is kept as the text ``patch -p1`` applies to the base bundle; its hunks of numbered lines, for the
side-by-side and line views and for line comments, are read from that text.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from designer.fabric.apply.engine import unified_diff

from .redaction import Redactor

CONTEXT = 3
LARGE_FILE_LINES = 1500
DIFF_TIMEOUT_SECONDS = 60
NO_NEWLINE = "\\ No newline at end of file"
MANIFEST = "manifest.json"


@dataclass(frozen=True, slots=True)
class FileChange:
    """One bundle file that differs: ``kind`` is added, removed or changed."""

    path: str
    kind: str
    old_sha256: str | None
    new_sha256: str | None

    @property
    def node_path(self) -> str:
        """The path below the node's folder (``/etc/frr/frr.conf``), or the bundle path for design-wide files."""
        return "/" + self.path.partition("/")[2]

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "kind": self.kind, "old_sha256": self.old_sha256, "new_sha256": self.new_sha256}


@dataclass(slots=True)
class BundleChanges:
    """What differs between a base and a head bundle: per node (added, removed or changed, with its files),
    and the design-wide files (manifest, sums, README, plan tables, DNS zones, cluster firewall)."""

    nodes: dict[str, tuple[str, list[FileChange]]] = field(default_factory=dict)
    design_files: list[FileChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.nodes or self.design_files)

    def of_status(self, status: str) -> list[str]:
        return [node for node, (node_status, _) in self.nodes.items() if node_status == status]

    @property
    def files(self) -> list[FileChange]:
        return [*(change for _, changes in self.nodes.values() for change in changes), *self.design_files]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_hash(files: Mapping[str, bytes]) -> str:
    """The bundle's identity: the sha256 of its manifest, which names every file's sha256."""
    return sha256(files[MANIFEST])


def file_hashes(files: Mapping[str, bytes]) -> dict[str, str]:
    """Bundle path -> sha256 of every file: the manifest's, and the manifest's and the sums' own."""
    hashes = {path: entry["sha256"] for path, entry in json.loads(files[MANIFEST])["files"].items()}
    for path, data in files.items():
        if path not in hashes:
            hashes[path] = sha256(data)
    return hashes


def bundle_nodes(files: Mapping[str, bytes]) -> list[str]:
    return list(json.loads(files[MANIFEST])["nodes"])


def bundle_changes(old: Mapping[str, bytes], new: Mapping[str, bytes], old_hashes: Mapping[str, str],
                   new_hashes: Mapping[str, str]) -> BundleChanges:
    """Compare two bundles (path -> bytes, each with its manifest, and path -> sha256 of each)."""
    old_nodes, new_nodes = set(bundle_nodes(old)), set(bundle_nodes(new))
    changes = BundleChanges()
    for path in sorted(old_hashes.keys() | new_hashes.keys()):
        before, after = old_hashes.get(path), new_hashes.get(path)
        if before == after:
            continue
        kind = "added" if before is None else "removed" if after is None else "changed"
        change = FileChange(path, kind, before, after)
        node = path.partition("/")[0] if "/" in path else ""
        if node in old_nodes or node in new_nodes:
            status = "added" if node not in old_nodes else "removed" if node not in new_nodes else "changed"
            changes.nodes.setdefault(node, (status, []))[1].append(change)
        else:
            changes.design_files.append(change)
    return changes


def node_directories(files: Mapping[str, bytes]) -> dict[str, dict[str, bytes]]:
    """Each node's directory of a bundle: node -> path relative to it -> bytes."""
    nodes = set(bundle_nodes(files))
    out: dict[str, dict[str, bytes]] = {node: {} for node in nodes}
    for path, data in files.items():
        node, _, rest = path.partition("/")
        if node in nodes:
            out[node][rest] = data
    return out


@dataclass(slots=True)
class FileDiff:
    """A file's change as unified diff text (empty for a binary file, ``binary`` then says so)."""

    path: str
    kind: str
    binary: bool
    unified: str

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "kind": self.kind, "binary": self.binary, "unified": self.unified}


def file_diff(path: str, old: bytes | None, new: bytes | None, redactor: Redactor) -> FileDiff:
    """The change of bundle file ``path`` from ``old`` to ``new`` (None: absent), private keys redacted.

    The text names ``a/PATH`` and ``b/PATH`` (``/dev/null`` for an absent side), so ``patch -p1`` run in a
    copy of the base bundle turns it into the head. Small files are compared by ``difflib`` (between their
    common head and tail); large ones (the manifest, plan tables) by GNU diff, whose heuristics keep
    thousands of similar lines fast.
    """
    kind = "added" if old is None else "removed" if new is None else "changed"
    try:
        before = redactor.text(old.decode()) if old is not None else ""
        after = redactor.text(new.decode()) if new is not None else ""
    except UnicodeDecodeError:
        return FileDiff(path, kind, True, "")
    labels = ("a/" + path if old is not None else "/dev/null", "b/" + path if new is not None else "/dev/null")
    if max(before.count("\n"), after.count("\n")) > LARGE_FILE_LINES:
        return FileDiff(path, kind, False, _gnu_diff(before, after, labels))
    lines = unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True), *labels, n=CONTEXT)
    return FileDiff(path, kind, False, "".join(_terminated(line) for line in lines))


def _terminated(line: str) -> str:
    return line if line.endswith("\n") else f"{line}\n{NO_NEWLINE}\n"


def _gnu_diff(before: str, after: str, labels: tuple[str, str]) -> str:
    with tempfile.TemporaryDirectory(prefix="weft-diff-") as folder:
        old, new = Path(folder) / "old", Path(folder) / "new"
        old.write_text(before)
        new.write_text(after)
        result = subprocess.run(["diff", f"-U{CONTEXT}", "--label", labels[0], "--label", labels[1], str(old),
                                 str(new)], capture_output=True, text=True, check=False, timeout=DIFF_TIMEOUT_SECONDS)
    if result.returncode > 1:
        raise RuntimeError(f"diff failed: {result.stderr.strip()}")
    return result.stdout


_HUNK = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def hunks(unified: str) -> list[dict[str, Any]]:
    """The hunks of a unified diff as ``{header, rows: [[op, old line, new line, text]]}`` (lines 1-based;
    None on the side a row is not on), for the line-by-line and side-by-side views and line comments."""
    out: list[dict[str, Any]] = []
    old_no = new_no = 0
    for line in unified.splitlines():
        match = _HUNK.match(line)
        if match:
            old_no, new_no = int(match[1]), int(match[3])
            out.append({"header": line, "rows": []})
        elif not out or line.startswith("\\"):
            continue
        elif line[:1] == "-":
            out[-1]["rows"].append(["-", old_no, None, line[1:]])
            old_no += 1
        elif line[:1] == "+":
            out[-1]["rows"].append(["+", None, new_no, line[1:]])
            new_no += 1
        else:
            out[-1]["rows"].append([" ", old_no, new_no, line[1:]])
            old_no += 1
            new_no += 1
    return out


def side_lines(diff_hunks: list[dict[str, Any]], side: str) -> dict[int, str]:
    """Line number -> text of the lines of one side (``old`` or ``new``) that the hunks show."""
    column = 1 if side == "old" else 2
    return {row[column]: row[3] for hunk in diff_hunks for row in hunk["rows"] if row[column] is not None}
