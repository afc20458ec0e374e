"""What an edit changed, when all it changed are details: where elements sit, MTUs, speeds, DHCP, descriptions.

The canvas plans its working document after every edit, and the most frequent edits are of this kind: an
element dragged, a NIC's MTU or speed set. Such details decide no number (address, ASN, VNI, session, key)
and nothing about any device but the one they are on: a device's own interfaces at most, and the MTUs and
speeds of the links on it (``plan.details``). Which fields are details is said here, and nowhere else.

The designs compared are validated element by element (``elements``), so an element the edit left alone is
the same object in both, and only the few others are compared field by field.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from .spec import Bond, Bridge, Design, Device, Egress, Link, Network, Nic, Rack, VlanInterface, Vrf, WireguardMesh

POSITION = "position"
# the fields of each kind of element that are details: whatever they hold, no number and no other device changes
DETAILS: dict[type[BaseModel], frozenset[str]] = {
    Device: frozenset({"description", POSITION}),
    Nic: frozenset({"mtu", "speed", "dhcp", "dhcp_default_route", "description"}),
    Bond: frozenset({"mtu"}),
    VlanInterface: frozenset({"mtu"}),
    Bridge: frozenset({"mtu"}),
    Link: frozenset({"mtu"}),
    Rack: frozenset({POSITION}),
    Network: frozenset({POSITION}),
    Vrf: frozenset({POSITION}),
    WireguardMesh: frozenset({POSITION}),
    Egress: frozenset({POSITION}),
}
# a device's own interfaces: compared one by one, their details being details of the device
DEVICE_PARTS = ("nics", "bonds", "vlans", "bridges")
ELEMENT_LISTS = ("racks", "devices", "links", "networks", "vrfs", "wireguard", "egress", "fail2ban")
DESIGN_DETAILS = frozenset({"description"})


@dataclass(frozen=True, slots=True)
class DetailEdit:
    """The elements whose details changed; the devices they touch are the changed devices and the ends of the
    changed links. ``planned``: some detail the plan reads changed, not just where elements sit."""

    devices: frozenset[str]
    links: frozenset[str]
    planned: bool


def detail_edit(before: Design, after: Design) -> DetailEdit | None:
    """What changed from ``before`` to ``after``, when only details did; None when anything else changed."""
    for name in Design.model_fields:
        if name not in ELEMENT_LISTS and name not in DESIGN_DETAILS and getattr(before, name) != getattr(after, name):
            return None
    devices: set[str] = set()
    links: set[str] = set()
    planned = False
    for name in ELEMENT_LISTS:
        old, new = getattr(before, name), getattr(after, name)
        if len(old) != len(new):
            return None
        for was, now in zip(old, new, strict=True):
            if was is now:
                continue
            changed = _changed_details(was, now)
            if changed is None:
                return None
            if not changed:
                continue
            if name == "devices":
                devices.add(now.id)
            elif name == "links":
                links.add(now.id)
                devices.update((now.a.device, now.b.device))
            planned = planned or changed != {POSITION}
    return DetailEdit(frozenset(devices), frozenset(links), planned)


def _changed_details(was: BaseModel, now: BaseModel) -> set[str] | None:
    """The details that differ between two versions of an element, or None when anything else does."""
    model = type(now)
    if type(was) is not model:
        return None
    details = DETAILS.get(model, frozenset())
    changed: set[str] = set()
    for name in model.model_fields:
        old, new = getattr(was, name), getattr(now, name)
        if old == new:
            continue
        if name in details:
            changed.add(name)
        elif model is Device and name in DEVICE_PARTS and len(old) == len(new):
            for old_part, new_part in zip(old, new, strict=True):
                if old_part != new_part:
                    part = _changed_details(old_part, new_part)
                    if part is None:
                        return None
                    changed.update(part)
        else:
            return None
    return changed
