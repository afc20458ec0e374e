"""The design checks: ``lint(design, plan)`` runs every registered check and sorts the findings."""

from __future__ import annotations

from collections.abc import Iterable

from ..plan.model import Plan
from ..plan.topology import Topology
from ..severity import SEVERITY_ORDER
from ..spec import Design
from . import addressing, overlay, physical, routing, services  # noqa: F401 - they register checks
from .findings import CHECKS, Check, Context, Finding

__all__ = ["CHECKS", "Check", "Context", "Finding", "findings_by_check", "has_errors", "lint", "sorted_findings"]


def lint(design: Design, plan: Plan, *, topology: Topology | None = None) -> list[Finding]:
    return sorted_findings(findings_by_check(Context(design=design, plan=plan, topo=topology or Topology(design))))


def findings_by_check(context: Context, checks: Iterable[Check] | None = None) -> dict[str, list[Finding]]:
    """Check code -> its findings, for ``checks`` (all by default)."""
    out: dict[str, list[Finding]] = {}
    for check in CHECKS.values() if checks is None else checks:
        out[check.code] = [Finding(code=check.code, severity=issue.severity or check.severity,
                                   message=issue.message, elements=issue.elements, hint=issue.hint)
                           for issue in check.run(context)]
    return out


def sorted_findings(by_check: dict[str, list[Finding]]) -> list[Finding]:
    """Every finding, errors first, in an order that does not depend on the checks' order."""
    findings = [finding for found in by_check.values() for finding in found]
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.code, f.elements, f.message))
    return findings


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)
