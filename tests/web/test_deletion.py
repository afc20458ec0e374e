"""A design read while it is being deleted: the reader gets it whole (200) or not at all (404), never 500."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from django.db import connection
from django.test import Client

from designer.models import PushRun
from designer.models.choices import Role

from .conftest import import_example

ROUNDS = 30
READERS = 3
ROUND_SECONDS = 10  # a round that is still reading after this is stuck, not slow
URLS = ["/api/designs/{design}/", "/api/designs/{design}/plan/", "/api/designs/{design}/lint/",
        "/api/designs/{design}/revisions/{revision}/", "/api/designs/{design}/diagrams/physical.dot",
        "/designs/{design}/plan/"]


@pytest.mark.django_db(transaction=True)
def test_reading_a_design_while_it_is_deleted_answers_200_or_404_never_500(people, client_for):
    owner = people[Role.OWNER]
    api = client_for("owner")
    seen: Counter[tuple[str, int]] = Counter()
    for round_number in range(ROUNDS):
        design = import_example(owner, "proxmox-evpn")
        urls = [url.format(design=design.pk, revision=design.current_revision_id) for url in URLS]
        deleted = threading.Event()
        errors: list[BaseException] = []

        def read(urls=urls, deleted=deleted, errors=errors) -> None:
            browser = Client(raise_request_exception=False)
            browser.force_login(owner)
            reader = client_for("owner")
            reader.raise_request_exception = False
            deadline = time.monotonic() + ROUND_SECONDS
            try:
                while time.monotonic() < deadline:
                    for url in urls:
                        status = (browser if url.startswith("/designs/") else reader).get(url).status_code
                        seen[url, status] += 1
                    if deleted.is_set():
                        return
            except BaseException as exc:  # told to the test below
                errors.append(exc)
            finally:
                connection.close()

        readers = [threading.Thread(target=read) for _ in range(READERS)]
        for reader in readers:
            reader.start()
        time.sleep(0.01 * (round_number % 5))  # the deletion lands at a different moment of the readers' rounds
        assert api.delete(f"/api/designs/{design.pk}/").status_code == 204
        deleted.set()
        for reader in readers:
            reader.join(timeout=ROUND_SECONDS * 2)
        assert not any(reader.is_alive() for reader in readers) and not errors, errors
    statuses = Counter(status for (_, status), count in seen.items() for _ in range(count))
    assert set(statuses) <= {200, 404}, [(url, status) for url, status in seen if status not in (200, 404)]
    assert statuses[200] > ROUNDS and statuses[404] > ROUNDS, statuses


def test_a_design_that_was_pushed_is_deleted_with_its_push_runs(design, client_for):
    api = client_for("owner")
    PushRun.objects.create(design=design, revision=design.current_revision, started_by=design.owner)
    assert api.delete(f"/api/designs/{design.pk}/").status_code == 204
    assert not PushRun.objects.filter(design_id=design.pk).exists()
    assert api.get(f"/api/designs/{design.pk}/").status_code == 404
