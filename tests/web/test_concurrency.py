"""Architects at once: twenty saves against one base revision (one wins, nineteen get 409), and ten
designs created under the same name (each gets its own slug)."""

from __future__ import annotations

import copy
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from rest_framework.test import APIClient

from designer.models import Design, Revision

from .conftest import api_token

SAVES = 20


@pytest.mark.django_db(transaction=True)
def test_parallel_saves_leave_exactly_one_new_revision_and_nineteen_conflicts(design, people):
    token = api_token(people["editor"])
    base = design.current_revision
    start = threading.Barrier(SAVES, timeout=30)

    def save(index: int):
        document = copy.deepcopy(base.document)
        document["description"] = f"edit {index}"
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        try:
            start.wait()  # all twenty requests leave together
            response = client.post(f"/api/designs/{design.pk}/revisions/",
                                   {"document": document, "message": f"edit {index}", "base_revision": base.pk},
                                   format="json")
            return index, response.status_code, response.json()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=SAVES) as pool:
        results = list(pool.map(save, range(SAVES), timeout=120))

    statuses = sorted(status for _, status, _ in results)
    assert statuses == [201] + [409] * (SAVES - 1), [(s, b) for _, s, b in results if s not in (201, 409)]
    winner_index, _, winner = next(r for r in results if r[1] == 201)
    revisions = Revision.objects.filter(design=design).order_by("number")
    assert [r.number for r in revisions] == [1, 2]
    design.refresh_from_db()
    assert design.current_revision_id == winner["id"]
    # The stored revision is exactly the winner's document: no loser's edit merged into it.
    assert design.current_revision.document["description"] == f"edit {winner_index}"
    assert design.current_revision.message == f"edit {winner_index}"
    for _, status, body in results:
        if status == 409:
            assert body["current_revision"]["id"] == winner["id"]


CREATES = 10


@pytest.mark.django_db(transaction=True)
def test_designs_created_at_once_under_one_name_each_get_their_own_slug(people):
    token = api_token(people["editor"])
    start = threading.Barrier(CREATES, timeout=30)

    def create(index: int):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        try:
            start.wait()  # every request looks for a free slug at the same moment
            response = client.post("/api/designs/", {"name": "Edge", "description": f"pod {index}"}, format="json")
            return response.status_code, response.json()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=CREATES) as pool:
        results = list(pool.map(create, range(CREATES), timeout=120))

    assert [status for status, _ in results] == [201] * CREATES, [body for status, body in results if status != 201]
    slugs = sorted(body["slug"] for _, body in results)
    assert slugs == sorted(["edge", *(f"edge-{n}" for n in range(2, CREATES + 1))])
    created = Design.objects.filter(slug__in=slugs)
    assert sorted(d.description for d in created) == sorted(f"pod {i}" for i in range(CREATES))
    assert all(d.current_revision is not None for d in created)  # no design left half-made
