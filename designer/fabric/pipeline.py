"""One call from a design to its plan and findings, as the CLI, the API and jobs all need it."""

from __future__ import annotations

from dataclasses import dataclass

from .changes import DetailEdit
from .lint import CHECKS, Context, Finding, findings_by_check, has_errors, sorted_findings
from .plan import AllocationRecord, InterfaceSources, Plan, plan_with_sources, replan_details
from .plan.kept import KeptInterfaces
from .plan.topology import Topology
from .plan.wireguard import KeyGen, generate_private_key
from .runtime import gc_paused
from .spec import Design

DETAIL_CHECKS = [check for check in CHECKS.values() if check.details]


@dataclass(slots=True)
class Compiled:
    """A design with its plan and findings."""

    design: Design
    plan: Plan
    findings: list[Finding]
    # what ``recompile`` reuses, when ``compile_design`` was asked to keep it
    kept: Reusable | None = None

    @property
    def has_errors(self) -> bool:
        return has_errors(self.findings)

    @property
    def errors(self) -> list[Finding]:
        """The findings that stop an export or a lab."""
        return [finding for finding in self.findings if finding.severity == "error"]


@dataclass(frozen=True, slots=True)
class Reusable:
    """What a compiled design's plan and checks were made of, for ``recompile`` to start from."""

    topology: Topology
    sources: InterfaceSources
    findings: dict[str, list[Finding]]  # by check
    derived: dict  # what the checks derived from the plan (``lint.Context.cache``)


def compile_design(design: Design, record: AllocationRecord | None = None, *,
                   keygen: KeyGen = generate_private_key, kept: KeptInterfaces | None = None,
                   reusable: bool = False) -> Compiled:
    """Plan and check ``design`` (``kept``: see ``plan``; ``reusable``: keep what ``recompile`` needs)."""
    with gc_paused():
        topology = Topology(design)
        planned, sources = plan_with_sources(design, record, keygen=keygen, topology=topology, kept=kept)
        context = Context(design=design, plan=planned, topo=topology)
        by_check = findings_by_check(context)
        return Compiled(design, planned, sorted_findings(by_check),
                        Reusable(topology, sources, by_check, context.cache) if reusable else None)


def recompile(previous: Compiled, design: Design, edit: DetailEdit) -> Compiled | None:
    """``compile_design(design, record)``, when ``previous`` was compiled with ``reusable`` and the same ``record``
    from a design that ``design`` differs from in ``edit``'s details alone: the plan is made again for the devices
    the edit touched, and so are the findings of the checks that read details; the rest is kept. None when it
    cannot be (plan ``design`` in full)."""
    kept = previous.kept
    if kept is None:
        return None
    if not edit.planned:
        return Compiled(design, previous.plan, previous.findings, kept)
    touched = edit.devices
    with gc_paused():
        topology = kept.topology.after_details(design, set(touched), set(edit.links))
        planned = replan_details(previous.plan, kept.sources, design, topology, touched)
        if planned is None:
            return None
        context = Context(design=design, plan=planned, topo=topology, cache=kept.derived, only=touched)
        by_check = dict(kept.findings)
        for code, found in findings_by_check(context, DETAIL_CHECKS).items():
            # each finding of these names its devices: those of the others stand, the touched ones' are new
            by_check[code] = [*(f for f in kept.findings[code] if touched.isdisjoint(f.elements)),
                              *(f for f in found if not touched.isdisjoint(f.elements))]
        return Compiled(design, planned, sorted_findings(by_check),
                        Reusable(topology, kept.sources, by_check, kept.derived))
