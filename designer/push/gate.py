"""The one place that decides whether a revision may be pushed; the review gate plugs in here."""

from __future__ import annotations

from dataclasses import dataclass

from designer.models import Design, Revision
from designer.services.access import EXPORT, allows


@dataclass(frozen=True, slots=True)
class PushDecision:
    allowed: bool
    reason: str = ""


def may_push(*, design: Design, revision: Revision, manifest_hash: str, user) -> PushDecision:
    """Whether ``user`` may push ``revision`` of ``design``, whose bundle's manifest hashes to ``manifest_hash``.

    ``design.role`` is the user's role on it (``designs_for`` annotates it). Today: owners and editors may push
    any revision of the design. A review gate adds its rule here (for example: ``manifest_hash`` approved).
    """
    if revision.design_id != design.pk:
        return PushDecision(False, f"revision {revision.number} is not of design '{design.name}'")
    role = getattr(design, "role", None)
    if not allows(role, EXPORT):
        return PushDecision(False, f"your role on design '{design.name}' is {role}; pushing needs editor or above")
    return PushDecision(True)
