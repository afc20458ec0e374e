"""Schemathesis on the review endpoints, with real ids in their paths: no server error, answers in schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from designer.review.services.shares import share_create
from tests.web.conftest import api_token
from tests.web.test_schema import wsgi_requests_keep_the_test_connection  # noqa: F401 - a fixture
from weft.wsgi import application

MAX_EXAMPLES = 8  # per operation
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
REVIEW_PATHS = ("/api/reviews/", "/review-", "/gate/", "/shares/", "/shared/", "/reviews/", "/compare/")


@pytest.mark.django_db(transaction=False)
def test_review_api_never_fails(review, people, wsgi_requests_keep_the_test_connection):  # noqa: F811
    token = api_token(people["owner"])
    _, share_token = share_create(design=review.design, user=people["owner"], scope="comment", days=1,
                                     review=review)
    real = {"design_pk": review.design_id, "review_pk": review.pk, "token": share_token}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    mine = [op for op in operations if any(part in op.path for part in REVIEW_PATHS)]
    assert len(mine) >= 20, [op.label for op in mine]
    for operation in mine:
        # Most generated ids name nothing (404); the real ones reach the code behind them.
        ids = {**real, "id": review.pk} if operation.path.startswith("/api/reviews/{id}/") else real
        _caller(operation, ids, token)()


def _caller(operation, ids: dict, token: str):
    @given(case=operation.as_strategy())
    @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def call(case):
        for name in case.path_parameters or {}:
            if name in ids:
                case.path_parameters[name] = ids[name]
        case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)

    return call
