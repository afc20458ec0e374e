"""Checks on WireGuard meshes: a handshake for every peered pair, announced subnets and full-size frames across.

Pairs the plan blacklists are held to what the plan says of them: no handshake, and no reach between
their subnets even though a route reflector passes each the other's routes (an expected failure).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass

from ...addresses import ip_network
from ...plan.wireguard import blacklisted_peers
from .. import ping, wireguard
from ..build import Lab
from ..process import Outcome, fan_out, run
from ..report import CheckResult, Evidence, verdict
from ..wait import until
from .frames import FrameProbe, oversize_once_per_sender, send

HANDSHAKE = "wireguard-handshake"
HANDSHAKE_TITLE = "every pair of mesh members the plan peers completes a WireGuard handshake, blacklisted pairs none"
SUBNETS = "mesh-subnets"
SUBNETS_TITLE = "each node's announced subnet answers every node the plan peers it with"
MTU = "mesh-mtu"
MTU_TITLE = "full-size frames at the mesh's VXLAN MTU with DF set cross between peered members, a byte more does not"
BLACKLISTED = "mesh-blacklisted"
BLACKLISTED_TITLE = "blacklisted members do not reach each other's subnets, as the plan says"


@dataclass(frozen=True, slots=True)
class Pair:
    mesh: str
    a: str
    b: str
    blacklisted: bool


@dataclass(frozen=True, slots=True)
class Announced:
    address: str  # the node's own address inside the prefix: what others ping, and what it pings from
    prefix: str


def member_pairs(lab: Lab) -> list[Pair]:
    """Every pair of members of each mesh whose WireGuard came up here on the internet, blacklisted or not."""
    out = []
    for mesh in lab.plan.meshes:
        blocked = blacklisted_peers(mesh)
        up = [d for d in mesh.members if lab.wireguard_running(d) and d not in lab.layout.offline]
        out += [Pair(mesh.id, a, b, b in blocked.get(a, ())) for a, b in itertools.combinations(up, 2)]
    return out


def _wg(lab: Lab, device_id: str, mesh: str):
    return next(wg for wg in lab.plan.devices[device_id].wireguard if wg.mesh == mesh)


def _name(lab: Lab, device_id: str) -> str:
    return lab.plan.devices[device_id].name


def check_handshakes(lab: Lab, deadline: float) -> CheckResult:
    pairs = member_pairs(lab)
    ends = sorted({(p.mesh, d) for p in pairs for d in (p.a, p.b)})

    def read(end: tuple[str, str]):
        mesh, device_id = end
        return wireguard.latest_handshakes(lab.root(device_id), _wg(lab, device_id, mesh).interface)

    def poll():
        return dict(zip(ends, fan_out(read, ends), strict=True))

    def shaken(found, mesh: str, x: str, y: str) -> bool | None:
        """Whether ``x`` has completed a handshake with ``y``; None when it has no peer with y's key."""
        handshake = found[(mesh, x)][1].get(_wg(lab, y, mesh).public_key)
        return None if handshake is None else handshake > 0

    found = until(poll, lambda f: all(shaken(f, p.mesh, p.a, p.b) and shaken(f, p.mesh, p.b, p.a)
                                      for p in pairs if not p.blacklisted), deadline=deadline)
    failures, passes = [], []
    for pair in pairs:
        a, b = _name(lab, pair.a), _name(lab, pair.b)
        evidence = [_evidence(lab, found, pair.mesh, d) for d in (pair.a, pair.b)]
        views = {(x, y): shaken(found, pair.mesh, x, y) for x, y in ((pair.a, pair.b), (pair.b, pair.a))}
        if pair.blacklisted:
            if any(views.values()):
                failures.append((f"{a} <-> {b} are blacklisted in mesh {pair.mesh}, yet completed a handshake",
                                 [pair.mesh, pair.a, pair.b], _failed(evidence)))
            else:
                passes.append(Evidence(evidence[0].command, f"blacklisted {a} <-> {b}: no handshake, as planned\n"
                                       f"{evidence[0].output}"))
            continue
        if all(views.values()):
            passes.append(evidence[0])
            continue
        why = [f"{_name(lab, x)} has no peer with {_name(lab, y)}'s public key" if seen is None
               else f"{_name(lab, x)} has no handshake with {_name(lab, y)}" for (x, y), seen in views.items()
               if not seen]
        failures.append((f"{a} <-> {b}: {'; '.join(why)}", [pair.mesh, pair.a, pair.b], _failed(evidence)))
    result = verdict(HANDSHAKE, HANDSHAKE_TITLE, failures=failures, passes=passes, total=len(pairs),
                     what="member pairs")
    blacklisted = sum(p.blacklisted for p in pairs)
    if pairs:
        result.detail += f" ({len(pairs) - blacklisted} peered, {blacklisted} blacklisted)"
    return result


def _evidence(lab: Lab, found, mesh: str, device_id: str) -> Evidence:
    outcome: Outcome = found[(mesh, device_id)][0]
    interface = _wg(lab, device_id, mesh).interface
    return outcome.evidence(command=wireguard.display_show(lab.root(device_id), interface))


def _failed(evidence: list[Evidence]) -> Evidence:
    return Evidence(" ; ".join(e.command for e in evidence), "\n".join(e.output for e in evidence), ok=False)


