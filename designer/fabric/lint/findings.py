"""Findings and the registry of design checks: each check has a stable code and a severity."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from ..plan.model import Plan
from ..plan.topology import Topology
from ..spec import Design

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


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
    cache: dict = field(default_factory=dict)

    def name(self, device_id: str) -> str:
        return self.topo.name(device_id)


CheckFunction = Callable[[Context], Iterable[Issue]]


@dataclass(frozen=True, slots=True)
class Check:
    """A registered design check: its stable code, severity, title and function."""

    code: str
    severity: Severity
    title: str
    run: CheckFunction


CHECKS: dict[str, Check] = {}


def check(code: str, severity: Severity, title: str) -> Callable[[CheckFunction], CheckFunction]:
    """Register a design check under a stable ``code``."""

    def register(function: CheckFunction) -> CheckFunction:
        if code in CHECKS:
            raise ValueError(f"two checks share the code {code}")
        CHECKS[code] = Check(code, severity, title, function)
        return function

    return register
