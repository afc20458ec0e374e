"""A compiled plan as compact plain data for the canvas, the API and the pages (no private keys)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from designer.fabric.pipeline import Compiled
from designer.fabric.plan.model import DevicePlan
from designer.fabric.runtime import gc_paused
from designer.fabric.tables import all_tables

# A device drawn on the canvas names its bridges, VXLAN devices and bonds up to this many; past it a list
# of names would not fit the node, so it says how many of each kind it has.
NAMED_OVERLAY_INTERFACES = 4


def plan_payload(compiled: Compiled) -> dict[str, Any]:
    """Devices, links, plan tables, findings and a summary: the whole plan a page or an API client reads."""
    plan = compiled.plan
    with gc_paused():
        devices = {
            device.id: {
                "name": device.name, "role": device.role, "platform": device.platform, "asn": device.asn,
                "router_id": device.router_id, "loopback_v4": device.loopback_v4,
                "loopback_v6": device.loopback_v6, "vtep": device.vtep,
                "interfaces": [{"name": i.name, "kind": i.kind, "mtu": i.mtu, "addresses": i.addresses}
                               for i in device.interfaces],
            }
            for device in plan.devices.values()
        }
        links = [{"id": link.id, "kind": link.kind, "a_mtu": link.a_mtu, "b_mtu": link.b_mtu,
                  "subnet": link.subnet, "a_address": link.a_address, "b_address": link.b_address}
                 for link in plan.links]
        return {"design": plan.name, "devices": devices, "links": links,
                "tables": [table.as_dict() for table in all_tables(plan)],
                "findings": [finding.as_dict() for finding in compiled.findings],
                "summary": findings_summary(compiled)}


def live_plan_payload(compiled: Compiled, *, tables: bool) -> dict[str, Any]:
    """What the canvas draws after each edit, and no more: it is sent again on every edit of a large design.

    Per device its loopback, ASN, NIC MTUs and overlay interfaces; per cable the MTUs of its ends and its
    subnet; the VNI of each network; findings and a summary. The plan tables only when ``tables`` is true
    (the canvas asks for them while its Plan tab is open).
    """
    plan = compiled.plan  # its one caller, the live-plan view, holds the collector paused around it
    answer = {
        "devices": {device.id: _drawn_device(device) for device in plan.devices.values()},
        "links": [{"id": link.id, "a_mtu": link.a_mtu, "b_mtu": link.b_mtu, "subnet": link.subnet}
                  for link in plan.links],
        "vnis": {vni.network: vni.vni for vni in plan.vnis},
        "findings": [finding.as_dict() for finding in compiled.findings],
        "summary": findings_summary(compiled),
    }
    if tables:
        answer["tables"] = [table.as_dict() for table in all_tables(plan)]
    return answer


def _drawn_device(device: DevicePlan) -> dict[str, Any]:
    overlay = [i for i in device.interfaces if i.kind not in ("nic", "loopback")]
    if len(overlay) <= NAMED_OVERLAY_INTERFACES:
        shown = [{"name": i.name, "kind": i.kind, "mtu": i.mtu} for i in overlay]
    else:
        shown = [{"kind": kind, "count": count} for kind, count in Counter(i.kind for i in overlay).items()]
    return {"loopback_v4": device.loopback_v4, "asn": device.asn,
            "nic_mtus": {i.name: i.mtu for i in device.interfaces if i.kind == "nic"}, "overlay": shown}


def findings_summary(compiled: Compiled) -> dict[str, int]:
    plan = compiled.plan
    return {"errors": sum(f.severity == "error" for f in compiled.findings),
            "warnings": sum(f.severity == "warning" for f in compiled.findings),
            "devices": len(plan.devices), "links": len(plan.links), "sessions": len(plan.sessions),
            "vnis": len(plan.vnis)}
