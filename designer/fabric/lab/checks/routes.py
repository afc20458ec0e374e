"""Checks on routes the plan promises: egress clients' ECMP default route, every planned static route."""

from __future__ import annotations

import json

from .. import ping
from ..build import Lab
from ..process import fan_out, run
from ..report import CheckResult, Evidence, verdict
from ..wait import until

EGRESS = "egress-ecmp"
EGRESS_TITLE = "each egress client has a default route over every gateway, and reaches each"
STATIC = "static-routes"
STATIC_TITLE = "every planned static route is in the node's kernel table"


def kernel_routes(lab: Lab, device_id: str) -> dict[str, dict]:
    """The node's IPv4 kernel routes by destination (``default`` for 0.0.0.0/0)."""
    outcome = run(["ip", "-n", lab.node(device_id).namespace, "-j", "-4", "route", "show"], timeout=20)
    entries = json.loads(outcome.stdout or "[]") if outcome.ok else []
    return {entry["dst"].removesuffix("/32"): entry for entry in entries}


def gateways_of(route: dict | None) -> set[str]:
    if route is None:
        return set()
    hops = route.get("nexthops") or [route]
    return {hop["gateway"] for hop in hops if "gateway" in hop}


def check_egress(lab: Lab, deadline: float) -> CheckResult:
    plan = lab.plan
    wanted = {client: set(egress.gateways.values()) for egress in plan.egress for client in egress.clients
              if lab.frr_running(client) and len(egress.gateways) > 0}
    clients = sorted(wanted)

    def poll() -> dict[str, dict[str, dict]]:
        return dict(zip(clients, fan_out(lambda d: kernel_routes(lab, d), clients), strict=True))

    tables = until(poll, lambda t: all(gateways_of(t[c].get("default")) >= wanted[c] for c in clients),
                   deadline=deadline)
    probes = [(client, gateway) for client in clients for gateway in sorted(wanted[client])]
    pings = fan_out(lambda p: ping.reach(lab.node(p[0]).namespace, p[1]), probes)
    failures, passes = [], []
    for client in clients:
        route = tables[client].get("default")
        evidence = Evidence(f"ip -n {lab.node(client).namespace} -j route show default",
                            json.dumps(route) if route else "no default route")
        lacking = wanted[client] - gateways_of(route)
        if lacking:
            failures.append((f"{plan.devices[client].name}: the default route lacks {', '.join(sorted(lacking))}",
                             [client], evidence))
        else:
            passes.append(evidence)
    for (client, gateway), outcome in zip(probes, pings, strict=True):
        if outcome.ok:
            passes.append(outcome.evidence())
        else:
            failures.append((f"{plan.devices[client].name} cannot reach gateway {gateway}", [client],
                             outcome.evidence()))
    return verdict(EGRESS, EGRESS_TITLE, failures=failures, passes=passes, total=len(clients) + len(probes),
                   what="default routes and gateway pings")


def check_static(lab: Lab, deadline: float) -> CheckResult:
    plan = lab.plan
    wanted = {d.id: [r for r in d.static_routes if ":" not in r.prefix] for d in plan.devices.values()
              if lab.frr_running(d.id) and d.static_routes}
    wanted = {d: routes for d, routes in wanted.items() if routes}
    devices = sorted(wanted)

    def poll() -> dict[str, dict[str, dict]]:
        return dict(zip(devices, fan_out(lambda d: kernel_routes(lab, d), devices), strict=True))

    def present(tables, device_id, route) -> bool:
        entry = tables[device_id].get(route.prefix.removesuffix("/32"))
        return entry is not None and (route.via is None or route.via in gateways_of(entry))

    tables = until(poll, lambda t: all(present(t, d, r) for d in devices for r in wanted[d]), deadline=deadline)
    failures, passes = [], []
    for device_id in devices:
        for route in wanted[device_id]:
            entry = tables[device_id].get(route.prefix.removesuffix("/32"))
            evidence = Evidence(f"ip -n {lab.node(device_id).namespace} -j route show {route.prefix}",
                                json.dumps(entry) if entry else "no such route")
            if present(tables, device_id, route):
                passes.append(evidence)
            else:
                failures.append((f"{plan.devices[device_id].name}: no route {route.prefix} via {route.via}",
                                 [device_id], evidence))
    return verdict(STATIC, STATIC_TITLE, failures=failures, passes=passes, total=sum(map(len, wanted.values())),
                   what="static routes")
