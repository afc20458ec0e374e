"""Schemathesis generates requests from ``/api/schema/``: no server error, no answer outside the schema."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from weft.wsgi import application

from .conftest import api_token

MAX_EXAMPLES = 12  # per operation: enough to reach each kind of answer, short enough for every make test
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


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
