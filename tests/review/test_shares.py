"""Share links: only a hash stored, at most 30 days, 404 once expired or revoked, view scope cannot comment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from designer.review.models import ShareLink, ShareOpening, Thread

pytestmark = pytest.mark.django_db


def _share(client, review, **body):
    answer = client.post(f"/api/designs/{review.design_id}/shares/", {"review": review.pk, **body}, format="json")
    assert answer.status_code == 201, answer.data
    return answer.data


def _database_text() -> str:
    """Every text column of every table, as one string: what a stolen backup would show."""
    out = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the database itself
            out += [str(value) for row in cursor.fetchall() for value in row]
    return "\n".join(out)


def test_a_share_link_opens_a_snapshot_and_only_its_hash_is_stored(review, client_for):
    made = _share(client_for("editor"), review, scope="view", days=3)
    token = made["token"]
    assert made["url"].endswith(f"/s/{token}/") and made["state"] == "live"
    assert token not in _database_text()
    assert ShareLink.objects.get(pk=made["id"]).token_hash != token
    anonymous = Client()
    page = anonymous.get(f"/s/{token}/")
    assert page.status_code == 200 and "tenant-b and a leaf port" in page.content.decode()
    snapshot = anonymous.get(f"/api/shared/{token}/")
    assert snapshot.status_code == 200 and snapshot.json()["kind"] == "review"
    assert anonymous.get(f"/api/shared/{token}/node/", {"node": "pve1"}).status_code == 200
    assert ShareOpening.objects.filter(link_id=made["id"]).count() == 3
    listed = client_for("viewer").get(f"/api/designs/{review.design_id}/shares/").json()["results"]
    assert listed[0]["openings"] == 3 and "token" not in listed[0]


def test_an_expired_or_revoked_link_answers_404(review, client_for):
    editor = client_for("editor")
    expired, revoked = _share(editor, review), _share(editor, review)
    ShareLink.objects.filter(pk=expired["id"]).update(expires=timezone.now() - timedelta(seconds=1))
    assert editor.delete(f"/api/designs/{review.design_id}/shares/{revoked['id']}/").json()["state"] == "revoked"
    anonymous = Client()
    for made in (expired, revoked):
        assert anonymous.get(f"/s/{made['token']}/").status_code == 404
        assert anonymous.get(f"/api/shared/{made['token']}/").status_code == 404
        assert anonymous.post(f"/api/shared/{made['token']}/comments/", {"name": "x", "kind": "review", "body": "x"},
                              content_type="application/json").status_code == 404
    assert anonymous.get("/api/shared/not-a-token/").status_code == 404


def test_a_view_link_cannot_comment_and_a_comment_link_can(review, client_for):
    editor = client_for("editor")
    view, comment = _share(editor, review, scope="view"), _share(editor, review, scope="comment")
    body = {"name": "Ana from the NOC", "kind": "node", "anchor": {"node": "leaf1"}, "body": "Which window?"}
    anonymous = Client()
    refused = anonymous.post(f"/api/shared/{view['token']}/comments/", body, content_type="application/json")
    assert refused.status_code == 403 and Thread.objects.count() == 0
    made = anonymous.post(f"/api/shared/{comment['token']}/comments/", body, content_type="application/json")
    assert made.status_code == 201
    thread = Thread.objects.get()
    assert thread.comments.get().guest == "Ana from the NOC" and thread.comments.get().author is None


def test_a_link_lasts_at_most_30_days_and_names_one_target(review, client_for):
    editor = client_for("editor")
    too_long = editor.post(f"/api/designs/{review.design_id}/shares/", {"review": review.pk, "days": 31},
                           format="json")
    assert too_long.status_code == 400 and too_long.data["problems"][0]["path"] == "days"
    neither = editor.post(f"/api/designs/{review.design_id}/shares/", {}, format="json")
    assert neither.status_code == 400
    assert client_for("reviewer").post(f"/api/designs/{review.design_id}/shares/", {"review": review.pk},
                                       format="json").status_code == 403
    revision = editor.post(f"/api/designs/{review.design_id}/shares/", {"revision": review.head_id}, format="json")
    assert revision.status_code == 201
    snapshot = Client().get(f"/api/shared/{revision.data['token']}/").json()
    assert snapshot["kind"] == "revision" and any(t["name"] == "vni" for t in snapshot["plan"]["tables"])
