"""The design checks: ``lint(design, plan)`` runs every registered check and sorts the findings."""

from __future__ import annotations

from ..plan.model import Plan
from ..plan.topology import Topology
from ..spec import Design
from . import addressing, overlay, physical, routing, services  # noqa: F401 - they register checks
from .findings import CHECKS, SEVERITY_ORDER, Check, Context, Finding

__all__ = ["CHECKS", "Check", "Finding", "has_errors", "lint"]


def lint(design: Design, plan: Plan, *, topology: Topology | None = None) -> list[Finding]:
    context = Context(design=design, plan=plan, topo=topology or Topology(design))
    findings: list[Finding] = []
    for check in CHECKS.values():
        for issue in check.run(context):
            findings.append(Finding(code=check.code, severity=issue.severity or check.severity,
                                    message=issue.message, elements=issue.elements, hint=issue.hint))
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.code, f.elements, f.message))
    return findings


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)
