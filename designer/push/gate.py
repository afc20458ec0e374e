"""The one place that decides whether a revision may be pushed; the review gate plugs in here."""

from __future__ import annotations

from dataclasses import dataclass

from designer.models import Design, Revision
from designer.review.choices import Purpose
from designer.review.services.gate import gate_decide
from designer.services.access import EXPORT, allows


@dataclass(frozen=True, slots=True)
class PushDecision:
    allowed: bool
    reason: str = ""


def may_push(*, design: Design, revision: Revision, manifest_hash: str, user) -> PushDecision:
    """Whether ``user`` may push ``revision`` of ``design``, whose bundle's manifest hashes to ``manifest_hash``.

    ``design.role`` is the user's role on it (``designs_for`` annotates it). Owners and editors may push a
    revision whose bytes (``manifest_hash``) an approved review approved, or for which an owner broke the glass.
    """
    if revision.design_id != design.pk:
        return PushDecision(False, f"revision {revision.number} is not of design '{design.name}'")
    role = getattr(design, "role", None)
    if not allows(role, EXPORT):
        return PushDecision(False, f"your role on design '{design.name}' is {role}; pushing needs editor or above")
    gate = gate_decide(design=design, revision=revision, manifest=manifest_hash, purpose=Purpose.PUSH)
    return PushDecision(gate.open, "" if gate.open else gate.reason)
