"""How refusals read over the API: bad input as ``{"problems": [{path, message, hint}]}``, conflicts as 409."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from designer.fabric.errors import DesignError
from designer.push.runs import PushRefused
from designer.review.services.errors import GateClosed, ReviewRefused
from designer.services.errors import StaleRevision


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, DesignError):
        return Response({"problems": [problem.as_dict() for problem in exc.problems]},
                        status=status.HTTP_400_BAD_REQUEST)
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
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        response.data = {"problems": list(_problems(exc.detail, ""))}
    return response


def _problems(detail: Any, path: str):
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
