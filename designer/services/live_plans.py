"""The canvas's live plan, without redoing what the edits since the last answer left as it was.

The canvas sends its whole working document after every edit, and a planner process (``live``) plans it.
Each planner keeps, for the documents it planned last:

- every element it validated (a device, a link, a network, ...), by its exact JSON: only the elements an
  edit changed are validated again (``designer.fabric.elements``);
- the last compiled plan of each design (by its name and the allocations pinned), with what it was made of:
  after an edit of details alone (an element dragged, an MTU, a speed; ``designer.fabric.changes``) only the
  devices the edit touched are planned again, and only the checks that read such details run again
  (``designer.fabric.pipeline.recompile``); dragging an element, the most frequent edit, is answered without
  planning at all;
- every device's planned interfaces, by everything they are planned from: after any other edit only the
  devices it reaches are planned again (``designer.fabric.plan.kept``);
- what its answers drew of each device and link (``plans.Drawn``).

In front of the planners, each server process keeps whole answers by everything in the document the plan
reads (all of it but where elements sit on the canvas), the allocations and whether the tables were asked
for (``Answers``, ``planned_content``): a drag whose positions are sound is answered there, with no planner.

The document is always validated, so a bad one is refused as before; an answer is always the one a full
plan of the same document gives (``tests/web/test_live_plans.py`` compares them on random edit sequences).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import orjson
from pydantic import ValidationError

from designer.fabric.changes import detail_edit
from designer.fabric.document import check_references, validate
from designer.fabric.elements import ELEMENT_MODELS, KnownElements
from designer.fabric.errors import DesignError
from designer.fabric.pipeline import Compiled, compile_design, recompile
from designer.fabric.plan.kept import KeptInterfaces
from designer.fabric.plan.record import AllocationRecord
from designer.fabric.spec import Position

from .plans import Drawn, live_plan_payload

DESIGNS_KEPT = 4  # a few designs, each being edited by someone: each keeps a whole plan
ANSWERS_KEPT = 16  # whole answers a server process keeps
CANVAS_ONLY = "position"  # where an element sits on the canvas: the compiler ignores it


@dataclass(slots=True)
class _Planned:
    """A design's last plan, and the answers given from it (by whether the tables were asked for)."""

    compiled: Compiled
    drawn: Drawn
    answers: dict[bool, bytes] = field(default_factory=dict)


class LivePlans:
    """Answers of the live plan, and what they were made of; one per process is shared by all requests."""

    def __init__(self, designs_kept: int = DESIGNS_KEPT):
        self.elements = KnownElements()
        self.interfaces = KeptInterfaces()
        self.designs_kept = designs_kept
        self._planned: OrderedDict[tuple[str, bytes], _Planned] = OrderedDict()
        self._lock = threading.Lock()

    def answer(self, *, document: Any, record: dict[str, Any] | None, record_source: str, tables: bool,
               text_checked: bool = False) -> bytes:
        """The JSON of what ``live_plan_payload`` answers for ``document`` (sent by the canvas; nothing is stored),
        planned with the allocations of ``record`` (the stored revision's the canvas started from, or the
        client's own; ``record_source`` names it in errors), so the canvas shows the addresses and ASNs an
        export of that revision's successor will have. ``text_checked``: as ``validate`` takes it."""
        design = validate(document, known=self.elements, text_checked=text_checked, references=False)
        pinned = AllocationRecord.from_data(record, source=record_source) if record is not None else None
        key = (design.name, _digest(record))
        with self._lock:
            before = self._planned.get(key)
            if before is not None:
                self._planned.move_to_end(key)
        edit = detail_edit(before.compiled.design, design) if before is not None else None
        if edit is None:
            problems = check_references(design)
            if problems:
                raise DesignError(problems)
            compiled, drawn, answers = None, before.drawn if before is not None else Drawn(), {}
        else:
            compiled, drawn = recompile(before.compiled, design, edit), before.drawn
            answers = {} if edit.planned else before.answers
        if compiled is None:
            compiled = compile_design(design, pinned, kept=self.interfaces, reusable=True)
        answer = answers.get(tables)
        if answer is None:
            answer = orjson.dumps(live_plan_payload(compiled, tables=tables, drawn=drawn))
        with self._lock:
            self._planned[key] = _Planned(compiled, drawn, {**answers, tables: answer})
            self._planned.move_to_end(key)
            while len(self._planned) > self.designs_kept:
                self._planned.popitem(last=False)
        return answer


def _digest(record: dict[str, Any] | None) -> bytes:
    """The allocations pinned, as a key: a plan is reused only for the same ones."""
    return hashlib.sha256(orjson.dumps(record, option=orjson.OPT_SORT_KEYS)).digest()


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
    for collection in ELEMENT_MODELS:
        items = document.get(collection)
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
    (None for a document that is not plain JSON: it is planned every time).

    The positions are set aside while the document is encoded and put back after (last among their element's
    keys): copying every element without its position cost more than encoding the whole document.
    """
    set_aside = []
    for collection in ELEMENT_MODELS:
        items = document.get(collection)
        if type(items) is list:
            set_aside += [(item, item.pop(CANVAS_ONLY)) for item in items if type(item) is dict and CANVAS_ONLY in item]
    try:
        encoded = orjson.dumps([document, record, tables])
    except (orjson.JSONEncodeError, TypeError):
        return None
    finally:
        for item, position in set_aside:
            item[CANVAS_ONLY] = position
    return hashlib.sha256(encoded).digest()


LIVE_PLANS = LivePlans()
