"""Every design check fires on a design that has its mistake and stays quiet on its near twin."""

from __future__ import annotations

import pytest

from designer.fabric.lint import CHECKS
from tests.lint.cases import addressing, overlay, physical, routing, services
from tests.lint.conftest import BASES, Case, lint_findings

CASES: list[Case] = [*physical.CASES, *addressing.CASES, *overlay.CASES, *routing.CASES, *services.CASES]


def test_every_registered_check_has_a_case():
    codes = [case.code for case in CASES]
    assert len(codes) == len(set(codes))
    assert set(codes) == set(CHECKS)


@pytest.mark.parametrize("base", BASES)
def test_base_designs_have_no_findings(base):
    assert lint_findings(BASES[base]()) == []


@pytest.mark.parametrize("case", CASES, ids=str)
def test_fires(case: Case):
    found = [f for f in lint_findings(case.trigger(), case.record) if f.code == case.code]
    assert [f.elements for f in found if f.elements == case.elements] == [case.elements], found
    finding = next(f for f in found if f.elements == case.elements)
    assert finding.severity == case.severity == CHECKS[case.code].severity
    for word in case.mentions:
        assert word in finding.message
    assert finding.hint


@pytest.mark.parametrize("case", CASES, ids=str)
def test_stays_quiet(case: Case):
    assert [f for f in lint_findings(case.fine(), case.record) if f.code == case.code] == []
