"""Full-size and oversize frames: what crosses at the planned MTU with DF set, and what one byte more does."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import ping
from ..process import fan_out
from ..report import Evidence


@dataclass(frozen=True, slots=True)
class FrameProbe:
    namespace: str
    target: str
    mtu: int
    label: str  # "a -> b" as the failure names it
    elements: list[str] = field(default_factory=list)  # the network (or VNI's, or mesh) first, then the nodes
    source: str | None = None
    why: str = ""  # what may explain a full-size frame that did not cross
    ipv6: bool = False


def oversize_once_per_sender(probes: list[tuple[FrameProbe, FrameProbe]]) -> list[FrameProbe]:
    """One oversize probe per sender and network is enough: the limit is a property of its own interface.

    ``probes`` holds both directions of each pair, so every end sends one.
    """
    firsts: dict[tuple[str, str], FrameProbe] = {}
    for probe in (p for pair in probes for p in pair):
        firsts.setdefault((probe.namespace, probe.elements[0] if probe.elements else ""), probe)
    return list(firsts.values())


def send(full: list[FrameProbe], over: list[FrameProbe]) -> tuple[list[tuple[str, list[str], Evidence]],
                                                                   list[Evidence]]:
    """Each ``full`` probe must cross at its MTU with DF set; each ``over`` probe one byte larger must not."""
    crossed = fan_out(lambda p: ping.reach(p.namespace, p.target, mtu=p.mtu, source=p.source, ipv6=p.ipv6), full)
    larger = fan_out(lambda p: ping.too_large(p.namespace, p.target, mtu=p.mtu, ipv6=p.ipv6), over)
    failures, passes = [], []
    for probe, outcome in zip(full, crossed, strict=True):
        if outcome.ok:
            passes.append(outcome.evidence())
        else:
            failures.append((f"{probe.label}: a {probe.mtu}-byte packet with DF did not cross{probe.why}",
                             probe.elements, outcome.evidence()))
    for probe, outcome in zip(over, larger, strict=True):
        if not outcome.ok:  # refused, locally or on the way
            passes.append(outcome.evidence(ok=True))
        else:
            failures.append((f"{probe.label}: a {probe.mtu + 1}-byte packet crossed, but the plan's MTU is "
                             f"{probe.mtu}", probe.elements[:2], outcome.evidence(ok=False)))
    return failures, passes
