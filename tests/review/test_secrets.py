"""No private key in any review answer, diff, page or share-link snapshot; share tokens never stored."""

from __future__ import annotations

import copy
import logging
import zlib

import pytest
from django.test import Client

from designer.review.core.redaction import REDACTED
from designer.review.models import ReviewCache, ReviewNodeCache
from designer.review.services.reviews import review_open
from designer.services.compiling import revision_record
from tests.web.conftest import import_example

from .conftest import save
from .test_shares import _database_text

pytestmark = pytest.mark.django_db


def test_no_private_key_anywhere_a_review_shows_it(people, client_for, caplog):
    mesh = import_example(people["owner"], "wireguard-mesh")
    document = copy.deepcopy(mesh.current_revision.document)
    document["wireguard"][0]["listen_port"] = 51999  # every member's file changes, beside its private key
    save(mesh, document, people["owner"], "another port")
    mesh.refresh_from_db()
    keys = list(revision_record(mesh.current_revision).namespace("wireguard_key").values())
    assert len(keys) >= 3
    review = review_open(design=mesh, author=people["owner"], title="the mesh port")
    caplog.set_level(logging.DEBUG)
    owner = client_for("owner")
    summary = owner.get(f"/api/reviews/{review.pk}/diff/").json()
    nodes = [row["node"] for row in summary["nodes"]]
    assert len(nodes) >= 3
    answers = [owner.get(url) for url in (f"/api/reviews/{review.pk}/", f"/api/reviews/{review.pk}/diff/",
                                          f"/api/reviews/{review.pk}/threads/", f"/api/reviews/{review.pk}/events/",
                                          f"/api/designs/{mesh.pk}/reviews/", f"/api/designs/{mesh.pk}/gate/")]
    answers += [owner.get(f"/api/reviews/{review.pk}/node/", {"node": node}) for node in nodes]
    wg_diffs = [d["unified"] for a in answers[6:] for d in a.json()["files"] if "/etc/wireguard/" in d["path"]]
    assert wg_diffs and all(f"PrivateKey = {REDACTED}" in text for text in wg_diffs)
    share = owner.post(f"/api/designs/{mesh.pk}/shares/", {"review": review.pk, "scope": "comment"}, format="json")
    revision_share = owner.post(f"/api/designs/{mesh.pk}/shares/", {"revision": mesh.current_revision_id},
                                format="json")
    tokens = [share.json()["token"], revision_share.json()["token"]]
    anonymous = Client()
    for token in tokens:
        answers += [anonymous.get(f"/s/{token}/"), anonymous.get(f"/api/shared/{token}/")]
    answers += [anonymous.get(f"/api/shared/{tokens[0]}/node/", {"node": node}) for node in nodes]
    browser = Client()
    browser.force_login(people["owner"])
    answers += [browser.get(f"/reviews/{review.pk}/"), browser.get(f"/designs/{mesh.pk}/reviews/")]
    answers += [browser.get(f"/reviews/{review.pk}/node/", {"node": node}) for node in nodes]

    assert all(answer.status_code == 200 for answer in answers), [a.status_code for a in answers]
    seen = "\n".join(answer.content.decode() for answer in answers) + "\n" + caplog.text
    assert "ciabmesh" in seen  # the mesh is shown, not its keys
    assert [key for key in keys if key in seen] == []
    stored = _database_text()
    assert [token for token in tokens if token in stored] == []
    blobs = [blob for pair in ReviewCache.objects.values_list("summary", "files") for blob in pair]
    blobs += ReviewNodeCache.objects.values_list("data", flat=True)
    cached = [zlib.decompress(bytes(blob)).decode() for blob in blobs]
    assert len(cached) > len(nodes) and any("wireguard" in text for text in cached)
    assert [key for key in keys if any(key in text for text in cached)] == []
