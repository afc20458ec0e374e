"""How refusals read over the API: bad input as ``{"problems": [{path, message, hint}], "more": n}``, whatever
refused it (a parser, a serializer, the compiler, the size limit); conflicts as 409."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.core.exceptions import SuspiciousOperation
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from designer.fabric.errors import DesignError, Problem
from designer.push.runs import PushRefused
from designer.review.services.errors import GateClosed, ReviewRefused
from designer.services.errors import StaleRevision

MOST_SHOWN = DesignError.MOST_SHOWN


def problems_answer(problems: Iterable[Problem | dict[str, str]], more: int = 0) -> dict[str, Any]:
    """The problems shape, with at most MOST_SHOWN problems and ``more`` saying how many others there were."""
    shown: list[dict[str, str]] = []
    for problem in problems:
        if len(shown) == MOST_SHOWN:
            more += 1
            continue
        shown.append(problem.as_dict() if isinstance(problem, Problem) else problem)
    return {"problems": shown, "more": more}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, DesignError):
        return Response(problems_answer(exc.problems, exc.more), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, StaleRevision):
        from .serializers import RevisionDetailSerializer

        current = RevisionDetailSerializer(exc.current).data if exc.current is not None else None
        return Response({"detail": str(exc), "current_revision": current}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, PushRefused):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, GateClosed):
        return Response({"detail": str(exc), "review": exc.review_id}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ReviewRefused):
        return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, SuspiciousOperation):  # a body Django's own parsing refuses: too many fields or files
        exc = exceptions.ParseError(str(exc) or "the request body cannot be read")
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = problems_answer(_problems(exc.detail, ""))
    elif isinstance(exc, exceptions.ParseError):
        response.data = problems_answer([Problem("", str(exc.detail), "send the body as the content type it names")])
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        response.data = problems_answer([Problem("", str(exc.detail), "/api/docs/ lists what each endpoint takes")])
    return response


def _problems(detail: Any, path: str) -> Iterator[dict[str, str]]:
    """DRF's nested error detail flattened into problems with paths such as ``node`` or ``members[2]``."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            part = "" if key in ("non_field_errors", "detail") else str(key)
            yield from _problems(value, f"{path}.{part}" if path and part else path or part)
    elif isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            for message in detail:
                yield {"path": path, "message": str(message), "hint": ""}
        else:
            for index, item in enumerate(detail):
                yield from _problems(item, f"{path}[{index}]")
    else:
        yield {"path": path, "message": str(detail), "hint": ""}
