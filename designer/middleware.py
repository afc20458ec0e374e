"""What every request is checked for before a view reads it: the size of its body and the text of its query.

- The one size limit of request bodies: anything larger is refused (413) before a byte of it is parsed. A
  design of 10,000 nodes is about 8 MB of JSON; a body far larger would cost the server many times its size
  in memory to read.
- Query parameters hold text as a design does (``designer.fabric.text``): a NUL or another control character
  in one is refused (400) before a view looks anything up by it (PostgreSQL cannot even compare one).

The API answers in its problems shape, a page with a page saying so.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from designer.fabric.errors import Problem
from designer.fabric.text import FORBIDDEN, character_name

API_PREFIX = "/api/"


class RequestChecks:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        size = _declared_size(request)
        if size > settings.MAX_REQUEST_BYTES:
            return _refusal(request, _too_large(size), 413)
        problem = _query_problem(request)
        if problem is not None:
            return _refusal(request, problem, 400)
        return self.get_response(request)


def _declared_size(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _too_large(size: int) -> Problem:
    limit = settings.MAX_REQUEST_BYTES
    return Problem("", f"the request body is {_megabytes(size)}; this server takes at most {_megabytes(limit)}",
                   "send a smaller design, or ask the administrators to raise WEFT_MAX_REQUEST_MB")


def _query_problem(request: HttpRequest) -> Problem | None:
    """The first query parameter whose name or value holds a character no text here may, as a problem."""
    for name, values in request.GET.lists():
        for text in (name, *values):
            found = FORBIDDEN.search(text)
            if found:
                return Problem(f"?{FORBIDDEN.sub('?', name)}", f"the query holds {character_name(found[0])}",
                               "remove it: names and values are printable text")
    return None


def _refusal(request: HttpRequest, problem: Problem, status: int) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        from designer.api.errors import problems_answer

        return JsonResponse(problems_answer([problem]), status=status)
    return render(request, "designer/refused.html", {"problem": problem}, status=status)


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.1f} MB"
