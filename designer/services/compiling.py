"""Compiling stored revisions and sent documents, with the allocations pinned to each revision."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from designer.fabric.document import validate
from designer.fabric.pipeline import Compiled, compile_design
from designer.fabric.plan.record import AllocationRecord
from designer.models import Allocation, Revision

from .access import designs_for


def _opened(allocations: QuerySet[Allocation]) -> AllocationRecord | None:
    data = allocations.values_list("record", flat=True).first()
    return AllocationRecord.from_data(data) if data is not None else None


def revision_record(revision: Revision | None) -> AllocationRecord | None:
    """The allocation record ``revision`` was planned with, opened from its seal; read with the revision when
    the caller selected it so (``select_related("allocation")``), else now."""
    if revision is None:
        return None
    if Revision.allocation.is_cached(revision):
        return AllocationRecord.from_data(revision.allocation.record)
    return _opened(Allocation.objects.filter(revision=revision))


def member_revision_allocations(*, revision_id: int, user) -> dict[str, Any] | None:
    """The allocation record of revision ``revision_id`` as plain data, or None unless it is of a design
    ``user`` is a member of. One query, and the revision's document is never read: the canvas sends this with
    every edit."""
    allocations = Allocation.objects.filter(revision_id=revision_id, revision__design__in=designs_for(user))
    return allocations.values_list("record", flat=True).first()


def revision_compiled(revision: Revision) -> Compiled:
    """Plan a stored revision with its own allocations, so it yields the same numbers every time."""
    design = validate(revision.document, source=f"revision {revision.number}")
    return compile_design(design, revision_record(revision))

