"""Check: every pair of loopbacks the plan routes between can reach each other, over IPv4 and IPv6.

A pair is routed when a path of routed links joins the two devices through nodes that forward (a
host that does not forward ends a path), unless eBGP's loop prevention keeps them apart: two
devices that share an ASN (the spines of a Clos, a rack's hypervisors) drop each other's routes,
which arrive with their own ASN in the path. A ping from one loopback to the other, sourced from the
first, crosses whatever the routing tables chose: a route announced through a node that drops what
it is handed (a black hole) fails it.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

from ...plan.model import Plan
from .. import ping
from ..build import Lab
from ..paths import first_hops, routed_neighbours
from ..process import Outcome, fan_out
from ..report import CheckResult, verdict

NAME = "loopback-reach"
TITLE = "every pair of loopbacks the plan routes between reach each other, IPv4 and IPv6"
RETRY_EVERY = 0.5


@dataclass(frozen=True, slots=True)
class LoopbackPair:
    a: str
    b: str
    source: str
    target: str


def routed_pairs(plan: Plan, running: set[str]) -> list[LoopbackPair]:
    """Each pair of devices in ``running`` (FRR up) that the plan routes between, once per address family."""
    speakers = [d for d in plan.devices.values() if d.id in running and (d.loopback_v4 or d.loopback_v6)]
    neighbours = routed_neighbours(plan)
    pairs = []
    for a, b in itertools.combinations(speakers, 2):
        if plan.underlay_style == "ebgp" and a.asn is not None and a.asn == b.asn:
            continue
        if first_hops(plan, a.id, b.id, neighbours):
            pairs += [LoopbackPair(a.id, b.id, mine, theirs) for mine, theirs in
                      ((a.loopback_v4, b.loopback_v4), (a.loopback_v6, b.loopback_v6)) if mine and theirs]
    return pairs


def check(lab: Lab, deadline: float) -> CheckResult:
    pairs = routed_pairs(lab.plan, {d for d, device in lab.plan.devices.items()
                                    if device.managed and lab.frr_running(d)})
    found: dict[LoopbackPair, Outcome] = {}
    pending = pairs
    while pending:  # until every pair answers or the deadline: routes take a moment to spread
        outcomes = fan_out(lambda p: ping.reach(lab.node(p.a).namespace, p.target, source=p.source), pending)
        found.update(zip(pending, outcomes, strict=True))
        pending = [p for p in pending if not found[p].ok]
        if not pending or time.monotonic() + RETRY_EVERY > deadline:
            break
        time.sleep(RETRY_EVERY)
    names = lab.plan.devices
    failures, passes = [], []
    for pair in pairs:
        outcome = found[pair]
        if outcome.ok:
            passes.append(outcome.evidence())
        else:
            failures.append((f"{names[pair.a].name} {pair.source} cannot reach {names[pair.b].name} {pair.target}",
                             [pair.a, pair.b], outcome.evidence()))
    return verdict(NAME, TITLE, failures=failures, passes=passes, total=len(pairs), what="loopback pairs")
