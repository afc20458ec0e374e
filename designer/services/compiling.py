"""Compiling stored revisions and sent documents, with the allocations pinned to each revision."""

from __future__ import annotations

from typing import Any

from designer.fabric.document import validate
from designer.fabric.pipeline import Compiled, compile_design
from designer.fabric.plan.record import AllocationRecord
from designer.models import Allocation, Revision


def revision_record(revision: Revision | None) -> AllocationRecord | None:
    """The allocation record ``revision`` was planned with, opened from its seal."""
    if revision is None:
        return None
    data = Allocation.objects.filter(revision=revision).values_list("record", flat=True).first()
    return AllocationRecord.from_data(data) if data is not None else None


def revision_compiled(revision: Revision) -> Compiled:
    """Plan a stored revision with its own allocations, so it yields the same numbers every time."""
    design = validate(revision.document, source=f"revision {revision.number}")
    return compile_design(design, revision_record(revision))


def document_compiled(*, document: Any, record: Any = None, revision: Revision | None = None) -> Compiled:
    """Plan a document sent by a client (the canvas while the architect draws); nothing is stored.

    The allocations stay where ``record`` or the stored ``revision`` put them, so the canvas shows the
    addresses and ASNs an export of that revision's successor will have.
    """
    design = validate(document)
    if revision is not None:
        pinned = revision_record(revision)
    else:
        pinned = AllocationRecord.from_data(record, source="record") if record is not None else None
    return compile_design(design, pinned)
