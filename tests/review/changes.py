"""The change the review tests look at: to proxmox-evpn, one VNI added (with route targets, so FRR's files
change too) and one leaf port's MTU changed; then the fix its reviewer asks for."""

from __future__ import annotations

import copy
from typing import Any

from designer.fabric.document import content_hash_of, to_data, validate
from designer.fabric.pipeline import compile_design
from designer.fabric.plan.record import AllocationRecord
from designer.review.core.review import Side
from tests.conftest import fixed_keygen, load_example

NEW_VNI = {"id": "vni602", "name": "tenant-b", "vni": 602, "attach": ["pve1", "pve2", "pve3"],
           "position": {"x": 700, "y": 420}, "route_targets": {"import": ["65000:602"], "export": ["65000:602"]}}
CHANGED_PORT = ("leaf1", "swp2", 9100)  # pve2 keeps 9216 on the other end: a mismatch the fix resolves
FRR_LINE = "   route-target import 65000:602"


def example_document(name: str = "proxmox-evpn") -> dict[str, Any]:
    return to_data(load_example(name))


def changed(document: dict[str, Any]) -> dict[str, Any]:
    """One VNI added and one leaf port's MTU changed."""
    out = copy.deepcopy(document)
    out["networks"].append(copy.deepcopy(NEW_VNI))
    device, port, mtu = CHANGED_PORT
    for nic in next(d for d in out["devices"] if d["id"] == device)["nics"]:
        if nic["name"] == port:
            nic["mtu"] = mtu
    return out


def fixed(document: dict[str, Any]) -> dict[str, Any]:
    """The reviewer's asks: the route targets in the fabric's own ASN, the port's MTU set on its cable."""
    out = copy.deepcopy(document)
    vni = next(n for n in out["networks"] if n["id"] == NEW_VNI["id"])
    vni["route_targets"] = {"import": ["64512:602"], "export": ["64512:602"]}
    device, port, mtu = CHANGED_PORT
    for nic in next(d for d in out["devices"] if d["id"] == device)["nics"]:
        if nic["name"] == port:
            nic.pop("mtu", None)
    next(link for link in out["links"] if link["id"] == "pve2-leaf1")["mtu"] = mtu
    return out


def side(document: dict[str, Any], record: AllocationRecord | None = None, seed: str = "review") -> Side:
    """``document`` compiled (keys from a fixed seed) with its bundle, allocations pinned to ``record``."""
    compiled = compile_design(validate(document), record, keygen=fixed_keygen(seed))
    return Side.of(document, compiled, content_hash_of(document))
