"""Stateless compiling for the canvas (plan a document sent in the body) and the document's JSON Schema."""

from __future__ import annotations

import time
from functools import cache

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import APIException, NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.fabric.spec import json_schema
from designer.services.compiling import member_revision_allocations
from designer.services.live import PlannerLost, live_plan_json

from ..parsers import JsonParser
from ..serializers import CompileRequestSerializer, LivePlanSerializer
from .designs import BAD_INPUT


class PlannerUnavailable(APIException):
    status_code = 503


class CompilePlanView(APIView):
    """Plans the document in the body and stores nothing; ``server_ms`` is the time spent on it.

    The answer holds what the canvas draws; the plan tables come only with ``"tables": true``. The plan is
    made by a planner process (``designer.services.live``), so this server process goes on answering others.
    """

    parser_classes = [JsonParser]

    @extend_schema(summary="Plan a design document sent in the body (nothing is stored)",
                   request=CompileRequestSerializer,
                   responses={200: LivePlanSerializer, 400: BAD_INPUT,
                              404: OpenApiResponse(description="the revision is not of a design you are a member of")})
    def post(self, request: Request) -> HttpResponse:
        started = time.perf_counter()
        payload = CompileRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        wanted = payload.validated_data
        record, source = wanted["record"], "record"  # a record the client sent is named as its field
        if wanted["revision"] is not None:
            record = member_revision_allocations(revision_id=wanted["revision"], user=request.user)
            source = f"the allocation record of revision {wanted['revision']}"
            if record is None:
                raise NotFound(f"there is no revision {wanted['revision']} in the designs you are a member of")
        try:
            planned = live_plan_json(body=request.body, document=request.data["document"], record=record,
                                     record_source=source, tables=wanted["tables"])
        except PlannerLost as exc:
            raise PlannerUnavailable(str(exc)) from None
        server_ms = round((time.perf_counter() - started) * 1000, 2)
        # The planner's answer is a JSON object: the time it took goes in as its first member.
        response = HttpResponse(b'{"server_ms":%s,%s' % (str(server_ms).encode(), planned[1:]),
                                content_type="application/json")
        response["Server-Timing"] = f"plan;dur={server_ms}"
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
