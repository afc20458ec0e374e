"""A compiled plan as compact plain data for the canvas, the API and the pages (no private keys)."""

from __future__ import annotations

from typing import Any

from designer.fabric.pipeline import Compiled
from designer.fabric.runtime import gc_paused
from designer.fabric.tables import all_tables


def plan_payload(compiled: Compiled) -> dict[str, Any]:
    """Devices, links, plan tables, findings and a summary; only what the canvas draws and lists."""
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


def findings_summary(compiled: Compiled) -> dict[str, int]:
    plan = compiled.plan
    return {"errors": sum(f.severity == "error" for f in compiled.findings),
            "warnings": sum(f.severity == "warning" for f in compiled.findings),
            "devices": len(plan.devices), "links": len(plan.links), "sessions": len(plan.sessions),
            "vnis": len(plan.vnis)}
