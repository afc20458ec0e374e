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

from designer.fabric.changes import detail_edit
from designer.fabric.document import check_references, validate
from designer.fabric.elements import KnownElements
from designer.fabric.errors import DesignError
from designer.fabric.pipeline import Compiled, compile_design, recompile
from designer.fabric.plan.kept import KeptInterfaces
from designer.fabric.plan.record import AllocationRecord

from .plans import Drawn, live_plan_payload

DESIGNS_KEPT = 4  # a few designs, each being edited by someone: each keeps a whole plan


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


LIVE_PLANS = LivePlans()
