"""Findings and the registry of design checks: each check has a stable code and a severity."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..plan.model import LinkPlan, Plan
from ..plan.topology import Topology
from ..severity import Severity
from ..spec import Design


@dataclass(frozen=True, slots=True)
class Finding:
    """A mistake (or a risk, or a remark) in a design, tied to the elements it concerns."""

    code: str
    severity: Severity
    message: str
    elements: tuple[str, ...] = ()
    hint: str = ""

    def as_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity, "message": self.message,
                "elements": list(self.elements), "hint": self.hint}


@dataclass(frozen=True, slots=True)
class Issue:
    """What a check reports; the runner adds the check's code and severity."""

    message: str
    elements: tuple[str, ...] = ()
    hint: str = ""
    severity: Severity | None = None  # only when one check has cases of different weight


@dataclass(slots=True)
class Context:
    """What every check reads: the design, its plan, and the shared topology index."""

    design: Design
    plan: Plan
    topo: Topology
    # what checks derive from the plan's numbers and the design's structure, never from details (MTUs, speeds,
    # DHCP): after an edit of details alone it is handed on to the checks run again (``pipeline.recompile``)
    cache: dict = field(default_factory=dict)
    # after an edit of details: the devices it touched, whose findings the checks that read details are run
    # again for (the others' are kept); a check may skip what concerns no other device (``checks``)
    only: frozenset[str] | None = None

    def name(self, device_id: str) -> str:
        return self.topo.name(device_id)

    def checks(self, *device_ids: str) -> bool:
        """Whether findings about these devices are asked for."""
        return self.only is None or not self.only.isdisjoint(device_ids)

    def links(self) -> list[LinkPlan]:
        """The plan's links whose findings are asked for: all, or those at the devices in ``only``."""
        if self.only is None:
            return self.plan.links
        return [link for link in self.plan.links if link.a_device in self.only or link.b_device in self.only]


CheckFunction = Callable[[Context], Iterable[Issue]]


@dataclass(frozen=True, slots=True)
class Check:
    """A registered design check: its stable code, severity, title and function."""

    code: str
    severity: Severity
    title: str
    run: CheckFunction
    # reads what decides a device's own interfaces only (MTUs, speeds, DHCP): after an edit of those alone
    # only these checks run again (``designer.fabric.changes``), for the devices it touched (``Context.only``);
    # each of their findings names the devices it concerns in its elements
    details: bool = False


CHECKS: dict[str, Check] = {}


def check(code: str, severity: Severity, title: str, *, details: bool = False,
          ) -> Callable[[CheckFunction], CheckFunction]:
    """Register a design check under a stable ``code``; ``details``: see ``Check``."""

    def register(function: CheckFunction) -> CheckFunction:
        if code in CHECKS:
            raise ValueError(f"two checks share the code {code}")
        CHECKS[code] = Check(code, severity, title, function, details)
        return function

    return register
