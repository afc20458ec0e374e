"""Schemathesis generates requests from ``/api/schema/``: no server error, no answer or status outside the schema.

This is the bounded part ``make test`` runs; ``make fuzz`` runs every check, 10,000 cases and more, against
the app served as in production on SQLite and on PostgreSQL (tests/web/fuzz.py)."""

from __future__ import annotations

import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from weft.wsgi import application

from .conftest import api_token

MAX_EXAMPLES = 12  # per operation: enough to reach each kind of answer, short enough for every make test
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance, status_code_conformance]


@pytest.fixture
def wsgi_requests_keep_the_test_connection():
    """As Django's test client does: the test's database connection stays open between requests."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def test_api_answers_within_its_schema_and_never_fails(design, people, wsgi_requests_keep_the_test_connection):
    token = api_token(people["owner"])
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    tried = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def call(case):
            case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)

        call()
        tried.append(operation.label)
    assert "POST /api/designs/{id}/members/" in tried and "POST /api/compile/plan/" in tried


def openapi(client) -> dict:
    return client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def test_what_the_schema_says_a_request_may_be_is_what_the_server_takes(design, client_for):
    api = client_for("owner")
    schema = openapi(api)
    plan = schema["paths"]["/api/designs/{id}/plan/"]["get"]
    (revision,) = [p for p in plan["parameters"] if p["name"] == "revision"]
    assert revision["schema"]["minimum"] == 1
    answer = api.get(f"/api/designs/{design.pk}/plan/", {"revision": -1})
    assert answer.status_code == 400 and answer.json()["problems"][0]["path"] == "revision"

    # The document is described by the design's own schema, so an empty one is bad input by the schema too.
    document = schema["components"]["schemas"]["DesignDocument"]
    assert "name" in document["required"]
    compile_request = schema["components"]["schemas"]["CompileRequestRequest"]
    assert compile_request["properties"]["document"] == {"$ref": "#/components/schemas/DesignDocument"}
    answer = api.post("/api/compile/plan/", {"document": {}}, format="json")
    assert answer.status_code == 400 and answer.json()["problems"][0]["path"] == "name"


def test_every_refusal_an_operation_can_give_is_documented(design, client_for):
    schema = openapi(client_for("owner"))
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            statuses = set(operation["responses"])
            if {} not in operation.get("security", [{}]):
                assert {"401", "403"} <= statuses, (method, path)
            if "{" in path:
                assert "404" in statuses, (method, path)
            if "requestBody" in operation:
                assert {"400", "413", "415"} <= statuses, (method, path)
                assert operation["responses"]["413"]["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/Problems"}


def test_options_answers_every_path_without_a_server_error(design, client_for):
    api = client_for("owner")
    api.raise_request_exception = False
    for path in openapi(api)["paths"]:
        url = re.sub(r"\{[^}]*\}", str(design.pk), path)  # the design's id, or an id that may not exist: no 5xx
        answer = api.options(url)
        assert answer.status_code < 500, (url, answer.content[:200])
        if answer.status_code == 200:
            assert answer.json()["name"]
