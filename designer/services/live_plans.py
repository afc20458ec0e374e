"""The canvas's live plan, without redoing what the edits since the last answer left as it was.

The canvas sends its whole working document after every edit, and a planner process (``live``) plans it.
Each planner keeps, for the documents it planned last:

- every element it validated (a device, a link, a network, ...), by its exact JSON: only the elements an
  edit changed are validated again (``designer.fabric.elements``);
- every device's planned interfaces, by everything they are planned from: only the devices an edit
  reaches are planned again (``designer.fabric.plan.kept``);
- whole answers, by everything in the document the plan reads (all of it but where elements sit on the
  canvas), the allocations pinned and whether the tables were asked for: dragging an element, the most
  frequent edit, is answered without planning.

The document is always validated, so a bad one is refused as before; an answer is always the one a full
plan of the same document gives (``tests/web/test_live_plans.py`` compares them on random edit sequences).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Any

import orjson

from designer.fabric.document import validate
from designer.fabric.elements import ELEMENT_MODELS, KnownElements
from designer.fabric.pipeline import compile_design
from designer.fabric.plan.kept import KeptInterfaces
from designer.fabric.plan.record import AllocationRecord

from .plans import live_plan_payload

ANSWERS_KEPT = 16  # a few designs, each being edited by someone
CANVAS_ONLY = "position"  # where an element sits on the canvas: the compiler ignores it


class LivePlans:
    """Answers of the live plan, and the elements validated for them; one per process is shared by all requests."""

    def __init__(self, answers_kept: int = ANSWERS_KEPT):
        self.elements = KnownElements()
        self.interfaces = KeptInterfaces()
        self.answers_kept = answers_kept
        self._answers: OrderedDict[bytes, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def answer(self, *, document: Any, record: dict[str, Any] | None, record_source: str, tables: bool) -> bytes:
        """The JSON of what ``live_plan_payload`` answers for ``document`` (sent by the canvas; nothing is stored),
        planned with the allocations of ``record`` (the stored revision's the canvas started from, or the
        client's own; ``record_source`` names it in errors), so the canvas shows the addresses and ASNs an
        export of that revision's successor will have."""
        design = validate(document, known=self.elements)
        pinned = AllocationRecord.from_data(record, source=record_source) if record is not None else None
        key = _planned_content(document, record, tables)
        with self._lock:
            answer = self._answers.get(key) if key is not None else None
            if answer is not None:
                self._answers.move_to_end(key)
                return answer
        answer = orjson.dumps(live_plan_payload(compile_design(design, pinned, kept=self.interfaces), tables=tables))
        if key is None:
            return answer
        with self._lock:
            self._answers[key] = answer
            while len(self._answers) > self.answers_kept:
                self._answers.popitem(last=False)
        return answer


def _planned_content(document: dict[str, Any], record: dict[str, Any] | None, tables: bool) -> bytes | None:
    """A digest of what the answer depends on: the document less canvas positions, the allocations, the tables
    (None for a document that is not plain JSON: it is planned every time)."""
    content = {field: value for field, value in document.items() if field not in ELEMENT_MODELS}
    for field in ELEMENT_MODELS:
        items = document.get(field)
        if type(items) is list:
            content[field] = [{k: v for k, v in item.items() if k != CANVAS_ONLY} if type(item) is dict else item
                              for item in items]
    try:
        encoded = orjson.dumps([content, record, tables])
    except (orjson.JSONEncodeError, TypeError):
        return None
    return hashlib.sha256(encoded).digest()


LIVE_PLANS = LivePlans()
