"""What a change does to one node, in the node's own terms: ``apply.sh --diff --json`` computed offline.

The review asks the node's engine (``designer.fabric.apply.node_diff``) and nothing else, so the class a
reviewer sees is the class the node will report. The summary leaves FRR's delta out (it runs FRR's reload
script once per node); a node's page asks for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from designer.fabric.apply import node_diff


def node_report(old: Mapping[str, bytes] | None, new: Mapping[str, bytes], *, frr: bool) -> dict[str, Any]:
    """The node's ``--diff --json`` report for going from ``old`` to ``new`` (relative path -> bytes of the
    node's directory; ``old`` None for a new node): files with change, class and redacted diff, the
    interfaces delta, FRR's delta when ``frr``, and the node's one class."""
    return node_diff(dict(old) if old is not None else None, dict(new), frr=frr)


def node_delta(old: Mapping[str, bytes] | None, new: Mapping[str, bytes]) -> dict[str, Any]:
    """What a node's page shows beside its files: the class, FRR's own lines to delete and add, the
    interfaces delta."""
    report = node_report(old, new, frr=True)
    return {"class": report["class"], "label": report["label"], "frr": report["frr"],
            "interfaces": report["interfaces"]}
