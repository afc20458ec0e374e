"""A shared base for endpoint tests, as NetBox has: one subclass per endpoint gets the success, role,
membership, anonymous and bad-input tests, each checking what a caller would notice."""

from __future__ import annotations

from typing import Any

import pytest

from designer.models import Design, Export, Job, Membership, Revision
from designer.models.choices import Role

from .conftest import ROLES


def stored_state() -> tuple:
    """Everything an API call could store, to prove that a refused call stored nothing."""
    return (tuple(Design.objects.order_by("pk").values_list("pk", "name", "description", "current_revision_id")),
            Revision.objects.count(), Membership.objects.count(), Job.objects.count(), Export.objects.count())


class EndpointTests:
    """Subclasses set ``method``, ``least_role``, ``success_status``, ``url()``, ``body()`` and
    ``bad_inputs`` (body, or query of a GET; the path the answer must name)."""

    method = "get"
    least_role: str = Role.VIEWER
    success_status = 200
    bad_inputs: list[tuple[Any, str]] = []

    def url(self, design: Design) -> str:
        """The endpoint's URL; it may first make what the endpoint reads (a job, an export)."""
        raise NotImplementedError

    def body(self, design: Design) -> Any:
        return None

    def check_success(self, response, design: Design) -> None:
        """Subclasses assert on what the caller got back."""

    def call(self, client, url: str, design: Design, body: Any = None):
        if self.method == "delete":
            return client.delete(url)
        if self.method == "get":  # a GET's input is its query
            return client.get(url, body or {})
        return getattr(client, self.method)(url, body if body is not None else self.body(design), format="json")

    def test_least_role_succeeds(self, design, client_for):
        response = self.call(client_for(self.least_role), self.url(design), design)
        assert response.status_code == self.success_status, getattr(response, "data", response)
        self.check_success(response, design)

    def test_role_below_is_refused_and_nothing_stored(self, design, client_for):
        rank = ROLES.index(self.least_role)
        if rank == 0:
            pytest.skip("every member may do this: no role is below it")
        url = self.url(design)
        before = stored_state()
        response = self.call(client_for(ROLES[rank - 1]), url, design)
        assert response.status_code == 403
        assert f"needs {self.least_role}" in response.data["detail"]
        assert stored_state() == before

    def test_non_member_gets_404_not_403(self, design, client_for):
        url = self.url(design)
        before = stored_state()
        response = self.call(client_for("outsider"), url, design)
        assert response.status_code == 404
        assert design.name not in response.content.decode()
        assert stored_state() == before

    def test_anonymous_caller_must_authenticate(self, design, client_for):
        response = self.call(client_for(None), self.url(design), design)
        assert response.status_code == 401

    def test_bad_input_names_the_path_and_stores_nothing(self, design, client_for):
        if not self.bad_inputs:
            pytest.skip("the endpoint takes no input")
        for body, path in self.bad_inputs:
            url = self.url(design)
            before = stored_state()
            response = self.call(client_for(self.least_role), url, design, body)
            assert response.status_code == 400, (body, response.data)
            assert path in [problem["path"] for problem in response.data["problems"]], response.data
            assert all(problem["message"] for problem in response.data["problems"])
            assert stored_state() == before
