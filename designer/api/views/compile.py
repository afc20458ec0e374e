"""Stateless compiling for the canvas (plan a document sent in the body) and the document's JSON Schema."""

from __future__ import annotations

import time
from functools import cache

import orjson
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.fabric.runtime import gc_paused
from designer.fabric.spec import json_schema
from designer.services.compiling import member_revision_record
from designer.services.live_plans import LIVE_PLANS

from ..parsers import FastJsonParser
from ..serializers import CompileRequestSerializer, LivePlanSerializer
from .designs import BAD_INPUT


class CompilePlanView(APIView):
    """Plans the document in the body and stores nothing (but what speeds the next edit up); ``server_ms`` is the
    time spent on it.

    The answer holds what the canvas draws; the plan tables come only with ``"tables": true``.
    """

    parser_classes = [FastJsonParser]

    @extend_schema(summary="Plan a design document sent in the body (nothing is stored)",
                   request=CompileRequestSerializer,
                   responses={200: LivePlanSerializer, 400: BAD_INPUT,
                              404: OpenApiResponse(description="the revision is not of a design you are a member of")})
    def post(self, request: Request) -> HttpResponse:
        started = time.perf_counter()
        # A 300-node plan is some 100,000 small objects: collections while they are being made would
        # scan them again and again; paused, the collector looks at them once, after the answer is made.
        with gc_paused():
            payload = CompileRequestSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            wanted = payload.validated_data
            pinned = None
            if wanted["revision"] is not None:
                pinned = member_revision_record(revision_id=wanted["revision"], user=request.user)
                if pinned is None:
                    raise NotFound(f"there is no revision {wanted['revision']} in the designs you are a member of")
            # what earlier edits of the same document computed is reused: see live_plans
            answer = {**LIVE_PLANS.answer(document=wanted["document"], record=wanted["record"], pinned=pinned,
                                          tables=wanted["tables"]),
                      "server_ms": round((time.perf_counter() - started) * 1000, 2)}
            body = orjson.dumps(answer)
            planned_ms = answer["server_ms"]
            del answer, payload, wanted
        response = HttpResponse(body, content_type="application/json")
        # server_ms covers reading and planning; the header adds writing the answer and collecting garbage.
        response["Server-Timing"] = (f"plan;dur={planned_ms}, "
                                     f"total;dur={round((time.perf_counter() - started) * 1000, 2)}")
        return response


class DesignSchemaView(APIView):
    """The JSON Schema of design documents, as the canvas inspector and editors read it."""

    permission_classes = [AllowAny]

    @extend_schema(summary="The JSON Schema of a design document", responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        return Response(_schema())


@cache
def _schema() -> dict:
    return json_schema()
