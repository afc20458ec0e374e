"""Twenty architects save against the same base revision at once: one wins, nineteen get 409."""

from __future__ import annotations

import copy
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from designer.models import Revision

SAVES = 20


@pytest.mark.django_db(transaction=True)
def test_parallel_saves_leave_exactly_one_new_revision_and_nineteen_conflicts(design, people):
    token = Token.objects.create(user=people["editor"]).key
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
