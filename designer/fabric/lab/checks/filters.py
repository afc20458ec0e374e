"""Check: each node's nftables BGP filter, loaded before FRR started, drops TCP 179 from a speaker not its peer.

That the planned peers get through is what the sessions check proves, since it runs with the filters in
place; this check adds the other half: from a device of the lab that reaches the node but is not its peer,
a connection to port 179 goes unanswered and the filter's own drop counter shows it was the filter.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from ...addresses import ip_address, ip_network
from ...plan.model import DevicePlan, Plan
from ...plan.wireguard import blacklisted_peers
from .. import nftables, ping
from ..build import Lab
from ..paths import Neighbours, first_hops, routed_neighbours
from ..process import Outcome, fan_out, in_netns, run
from ..report import CheckResult, Evidence, trim, verdict
from ..wait import until

NAME = "bgp-filter"
TITLE = "each node's BGP filter admits its planned peers and drops any other speaker"
CONNECT_WITHIN = 1  # seconds: an open port answers a SYN at once, a dropped SYN never
SETTLE = 10  # seconds for routes learnt over sessions that just came up to be installed
# One connection attempt to port 179, from the prober's own address: "connected", or why not (exit 1).
CONNECT = """import socket, sys
target, source, within = sys.argv[1], sys.argv[2], float(sys.argv[3])
try:
    socket.create_connection((target, 179), timeout=within, source_address=(source, 0)).close()
except OSError as exc:
    sys.exit(f"not connected: {exc}")
print("connected")
"""


@dataclass(frozen=True, slots=True)
class Prober:
    """A device that is not the node's BGP peer, and the addresses it reaches the node between."""

    device_id: str
    source: str
    target: str
    via: str


@dataclass(frozen=True, slots=True)
class Probe:
    """What the prober saw: its ping, then (when that answered) its connection attempt and the drop counter."""

    ping: Outcome
    connect: Outcome | None = None
    before: nftables.DropCounter | None = None  # the filter's drop counter before the connection attempt
    after: nftables.DropCounter | None = None  # and after it


def pick_prober(plan: Plan, target_id: str, usable: set[str], neighbours: Neighbours | None = None) -> Prober | None:
    """The first device of ``usable`` by name that is no BGP peer of ``target_id``, speaks from an address its
    filter does not admit (a listen range admits more than the peers), and has a planned route to it.

    ``neighbours``: ``routed_neighbours(plan)``, passed in when picking for many nodes.
    """
    peers = {s.b if s.a == target_id else s.a for s in plan.sessions if target_id in (s.a, s.b)}
    # A blacklisted member is on the mesh's overlay subnet with no tunnel to the node: no route after all.
    peers.update(*(blacklisted_peers(mesh).get(target_id, ()) for mesh in plan.meshes))
    target = plan.devices[target_id]
    admitted = [ip_network(source) for source in target.bgp_allowed_sources]
    neighbours = routed_neighbours(plan) if neighbours is None else neighbours
    for device in sorted(plan.devices.values(), key=lambda d: d.name):
        if device.id == target_id or device.id in peers or device.id not in usable:
            continue
        prober = _route(plan, device, target, neighbours)
        if prober is not None and not any(ip_address(prober.source) in network for network in admitted):
            return prober
    return None


def _route(plan: Plan, source: DevicePlan, target: DevicePlan, neighbours: Neighbours) -> Prober | None:
    """Loopback to loopback across forwarding nodes, else address to address on a subnet both are on."""
    loopbacks = [(mine, theirs) for mine, theirs in ((source.loopback_v4, target.loopback_v4),
                                                      (source.loopback_v6, target.loopback_v6)) if mine and theirs]
    if loopbacks and first_hops(plan, source.id, target.id, neighbours):  # the path is the same for either family
        mine, theirs = loopbacks[0]
        return Prober(source.id, mine, theirs, "loopback to loopback across the fabric")
    for mine in map(ip_network, _addresses(source)):
        for theirs in map(ip_network, _addresses(target)):
            if mine.cidr == theirs.cidr:
                return Prober(source.id, str(mine.ip), str(theirs.ip), f"on their shared subnet {mine.cidr}")
    return None


def _addresses(device: DevicePlan) -> list[str]:
    """The device's addresses with their prefix length, on its interfaces and its overlays across a mesh."""
    return ([a for iface in device.interfaces if iface.kind != "loopback" for a in iface.addresses]
            + [a for wg in device.wireguard for a in wg.vxlan_addresses])


def _connect(namespace: str, prober: Prober) -> Outcome:
    argv = ["python3", "-c", CONNECT, prober.target, prober.source, str(CONNECT_WITHIN)]
    return run(in_netns(namespace, argv), timeout=CONNECT_WITHIN + 10)


