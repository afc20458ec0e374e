"""The review pages as a person uses them: forms post comments and verdicts; untrusted Markdown stays text."""

from __future__ import annotations

import pytest
from django.test import Client

from designer.review.models import Thread

from .changes import FRR_LINE

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser_for(people):
    def make(name: str) -> Client:
        client = Client()
        client.force_login(people[name])
        return client

    return make


def test_the_review_page_shows_the_change_and_takes_comments_and_verdicts(review, browser_for):
    reviewer = browser_for("reviewer")
    page = reviewer.get(f"/reviews/{review.pk}/").content.decode()
    for expected in ("tenant-b and a leaf port", "link-mtu-mismatch", "interface-reload", 'data-node="pve1"',
                     "weft-review-canvas", "Request changes"):
        assert expected in page, expected
    node = reviewer.get(f"/reviews/{review.pk}/node/", {"node": "pve1"}).content.decode()
    assert "frr-delta" in node and FRR_LINE.strip() in node
    posted = reviewer.post(f"/reviews/{review.pk}/act/", {
        "action": "comment", "kind": "review", "body": "<script>alert(1)</script> **bold** [x](javascript:alert(1))"})
    assert posted.status_code == 302
    page = reviewer.get(f"/reviews/{review.pk}/").content.decode()
    assert "<strong>bold</strong>" in page and "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page and 'href="javascript:' not in page
    sent_back = reviewer.post(f"/reviews/{review.pk}/act/", {"action": "changes_requested", "body": "see threads"})
    assert sent_back.status_code == 302
    assert "changes requested by reviewer" in reviewer.get(f"/reviews/{review.pk}/").content.decode()
    thread = Thread.objects.get()
    assert reviewer.post(f"/reviews/{review.pk}/act/", {"action": "resolve", "thread": thread.pk}).status_code == 302
    thread.refresh_from_db()
    assert thread.resolved


def test_pages_keep_to_roles(review, browser_for):
    assert browser_for("viewer").post(f"/reviews/{review.pk}/act/", {"action": "comment", "kind": "review",
                                                                     "body": "x"}).status_code == 403
    assert browser_for("outsider").get(f"/reviews/{review.pk}/").status_code == 404
    assert browser_for("editor").post(f"/reviews/{review.pk}/act/", {"action": "approved"}).status_code == 403
    made = browser_for("editor").post(f"/reviews/{review.pk}/act/", {"action": "share", "scope": "view", "days": "2"})
    assert made.status_code == 200 and "/s/" in made.content.decode()
    listing = browser_for("viewer").get(f"/designs/{review.design_id}/reviews/").content.decode()
    assert "tenant-b and a leaf port" in listing and "Open the review" not in listing
