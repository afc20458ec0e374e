"""Routed networks (seed 002): per VLAN a routing table, the rule that sends the VLAN's traffic there, proxy ARP."""

from __future__ import annotations

import re

from .model import NetworkPlan, RoutedPlan

RULE_PRIORITY_BASE = 1000


def plan_routed(networks: list[NetworkPlan]) -> dict[str, list[RoutedPlan]]:
    """Device -> its routed networks; the table is the VLAN's number, named after the network."""
    out: dict[str, list[RoutedPlan]] = {}
    names: set[str] = set()
    for net in networks:
        if net.mode != "routed" or net.vlan is None or net.subnet is None or net.gateway is None:
            continue
        name = _table_name(net.name, net.vlan, names)
        for device_id, interface in net.interfaces.items():
            out.setdefault(device_id, []).append(RoutedPlan(
                network=net.id, interface=interface, subnet=net.subnet, gateway=net.gateway, table=net.vlan,
                table_name=name, priority=RULE_PRIORITY_BASE + net.vlan,
                arp_address=net.host_addresses.get(device_id)))
    return out


def _table_name(network: str, vlan: int, taken: set[str]) -> str:
    """``public-993`` -> ``public_993``: a word rt_tables takes, unique among the design's tables."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", network)
    if name in taken or name.isdigit():
        name = f"{name}_{vlan}"
    taken.add(name)
    return name


def post_up(routed: RoutedPlan) -> list[str]:
    """What ifupdown2 runs once the VLAN interface is up; each command may run again on every ifreload."""
    name = routed.interface
    return [
        f"ip route replace {routed.subnet} dev {name} table {routed.table}",
        f"ip route replace default via {routed.gateway} dev {name} table {routed.table}",
        # `ip rule add` refuses a rule it has already: add it only when it is missing
        f"ip rule list priority {routed.priority} iif {name} lookup {routed.table} | grep -q . || "
        f"ip rule add {routed.rule}",
        f"sysctl -q -w net.ipv4.conf.{name.replace('.', '/')}.proxy_arp=1",
    ]


def pre_down(routed: RoutedPlan) -> list[str]:
    return [f"ip rule del {routed.rule}"]
