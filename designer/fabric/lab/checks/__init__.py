"""The lab's checks, in the order a fabric comes up: files taken in, tunnels, sessions and their filters, EVPN,
underlay, tenants."""

from __future__ import annotations

import time
from collections.abc import Callable

from ..build import Lab
from ..report import CheckResult
from . import apply, endpoints, evpn, filters, lans, loopbacks, mesh, routes, sessions, underlay

CheckStep = Callable[[Lab, float], CheckResult]

# name, what the progress line says, the check; ``deadline`` bounds every wait inside
STEPS: list[tuple[str, str, CheckStep]] = [
    (apply.APPLIED, "reading each node's apply.sh (or boot) results", lambda lab, _: apply.check_applied(lab)),
    (apply.WIREGUARD, "reading wg-quick's results", lambda lab, _: apply.check_wireguard(lab)),
    (apply.FRR, "reading FRR's start-up", lambda lab, _: apply.check_frr(lab)),
    (mesh.HANDSHAKE, "waiting for WireGuard handshakes", mesh.check_handshakes),
    (sessions.NAME, "waiting for BGP sessions", sessions.check),
    (filters.NAME, "probing each node's BGP filter from a device that is not its peer", filters.check),
    (evpn.NAME, "waiting for EVPN type-3 routes", evpn.check),
    (underlay.LINK_MTU, "probing each link at its MTU", lambda lab, _: underlay.check_link_mtu(lab)),
    (underlay.ECMP, "checking VTEP routes and ECMP", underlay.check_ecmp),
    (loopbacks.NAME, "pinging between every pair of routed loopbacks", loopbacks.check),
    (routes.EGRESS, "checking the egress clients' default route", routes.check_egress),
    (routes.STATIC, "checking static routes", routes.check_static),
    (lans.NAME, "pinging across each LAN", lambda lab, _: lans.check(lab)),
    (mesh.SUBNETS, "pinging between the mesh members' subnets", mesh.check_subnets),
    (mesh.MTU, "full-size frames across the mesh", lambda lab, _: mesh.check_mtu(lab)),
    (mesh.BLACKLISTED, "probing the blacklisted pairs", lambda lab, _: mesh.check_blacklisted(lab)),
    (endpoints.REACH, "pinging between endpoints", lambda lab, _: endpoints.check_reach(lab)),
    (endpoints.MTU, "full-size and oversize frames", lambda lab, _: endpoints.check_mtu(lab)),
]


def run_checks(lab: Lab, deadline: float, progress: Callable[[int, str], None]) -> list[CheckResult]:
    results = []
    for index, (_name, message, step) in enumerate(STEPS):
        progress(index * 100 // len(STEPS), message)
        started = time.monotonic()
        result = step(lab, deadline)
        result.seconds = time.monotonic() - started
        results.append(result)
    return results
