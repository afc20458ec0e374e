"""The canvas's live plan, computed by planner processes beside each server process.

Planning is pure Python: in the server's own interpreter a 300-node plan holds the interpreter lock for
some 50 ms, and every other request of that process waits behind it. The compiler needs no Django, so a
planner process (spawned, never forked from a threaded server) plans the document and hands back the
answer as JSON, while the request's thread waits with the lock released.

This module is imported by the planner processes too: nothing here may import Django at load time.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import orjson

from designer.fabric.runtime import gc_paused

from .live_plans import LIVE_PLANS, Answers, planned_content, positions_valid


class PlannerLost(Exception):
    """The planner process stopped in the middle of a plan (out of memory, or killed); the next plan starts
    a new one."""


def live_plan_json(*, body: bytes, document: Any, record: dict[str, Any] | None, record_source: str,
                   tables: bool) -> bytes:
    """The live plan of ``document`` (the one in ``body``, the request's JSON, as the server parsed it) with
    ``record``'s allocations kept, as JSON; a bad document raises DesignError naming every problem, as planning
    in this process would.

    A document whose planned content this process has answered already, and whose positions are sound (a
    drag), is answered here from the answers kept: no planner is asked. Anything else goes to a planner.
    """
    key = planned_content(document, record, tables)
    answer = _answered.get(key)
    if answer is None or not positions_valid(document):  # positions are looked at only for an answer kept
        answer = _planned(body, record, record_source, tables)
        _answered.put(key, answer)
    return answer


def _planned(body: bytes, record: dict[str, Any] | None, record_source: str, tables: bool) -> bytes:
    call = (plan_as_json, body, record, record_source, tables)
    try:
        return _planners.submit(*call).result()
    except BrokenProcessPool:
        # A planner killed while idle breaks the pool only once its manager notices, which may be after this
        # plan was handed to it: the plan goes once more to new planners (``submit`` replaces broken ones).
        pass
    try:
        return _planners.submit(*call).result()
    except BrokenProcessPool:  # it stopped a planner twice: this design's doing
        raise PlannerLost("the planner stopped while planning this design (out of memory?); "
                          "send it again, or plan a smaller part of it") from None


def plan_as_json(body: bytes, record: dict[str, Any] | None, record_source: str, tables: bool) -> bytes:
    """In a planner process: read the document from the request body, plan it, answer what the canvas draws.

    What the planner's earlier plans computed and this edit left as it was is reused (``live_plans``). The
    server's JSON parser checked the body's text already (``designer.api.parsers``).
    """
    # A plan is some 100,000 small objects and no cycles: the collector would scan them again and again.
    with gc_paused():
        return LIVE_PLANS.answer(document=orjson.loads(body)["document"], record=record, record_source=record_source,
                                 tables=tables, text_checked=True)


def _planner_started() -> None:
    """In a new planner process: end it when its server process ends, however that goes.

    A server killed outright never shuts its pool down, and its planners would wait for work for ever,
    each holding its plans' memory. The parent's sentinel becomes ready the moment the parent is gone.
    """
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent,), name="planner-parent-watch", daemon=True).start()


def _exit_with(parent) -> None:
    parent.join()
    os._exit(0)


class _PlannerPool:
    """This server process's planners, started with the first plan, and again when they were lost."""

    def __init__(self) -> None:
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def submit(self, *call) -> Future:
        """``call`` handed to a planner; one that died idle (killed, say) is replaced first, unnoticed."""
        with self._lock:
            for _ in range(2):
                if self._executor is None:
                    from django.conf import settings

                    self._executor = ProcessPoolExecutor(max_workers=settings.PLANNER_PROCESSES,
                                                         mp_context=multiprocessing.get_context("spawn"),
                                                         initializer=_planner_started)
                try:
                    return self._executor.submit(*call)
                except BrokenProcessPool:
                    self._drop()
            raise PlannerLost("no planner process could be started; the server log may say why")

    def _drop(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = None


_planners = _PlannerPool()
_answered = Answers()  # this server process's: a drag is answered without a planner
