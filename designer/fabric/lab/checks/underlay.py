"""Checks on the underlay: each routed cable carries its planned MTU, VTEPs reach each other over ECMP."""

from __future__ import annotations

import itertools
import json

from .. import netns, ping
from ..build import Lab
from ..layout import DEFAULT_MTU
from ..paths import ROUTED_KINDS, first_hops, routed_neighbours
from ..process import fan_out
from ..report import CheckResult, Evidence, verdict
from ..wait import until
from .frames import FrameProbe, send
from .routes import kernel_routes

LINK_MTU = "link-mtu"
LINK_MTU_TITLE = "each routed link carries full-size frames at its planned MTU with DF set, and no larger"
ECMP = "vtep-ecmp"
ECMP_TITLE = "VTEP loopbacks reach each other, over every equal-cost path the plan has"


def check_link_mtu(lab: Lab) -> CheckResult:
    plan = lab.plan
    links = [link for link in plan.links if link.kind in ROUTED_KINDS
             and lab.interfaces_applied(link.a_device) and lab.interfaces_applied(link.b_device)]
    peers = sorted({link.b_device for link in links if link.kind == "unnumbered"})
    facts = dict(zip(peers, fan_out(lambda d: netns.links(lab.node(d).namespace), peers), strict=True))
    probes, unaddressed = [], []
    for link in links:
        where = [link.id, link.a_device, link.b_device]
        if link.kind == "numbered":
            target, ipv6 = str(link.b_address), False
        else:
            address = netns.link_local(facts[link.b_device].get(link.b_interface, {}))
            if address is None:
                unaddressed.append((f"link {link.id}: {plan.devices[link.b_device].name}:{link.b_interface} has no "
                                    "IPv6 link-local address", where,
                                    Evidence(f"ip -n {lab.node(link.b_device).namespace} addr show {link.b_interface}",
                                             "no link-local address", ok=False)))
                continue
            target, ipv6 = f"{address}%{link.a_interface}", True
        mtu = min(m for m in (link.a_mtu, link.b_mtu) if m) if (link.a_mtu or link.b_mtu) else DEFAULT_MTU
        probes.append(FrameProbe(lab.node(link.a_device).namespace, target, mtu, f"link {link.id}", where, ipv6=ipv6))
    failures, passes = send(probes, probes)  # the oversize frame too goes once per link, from its a end
    failures = unaddressed + failures
    return verdict(LINK_MTU, LINK_MTU_TITLE, failures=failures, passes=passes, total=len(links),
                   what="routed links")


def _next_hops(route: dict | None) -> int:
    if route is None:
        return 0
    return len(route["nexthops"]) if route.get("nexthops") else 1


def check_ecmp(lab: Lab, deadline: float) -> CheckResult:
    plan = lab.plan
    vteps = [d.id for d in plan.devices.values() if d.vtep and lab.frr_running(d.id)]
    neighbours = routed_neighbours(plan)
    paths = {(a, b): len(first_hops(plan, a, b, neighbours)) for a, b in itertools.permutations(vteps, 2)}
    expected = {pair: count for pair, count in paths.items() if count}
    pairs = list(expected)
    sources = sorted({a for a, _ in pairs})

    def poll() -> dict[str, dict[str, dict]]:
        return dict(zip(sources, fan_out(lambda d: kernel_routes(lab, d), sources), strict=True))

    def settled(tables) -> bool:
        return all(_next_hops(tables[a].get(plan.devices[b].vtep)) >= min(expected[(a, b)], 2) for a, b in pairs)

    tables = until(poll, settled, deadline=deadline)
    unordered = [(a, b) for a, b in pairs if a < b]
    pings = fan_out(lambda p: ping.reach(lab.node(p[0]).namespace, plan.devices[p[1]].vtep,
                                         source=plan.devices[p[0]].vtep), unordered)
    failures, passes = [], []
    for a, b in pairs:
        want = expected[(a, b)]
        route = tables[a].get(plan.devices[b].vtep)
        have = _next_hops(route)
        command = f"ip -n {lab.node(a).namespace} -j route show {plan.devices[b].vtep}"
        evidence = Evidence(command, json.dumps(route) if route else "no route", ok=have >= min(want, 2))
        if have >= min(want, 2):
            passes.append(evidence)
        else:
            failures.append((f"{plan.devices[a].name} -> {plan.devices[b].name}: {have} next hop(s), the plan has "
                             f"{want} equal-cost path(s)", [a, b], evidence))
    for (a, b), outcome in zip(unordered, pings, strict=True):
        if outcome.ok:
            passes.append(outcome.evidence())
        else:
            failures.append((f"{plan.devices[a].name} loopback cannot reach {plan.devices[b].name}'s", [a, b],
                             outcome.evidence()))
    return verdict(ECMP, ECMP_TITLE, failures=failures, passes=passes, total=len(pairs) + len(unordered),
                   what="routes and loopback pings")
