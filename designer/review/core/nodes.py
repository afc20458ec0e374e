"""What a change does to one node: its disruption class and FRR's own delta, as ``apply.sh --diff`` tells it.

Everything a review says about a node's disruption comes through the two functions here, so the node and
the review agree. The node's own engine (``designer.fabric.apply.node_diff``) is used when the compiler has
it; until then the class comes from each render target's declared ``Activation.disruption`` and the FRR
delta from ``frr-reload.py --test`` on the two files, without the interfaces delta that tells a change
to the management path.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from designer.fabric.render import activation_for
from designer.fabric.render.target import DISRUPTIONS

FRR_RELOAD = ("/usr/lib/frr/frr-reload.py", "/usr/lib/frr/frr-reload")
FRR_CONF = "etc/frr/frr.conf"
FRR_TIMEOUT_SECONDS = 30

try:  # the node's own classifier, once the compiler carries it
    from designer.fabric.apply import node_diff as _node_diff  # type: ignore[import-not-found]
except ImportError:
    _node_diff = None


def node_class(old: Mapping[str, bytes] | None, new: Mapping[str, bytes]) -> str:
    """The node's disruption class (``none`` ... ``management``) for going from ``old`` to ``new``
    (relative path -> bytes of the node's directory; ``old`` None for a new node)."""
    if _node_diff is not None:
        return str(_node_diff(old, new)["class"])
    worst = 0
    for path in new.keys() | (old or {}).keys():
        if old is not None and old.get(path) == new.get(path):
            continue
        activation = activation_for(f"/{path}") if path.startswith("etc/") else None
        disruption = activation.disruption if activation is not None else "files"
        worst = max(worst, DISRUPTIONS.index(disruption))
    return DISRUPTIONS[worst]


def node_delta(old: Mapping[str, bytes] | None, new: Mapping[str, bytes]) -> dict[str, Any]:
    """``{class, frr: {delete, add} | None, interfaces: ... | None}`` for one node: FRR's own lines to add and
    remove (no daemon runs), and the interfaces delta where the node's engine gives one."""
    if _node_diff is not None:
        answer = _node_diff(old, new)
        return {"class": answer["class"], "frr": answer.get("frr"), "interfaces": answer.get("interfaces")}
    before = (old or {}).get(FRR_CONF)
    after = new.get(FRR_CONF)
    frr = frr_lines(before or b"", after) if after is not None and before != after else None
    return {"class": node_class(old, new), "frr": frr, "interfaces": None}


def frr_lines(old: bytes, new: bytes) -> dict[str, Any]:
    """``frr-reload.py --test --input OLD NEW``: FRR's own "Lines To Delete" and "Lines To Add"."""
    script = next((path for path in FRR_RELOAD if Path(path).exists()), None) or shutil.which("frr-reload.py")
    if script is None:
        return {"available": False, "delete": [], "add": [], "note": "FRR's frr-reload.py is not installed here"}
    with tempfile.TemporaryDirectory(prefix="weft-frr-") as folder:
        base, head = Path(folder) / "base.conf", Path(folder) / "head.conf"
        base.write_bytes(old)
        head.write_bytes(new)
        result = subprocess.run([script, "--test", "--input", str(base), str(head)], capture_output=True,
                                text=True, timeout=FRR_TIMEOUT_SECONDS, cwd=folder, check=False)
    if result.returncode != 0:
        return {"available": False, "delete": [], "add": [],
                "note": f"frr-reload.py could not read the files: {result.stderr.strip().splitlines()[-1:]}"}
    return {"available": True, **_sections(result.stdout)}


def _sections(text: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {"delete": [], "add": []}
    current: list[str] | None = None
    for line in text.splitlines():
        if line.strip() == "Lines To Delete":
            current = sections["delete"]
        elif line.strip() == "Lines To Add":
            current = sections["add"]
        elif current is not None and line.strip() and not set(line.strip()) <= {"="}:
            current.append(line)
    return sections
