"""The one size limit of request bodies: anything larger is refused before a byte of it is parsed.

The API answers 413 in its problems shape, a page with a page saying so. A design of 10,000 nodes is about
8 MB of JSON; a body far larger would cost the server many times its size in memory to read.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from designer.fabric.errors import Problem

API_PREFIX = "/api/"


class RequestSizeLimit:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        size = _declared_size(request)
        if size > settings.MAX_REQUEST_BYTES:
            return _refusal(request, size)
        return self.get_response(request)


def _declared_size(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _refusal(request: HttpRequest, size: int) -> HttpResponse:
    limit = settings.MAX_REQUEST_BYTES
    problem = Problem("", f"the request body is {_megabytes(size)}; this server takes at most {_megabytes(limit)}",
                      "send a smaller design, or ask the administrators to raise WEFT_MAX_REQUEST_MB")
    if request.path.startswith(API_PREFIX):
        from designer.api.errors import problems_answer

        return JsonResponse(problems_answer([problem]), status=413)
    return render(request, "designer/refused.html", {"problem": problem}, status=413)


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.1f} MB"