def announced(lab: Lab, device_id: str) -> Announced | None:
    """The node's own address inside a prefix it announces (its LXD bridge, say), outside the mesh itself."""
    device = lab.plan.devices[device_id]
    if device.bgp is None:
        return None
    prefixes = [ip_network(p) for p in device.bgp.networks_v4]
    mesh_interfaces = {wg.interface for wg in device.wireguard} | {wg.vxlan_interface for wg in device.wireguard}
    for iface in device.interfaces:
        if iface.name in mesh_interfaces:
            continue
        for address in iface.addresses:
            ip = ip_network(address).ip
            prefix = next((p for p in prefixes if ip.version == p.version and ip in p), None)
            if prefix is not None:
                return Announced(str(ip), str(prefix))
    return None


def _routed_pairs(lab: Lab, *, blacklisted: bool) -> list[tuple[Pair, Announced, Announced]]:
    """Pairs whose both ends run FRR and announce a subnet: their routes to each other come from BGP."""
    out = []
    for pair in member_pairs(lab):
        if pair.blacklisted != blacklisted or not (lab.frr_running(pair.a) and lab.frr_running(pair.b)):
            continue
        ends = announced(lab, pair.a), announced(lab, pair.b)
        if ends[0] is not None and ends[1] is not None:
            out.append((pair, *ends))
    return out


def _ping(lab: Lab, probe: tuple[Pair, Announced, Announced]) -> Outcome:
    pair, a, b = probe
    return ping.reach(lab.node(pair.a).namespace, b.address, source=a.address)


def check_subnets(lab: Lab, deadline: float) -> CheckResult:
    probes = _routed_pairs(lab, blacklisted=False)
    # the routes arrive over BGP after the sessions come up: ask again until every pair answers
    outcomes = until(lambda: fan_out(lambda p: _ping(lab, p), probes), lambda found: all(o.ok for o in found),
                     deadline=deadline)
    failures, passes = [], []
    for (pair, a, b), outcome in zip(probes, outcomes, strict=True):
        if outcome.ok:
            passes.append(outcome.evidence())
        else:
            failures.append((f"{_name(lab, pair.a)} ({a.address}) -> {_name(lab, pair.b)} ({b.address} in "
                             f"{b.prefix}): no reply", [pair.mesh, pair.a, pair.b], outcome.evidence()))
    return verdict(SUBNETS, SUBNETS_TITLE, failures=failures, passes=passes, total=len(probes),
                   what="peered pairs")


def check_mtu(lab: Lab) -> CheckResult:
    mtu_of = {mesh.id: mesh.vxlan_mtu or mesh.wireguard_mtu for mesh in lab.plan.meshes}

    def probe(mesh: str, x: str, x_end: Announced, y: str, y_end: Announced) -> FrameProbe:
        return FrameProbe(lab.node(x).namespace, y_end.address, mtu_of[mesh],
                          f"{_name(lab, x)} -> {_name(lab, y)} ({y_end.address})", [mesh, x, y], source=x_end.address)

    both = [(probe(pair.mesh, pair.a, a, pair.b, b), probe(pair.mesh, pair.b, b, pair.a, a))
            for pair, a, b in _routed_pairs(lab, blacklisted=False)]
    full, over = [there for there, _ in both], oversize_once_per_sender(both)
    failures, passes = send(full, over)
    return verdict(MTU, MTU_TITLE, failures=failures, passes=passes, total=len(full) + len(over),
                   what="full-size and oversize probes")


def check_blacklisted(lab: Lab) -> CheckResult:
    probes = _routed_pairs(lab, blacklisted=True)
    if not probes:
        return CheckResult(BLACKLISTED, BLACKLISTED_TITLE, "not-exercised",
                           "no blacklisted pair of members that both announce a subnet in this design")
    outcomes = fan_out(lambda p: _ping(lab, p), probes)
    answered, refused, evidence, elements = [], [], [], []
    for (pair, _, b), outcome in zip(probes, outcomes, strict=True):
        names = f"{_name(lab, pair.a)} <-> {_name(lab, pair.b)}"
        route = run(["ip", "-n", lab.node(pair.a).namespace, "-j", "route", "show", b.prefix], timeout=15)
        learned = json.loads(route.stdout or "[]") if route.ok else []
        via = f"has {b.prefix} via {learned[0].get('gateway')}" if learned else f"has no route to {b.prefix}"
        warned = _warning(lab, pair.a, pair.b)
        text = (f"{names}: blacklisted in mesh {pair.mesh}, no tunnel joins them; {_name(lab, pair.a)} {via}"
                f"{f' (design check {warned})' if warned else ''}")
        (answered if outcome.ok else refused).append(text)
        evidence += [route.evidence(ok=True), outcome.evidence(ok=not outcome.ok)]
        elements += [pair.mesh, pair.a, pair.b]
    if answered:
        return CheckResult(BLACKLISTED, BLACKLISTED_TITLE, "fail",
                           f"{'; '.join(answered)}; yet the ping was answered, which the plan says cannot be",
                           list(dict.fromkeys(elements)), evidence)
    return CheckResult(BLACKLISTED, BLACKLISTED_TITLE, "expected-fail",
                       f"{'; '.join(refused)}; the ping went unanswered, as the plan says (not counted)",
                       list(dict.fromkeys(elements)), evidence)


def _warning(lab: Lab, a: str, b: str) -> str | None:
    """The code of the design check that warned of this pair, if one did."""
    return next((f.code for f in lab.findings if f.severity == "warning" and {a, b} <= set(f.elements)), None)
