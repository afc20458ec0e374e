"""What push sends a node: the node's directory of the bundle, byte for byte, as a gzipped tar stream, and its
manifest hash (the node engine's: its ``apply.json`` without the design it came from), which names exactly
what the node will install."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from dataclasses import dataclass, field

from designer.fabric.apply.engine import manifest
from designer.fabric.bundle import ARCHIVE_MTIME, Bundle

APPLY_FACTS = "apply.json"


class PayloadError(Exception):
    """The bundle lacks what push needs for a node."""


@dataclass(frozen=True, slots=True)
class NodePayload:
    node: str
    manifest: str
    files: dict[str, bytes]  # path inside the node's directory -> bytes
    modes: dict[str, int]
    archive: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "archive", self._tar())

    def tar(self) -> bytes:
        """A gzipped tar of the node's files (made once); the same files give the same bytes."""
        return self.archive

    def _tar(self) -> bytes:
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
            for path, data in sorted(self.files.items()):
                info = tarfile.TarInfo(path)
                info.size, info.mode, info.mtime = len(data), self.modes[path], ARCHIVE_MTIME
                archive.addfile(info, io.BytesIO(data))
        return gzip.compress(buffer.getvalue(), compresslevel=6, mtime=0)


def node_payloads(bundle: Bundle) -> dict[str, NodePayload]:
    """Every node directory of ``bundle`` (one holding ``apply.sh``), by node name."""
    nodes = sorted({path.split("/", 1)[0] for path in bundle.files if path.endswith("/apply.sh")})
    payloads = {}
    for node in nodes:
        prefix = f"{node}/"
        files = {path[len(prefix):]: data for path, data in bundle.files.items() if path.startswith(prefix)}
        if APPLY_FACTS not in files:
            raise PayloadError(f"the bundle of {node} has no {APPLY_FACTS}: it was made by a Weft too old to push")
        payloads[node] = NodePayload(node, manifest(json.loads(files[APPLY_FACTS])), files,
                                     {path: bundle.mode(prefix + path) for path in files})
    return payloads
