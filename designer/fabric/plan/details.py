"""Planning again after an edit of details alone (MTUs, speeds, DHCP, descriptions; ``designer.fabric.changes``).

Such an edit decides no number: every address, ASN, VNI, session and key stays where it was, and so do the
interfaces of every device it does not touch. Only the touched devices' interfaces are planned again, from
what the plan before the edit planned them from, and the MTUs and speeds of the links on them.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

from ..spec import Design
from .addressing import Addressing
from .interfaces import plan_interfaces
from .model import DevicePlan, LinkPlan, NetworkPlan, Plan, RoutedPlan, VniPlan, VrfPlan
from .topology import Topology


@dataclass(frozen=True, slots=True)
class InterfaceSources:
    """What a plan planned its devices' interfaces from, besides the design."""

    addressing: Addressing
    networks: list[NetworkPlan]
    vnis_of: dict[str, list[VniPlan]]
    vrfs_of: dict[str, list[VrfPlan]]
    routed: dict[str, list[RoutedPlan]]
    gateways: set[str]  # egress gateways: host services change their interfaces and BGP after planning


def replan_details(previous: Plan, sources: InterfaceSources, design: Design, topo: Topology,
                   devices: Collection[str]) -> Plan | None:
    """``plan(design)`` with the allocation record ``previous`` was planned with, when ``design`` differs from
    the design of ``previous`` in details of ``devices`` only (``topo`` is the topology of ``design``).

    None when one of them is an egress gateway: plan it in full.
    """
    if not devices:
        return previous
    if not sources.gateways.isdisjoint(devices):
        return None
    planned = plan_interfaces(design, topo, sources.addressing, sources.networks, sources.vnis_of, sources.vrfs_of,
                              sources.routed, only=devices)
    by_id = dict(previous.devices)
    for device_id, (interfaces, index) in planned.items():
        by_id[device_id] = replace(by_id[device_id], interfaces=interfaces, interface_index=index)
    links = [link_ends(link, by_id) if link.a_device in planned or link.b_device in planned else link
             for link in previous.links]
    return replace(previous, devices=by_id, links=links)


def link_ends(link: LinkPlan, devices: dict[str, DevicePlan]) -> LinkPlan:
    """``link`` with the MTU and speed of the interfaces at its ends."""
    a = devices[link.a_device].interface(link.a_interface)
    b = devices[link.b_device].interface(link.b_interface)
    if (link.a_mtu, link.b_mtu, link.a_speed, link.b_speed) == (a.mtu, b.mtu, a.speed, b.speed):
        return link
    return replace(link, a_mtu=a.mtu, b_mtu=b.mtu, a_speed=a.speed, b_speed=b.speed)
