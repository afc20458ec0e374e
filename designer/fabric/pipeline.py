"""One call from a design to its plan and findings, as the CLI, the API and jobs all need it."""

from __future__ import annotations

from dataclasses import dataclass

from .lint import Finding, has_errors, lint
from .plan import AllocationRecord, Plan, plan
from .plan.kept import KeptInterfaces
from .plan.topology import Topology
from .plan.wireguard import KeyGen, generate_private_key
from .runtime import gc_paused
from .spec import Design


@dataclass(slots=True)
class Compiled:
    """A design with its plan and findings."""

    design: Design
    plan: Plan
    findings: list[Finding]

    @property
    def has_errors(self) -> bool:
        return has_errors(self.findings)

    @property
    def errors(self) -> list[Finding]:
        """The findings that stop an export or a lab."""
        return [finding for finding in self.findings if finding.severity == "error"]


def compile_design(design: Design, record: AllocationRecord | None = None, *,
                   keygen: KeyGen = generate_private_key, kept: KeptInterfaces | None = None) -> Compiled:
    """Plan and check ``design`` (``kept``: see ``plan``)."""
    with gc_paused():
        topology = Topology(design)
        planned = plan(design, record, keygen=keygen, topology=topology, kept=kept)
        return Compiled(design, planned, lint(design, planned, topology=topology))
