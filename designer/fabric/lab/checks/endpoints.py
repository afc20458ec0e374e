"""Checks: endpoints on a VNI ping each other, at the planned MTU with DF set, and no larger."""

from __future__ import annotations

import itertools

from .. import ping
from ..build import Lab
from ..layout import Endpoint
from ..process import fan_out
from ..report import CheckResult, Evidence, verdict
from .frames import FrameProbe, oversize_once_per_sender, send

REACH = "endpoint-ping"
REACH_TITLE = "every endpoint pings every other endpoint on its VNI"
MTU = "endpoint-mtu"
MTU_TITLE = "full-size frames with DF set cross each VNI; a frame one byte larger is refused"


def _pairs(lab: Lab) -> list[tuple[Endpoint, Endpoint]]:
    plugged = [e for e in lab.layout.endpoints if (e.device_id, e.bridge) in lab.bridge_mtus]
    out = []
    for vni in lab.plan.vnis:
        on_vni = [e for e in plugged if e.vni == vni.vni]
        out += list(itertools.combinations(on_vni, 2))
    return out


def _ip(endpoint: Endpoint) -> str:
    return endpoint.address.split("/")[0]


def _name(lab: Lab, endpoint: Endpoint) -> str:
    return f"{lab.plan.devices[endpoint.device_id].name}/vni{endpoint.vni}"


def _unplugged(lab: Lab, endpoint: Endpoint) -> tuple[str, list[str], Evidence]:
    """An endpoint whose bridge ifupdown2 did not build: it can reach nobody, which is a failure of the files."""
    namespace = lab.node(endpoint.device_id).namespace
    return (f"{_name(lab, endpoint)}: not plugged in, no bridge {endpoint.bridge} after ifupdown2",
            [endpoint.network, endpoint.device_id],
            Evidence(f"ip -n {namespace} -j addr show", f"no interface {endpoint.bridge}", ok=False))


def check_reach(lab: Lab) -> CheckResult:
    pairs = _pairs(lab)
    outcomes = fan_out(lambda pair: ping.reach(pair[0].namespace, _ip(pair[1])), pairs)
    failures, passes = [_unplugged(lab, endpoint) for endpoint in lab.unplugged], []
    for (a, b), outcome in zip(pairs, outcomes, strict=True):
        if outcome.ok:
            passes.append(outcome.evidence())
        else:
            failures.append((f"{_name(lab, a)} -> {_name(lab, b)}", [a.network, a.device_id, b.device_id],
                             outcome.evidence()))
    return verdict(REACH, REACH_TITLE, failures=failures, passes=passes, total=len(lab.unplugged) + len(pairs),
                   what="endpoint pairs and unplugged endpoints" if lab.unplugged else "endpoint pairs")


def check_mtu(lab: Lab) -> CheckResult:
    mtu_of = {vni.vni: vni.mtu for vni in lab.plan.vnis}

    def probe(a: Endpoint, b: Endpoint) -> FrameProbe:
        bridge_mtu = lab.bridge_mtus[(a.device_id, a.bridge)]
        return FrameProbe(a.namespace, _ip(b), mtu_of[a.vni], f"{_name(lab, a)} -> {_name(lab, b)}",
                          [a.network, a.device_id, b.device_id], why=f" (bridge {a.bridge} has MTU {bridge_mtu})")

    both = [(probe(a, b), probe(b, a)) for a, b in _pairs(lab)]
    full, over = [there for there, _ in both], oversize_once_per_sender(both)
    failures, passes = send(full, over)
    return verdict(MTU, MTU_TITLE, failures=failures, passes=passes, total=len(full) + len(over),
                   what="full-size and oversize probes")