def _display_connect(namespace: str, prober: Prober) -> str:
    """How a person would type what ``_connect`` runs."""
    return (f"ip netns exec {namespace} python3 -c 'import socket; socket.create_connection((\"{prober.target}\", "
            f"179), timeout={CONNECT_WITHIN}, source_address=(\"{prober.source}\", 0))'")


def _probe(lab: Lab, target_id: str, prober: Prober, deadline: float) -> Probe:
    """Ping first, so that no answer on port 179 means the filter dropped it, not that nothing routes there."""
    namespace = lab.node(prober.device_id).namespace
    reached = until(lambda: ping.reach(namespace, prober.target, source=prober.source), lambda o: o.ok,
                    deadline=min(deadline, time.monotonic() + SETTLE))
    if not reached.ok:
        return Probe(reached)
    target_namespace = lab.node(target_id).namespace
    before = nftables.drop_counter(target_namespace)
    connect = _connect(namespace, prober)
    return Probe(reached, connect, before, nftables.drop_counter(target_namespace))


def check(lab: Lab, deadline: float) -> CheckResult:
    if lab.filters_refused:
        return CheckResult(NAME, TITLE, "not-exercised", f"no filter was loaded: {lab.filters_refused}")
    plan = lab.plan
    usable = {d for d in plan.devices if lab.interfaces_applied(d)}
    neighbours = routed_neighbours(plan)
    failures, passes, chosen, unreached, unrouted = [], [], [], [], []
    for device_id, loaded in lab.filters.items():
        name = plan.devices[device_id].name
        if not loaded.ok:
            failures.append((f"{name}: its BGP filter is not loaded (nft lists no table)", [device_id],
                             loaded.evidence()))
        elif (prober := pick_prober(plan, device_id, usable, neighbours)) is None:
            unrouted.append(name)
        else:
            chosen.append((device_id, prober))
    unexercised = []
    if unrouted:
        unexercised.append(f"{', '.join(unrouted)} (no device here that is not its BGP peer has a route to it)")
    probes = fan_out(lambda pair: _probe(lab, *pair, deadline), chosen)
    for (device_id, prober), probe in zip(chosen, probes, strict=True):
        if probe.connect is None:
            unexercised.append(f"{plan.devices[device_id].name} ({plan.devices[prober.device_id].name} cannot ping "
                               f"it from {prober.source}, {prober.via})")
            unreached.append(probe.ping.evidence())
            continue
        failure, evidence = _judge(lab, device_id, prober, probe)
        if failure is None:
            passes += evidence
        else:
            failures.append(failure)
    exercised = len(chosen) - len(unreached) + sum(1 for loaded in lab.filters.values() if not loaded.ok)
    result = verdict(NAME, TITLE, failures=failures, passes=passes, total=exercised, what="filtered nodes")
    if unexercised:
        shown = f"not exercised: {'; '.join(unexercised)}"
        result.detail = shown if exercised == 0 else f"{result.detail}; {shown}"
        result.evidence += unreached
    if exercised:
        result.detail += ("; that each node's planned peers get through is what bgp-sessions shows, as it ran with "
                          "these filters loaded")
    return result


def _judge(lab: Lab, device_id: str, prober: Prober, probe: Probe) -> tuple[tuple | None, list[Evidence]]:
    """Pass when the connection was not made and the filter's drop counter went up: the filter, nothing else."""
    plan = lab.plan
    where = (f"{plan.devices[prober.device_id].name} ({prober.source}) -> {plan.devices[device_id].name} "
             f"({prober.target}) port 179, {prober.via}")
    before, after = probe.before.packets, probe.after.packets
    rule = probe.after.rule
    shown = json.dumps(rule, sort_keys=True) if rule else probe.after.listing.output or "no drop rule with a counter"
    counted = Evidence(probe.after.listing.command, f"{trim(shown)}\n(the drop counter before the connection "
                                                    f"attempt: {before} packets)",
                       ok=None not in (after, before) and after > before)
    connected = probe.connect.evidence(command=_display_connect(lab.node(prober.device_id).namespace, prober),
                                       ok=not probe.connect.ok)
    elements = [device_id, prober.device_id]
    if probe.connect.ok:
        return (f"{where}: connected, the filter let a speaker that is not its peer through", elements,
                connected), []
    if not counted.ok:
        return (f"{where}: not connected, but the filter's drop counter did not count it ({before} -> {after} "
                "packets)", elements, counted), []
    return None, [probe.ping.evidence(), connected, counted]
