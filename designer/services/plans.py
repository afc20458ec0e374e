"""A compiled plan as compact plain data for the canvas, the API and the pages (no private keys)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from designer.fabric.pipeline import Compiled
from designer.fabric.plan.model import DevicePlan, InterfacePlan, LinkPlan
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


class Drawn:
    """What answers drew of each device and link, kept with the plan object drawn: a plan made again after an
    edit of details shares all but a few of them with the plan before it (``designer.fabric.changes``)."""

    def __init__(self) -> None:
        # device id -> what a device was drawn from (its interfaces, reused by plans as they are) and the drawing
        self.devices: dict[str, tuple[list[InterfacePlan], str | None, int | None, dict[str, Any]]] = {}
        self.links: dict[str, tuple[LinkPlan, dict[str, Any]]] = {}

    def device(self, device: DevicePlan) -> dict[str, Any]:
        known = self.devices.get(device.id)
        if (known is None or known[0] is not device.interfaces or known[1] != device.loopback_v4
                or known[2] != device.asn):
            known = self.devices[device.id] = (device.interfaces, device.loopback_v4, device.asn,
                                               _drawn_device(device))
        return known[3]

    def link(self, link: LinkPlan) -> dict[str, Any]:
        known = self.links.get(link.id)
        if known is None or known[0] is not link:
            known = self.links[link.id] = (link, _drawn_link(link))
        return known[1]

    def forget_gone(self, compiled: Compiled) -> None:
        """Drop what no device or link of ``compiled`` is any more, so edits that remove elements leave nothing."""
        plan = compiled.plan
        if len(self.devices) > len(plan.devices) or len(self.links) > len(plan.links):
            self.devices = {key: value for key, value in self.devices.items() if key in plan.devices}
            links = {link.id for link in plan.links}
            self.links = {key: value for key, value in self.links.items() if key in links}


def live_plan_payload(compiled: Compiled, *, tables: bool, drawn: Drawn | None = None) -> dict[str, Any]:
    """What the canvas draws after each edit, and no more: it is sent again on every edit of a large design.

    Per device its loopback, ASN, NIC MTUs and overlay interfaces; per cable the MTUs of its ends and its
    subnet; the VNI of each network; findings and a summary. The plan tables only when ``tables`` is true
    (the canvas asks for them while its Plan tab is open). ``drawn``: devices and links drawn before, reused
    where the plan holds the same objects.
    """
    plan = compiled.plan  # its one caller, the live-plan view, holds the collector paused around it
    if drawn is None:
        devices = {device.id: _drawn_device(device) for device in plan.devices.values()}
        links = [_drawn_link(link) for link in plan.links]
    else:
        devices = {device.id: drawn.device(device) for device in plan.devices.values()}
        links = [drawn.link(link) for link in plan.links]
        drawn.forget_gone(compiled)
    answer = {
        "devices": devices,
        "links": links,
        "vnis": {vni.network: vni.vni for vni in plan.vnis},
        "findings": [finding.as_dict() for finding in compiled.findings],
        "summary": findings_summary(compiled),
    }
    if tables:
        answer["tables"] = [table.as_dict() for table in all_tables(plan)]
    return answer


def _drawn_link(link: LinkPlan) -> dict[str, Any]:
    return {"id": link.id, "a_mtu": link.a_mtu, "b_mtu": link.b_mtu, "subnet": link.subnet}


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
