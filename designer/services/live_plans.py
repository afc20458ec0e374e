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
from pydantic import ValidationError

from designer.fabric.document import validate
from designer.fabric.elements import ELEMENT_MODELS, KnownElements
from designer.fabric.pipeline import compile_design
from designer.fabric.plan.kept import KeptInterfaces
from designer.fabric.plan.record import AllocationRecord
from designer.fabric.spec import Position

from .plans import live_plan_payload

ANSWERS_KEPT = 16  # a few designs, each being edited by someone
CANVAS_ONLY = "position"  # where an element sits on the canvas: the compiler ignores it


class LivePlans:
    """Answers of the live plan, and the elements validated for them; one per process is shared by all requests."""

    def __init__(self, answers_kept: int = ANSWERS_KEPT):
        self.elements = KnownElements()
        self.interfaces = KeptInterfaces()
        self.answers = Answers(answers_kept)

    def answer(self, *, document: Any, record: dict[str, Any] | None, record_source: str, tables: bool) -> bytes:
        """The JSON of what ``live_plan_payload`` answers for ``document`` (sent by the canvas; nothing is stored),
        planned with the allocations of ``record`` (the stored revision's the canvas started from, or the
        client's own; ``record_source`` names it in errors), so the canvas shows the addresses and ASNs an
        export of that revision's successor will have."""
        design = validate(document, known=self.elements)
        pinned = AllocationRecord.from_data(record, source=record_source) if record is not None else None
        key = planned_content(document, record, tables)
        answer = self.answers.get(key)
        if answer is None:
            answer = orjson.dumps(live_plan_payload(compile_design(design, pinned, kept=self.interfaces),
                                                    tables=tables))
            self.answers.put(key, answer)
        return answer


class Answers:
    """Whole answers by ``planned_content``, the most recently used kept. Safe to share between threads."""

    def __init__(self, kept: int = ANSWERS_KEPT):
        self.kept = kept
        self._answers: OrderedDict[bytes, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: bytes | None) -> bytes | None:
        if key is None:
            return None
        with self._lock:
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
            return answer

    def put(self, key: bytes | None, answer: bytes) -> None:
        if key is None:
            return
        with self._lock:
            self._answers[key] = answer
            while len(self._answers) > self.kept:
                self._answers.popitem(last=False)


def positions_valid(document: Any) -> bool:
    """Whether every element's canvas position (the one part of a document ``planned_content`` leaves out) is
    one the document's schema takes: then a document with the same planned content has the same answer."""
    if type(document) is not dict:
        return False
    for field in ELEMENT_MODELS:
        items = document.get(field)
        if type(items) is not list:
            continue
        for item in items:
            position = item.get(CANVAS_ONLY) if type(item) is dict else None
            if position is None or _plainly_a_position(position):
                continue
            try:
                Position.model_validate(position)
            except ValidationError:
                return False
    return True


def _plainly_a_position(position: Any) -> bool:
    """``{"x": <number>, "y": <number>}``, as the canvas sends it: a position without asking the model."""
    return (type(position) is dict and len(position) == 2 and type(position.get("x")) in _NUMBERS
            and type(position.get("y")) in _NUMBERS)


_NUMBERS = (int, float)


def planned_content(document: dict[str, Any], record: dict[str, Any] | None, tables: bool) -> bytes | None:
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
