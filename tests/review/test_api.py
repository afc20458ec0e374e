"""The review API end to end: a change reviewed, commented, sent back, fixed and approved; what it refuses."""

from __future__ import annotations

import pytest

from designer.models import Allocation
from designer.review.models import ReviewEvent
from designer.services.designs import design_save

from .changes import FRR_LINE, fixed
from .conftest import save

pytestmark = pytest.mark.django_db


def _line(client, review_id, node, path, text):
    answer = client.get(f"/api/reviews/{review_id}/node/", {"node": node})
    assert answer.status_code == 200, answer.data
    diff = next(d for d in answer.data["files"] if d["path"] == f"{node}{path}")
    return next(row[2] for hunk in diff["hunks"] for row in hunk["rows"] if row[3] == text and row[2])


def test_a_change_is_reviewed_sent_back_fixed_and_approved(review, people, client_for):
    reviewer, editor = client_for("reviewer"), client_for("editor")
    summary = reviewer.get(f"/api/reviews/{review.pk}/diff/").data
    classes = {row["node"]: row["class"] for row in summary["nodes"]}
    assert classes == {"leaf1": "interface-reload", "leaf2": "none", "pve1": "interface-reload",
                       "pve2": "interface-reload", "pve3": "interface-reload"}
    assert [f["code"] for f in summary["findings"]["introduced"]] == ["link-mtu-mismatch"]

    pve1 = reviewer.get(f"/api/reviews/{review.pk}/node/", {"node": "pve1"}).data
    frr = pve1["delta"]["frr"]  # FRR's own words, from frr-reload.py --test with both files
    assert "error" not in frr and frr["lines_to_delete"] == []
    assert FRR_LINE in frr["lines_to_add"] and "  vni 602" in frr["lines_to_add"]
    assert pve1["class"] == "interface-reload"
    line = _line(reviewer, review.pk, "pve1", "/etc/frr/frr.conf", FRR_LINE)
    on_line = reviewer.post(f"/api/reviews/{review.pk}/threads/", {
        "kind": "line", "anchor": {"node": "pve1", "path": "/etc/frr/frr.conf", "side": "new", "line": line},
        "body": "Route targets in **our** ASN, please, @editor"}, format="json")
    assert on_line.status_code == 201, on_line.data
    assert on_line.data["line"] == line and not on_line.data["outdated"]
    assert '<span class="mention">@editor</span>' in on_line.data["comments"][0]["html"]
    on_node = reviewer.post(f"/api/reviews/{review.pk}/threads/", {
        "kind": "node", "anchor": {"node": "leaf1"}, "body": "swp2 no longer matches pve2"}, format="json")
    assert on_node.status_code == 201
    sent_back = reviewer.post(f"/api/reviews/{review.pk}/verdicts/", {"verdict": "changes_requested"}, format="json")
    assert sent_back.status_code == 201 and sent_back.data["state"] == "changes_requested"
    assert editor.get(f"/api/designs/{review.design_id}/gate/").data["open"] is False

    save(review.design, fixed(review.head.document), people["editor"], "the reviewer's asks")
    threads = {t["id"]: t for t in reviewer.get(f"/api/reviews/{review.pk}/threads/").data}
    assert threads[on_line.data["id"]]["outdated"] is True
    assert threads[on_node.data["id"]]["outdated"] is False
    still = reviewer.get(f"/api/reviews/{review.pk}/").data
    assert still["head_number"] == 3 and still["state"] == "changes_requested"
    assert any("changes requested by reviewer" in reason for reason in still["status"]["missing"])

    approved = reviewer.post(f"/api/reviews/{review.pk}/verdicts/", {"verdict": "approved"}, format="json")
    assert approved.status_code == 201, approved.data
    assert approved.data["state"] == "approved" and approved.data["status"]["approved"]
    gate = editor.get(f"/api/designs/{review.design_id}/gate/").data
    assert gate["open"] is True and gate["manifest"] == approved.data["status"]["manifest"]
    kinds = set(ReviewEvent.objects.filter(review=review).values_list("kind", flat=True))
    assert {"review_requested", "comment", "mention", "changes_requested", "head_updated", "approved"} <= kinds


def test_an_author_cannot_approve_their_own_change(review, client_for):
    answer = client_for("editor").post(f"/api/reviews/{review.pk}/verdicts/", {"verdict": "approved"}, format="json")
    assert answer.status_code == 403
    assert "authors cannot approve" in answer.data["detail"]
    assert client_for("editor").get(f"/api/reviews/{review.pk}/").data["state"] == "open"


def test_a_head_with_errors_is_not_approved(review, client_for):
    answer = client_for("reviewer").post(f"/api/reviews/{review.pk}/verdicts/", {"verdict": "approved"},
                                         format="json")
    assert answer.status_code == 201
    assert not answer.data["status"]["approved"]
    assert "the head has 1 error finding(s)" in answer.data["status"]["missing"]


def test_scoped_approval_survives_unrelated_heads_and_falls_on_one_changed_byte(review, people, client_for):
    owner, reviewer = client_for("owner"), client_for("reviewer")
    scope = owner.post(f"/api/designs/{review.design_id}/review-scopes/", {
        "name": "routing", "paths": ["*/etc/frr/**"], "member_names": ["reviewer"]}, format="json")
    assert scope.status_code == 201, scope.data
    save(review.design, fixed(review.head.document), people["editor"], "fixed")
    assert reviewer.post(f"/api/reviews/{review.pk}/verdicts/", {"verdict": "approved"},
                         format="json").data["status"]["approved"]

    document = fixed(review.head.document)
    next(d for d in document["devices"] if d["id"] == "leaf2")["nics"][0]["description"] = "to pve1"
    next(link for link in document["links"] if link["id"] == "pve3-leaf2")["mtu"] = 9100  # interfaces only
    save(review.design, document, people["editor"], "an unrelated port")
    status = reviewer.get(f"/api/reviews/{review.pk}/").data["status"]
    assert status["verdicts"][0]["valid"], status
    assert "byte-identical" in status["verdicts"][0]["reason"]
    assert status["approved"]

    document["networks"][-1]["route_targets"]["export"] = ["64512:603"]  # one route target in frr.conf
    save(review.design, document, people["editor"], "another route target")
    status = reviewer.get(f"/api/reviews/{review.pk}/").data["status"]
    assert not status["verdicts"][0]["valid"]
    assert "scope routing changed" in status["verdicts"][0]["reason"]
    assert "pve1/etc/frr/frr.conf" in status["verdicts"][0]["reason"]  # it names the files
    assert not status["approved"]
    assert ReviewEvent.objects.filter(review=review, kind="approval_invalidated").count() == 1


def test_gated_export_and_push_answer_409_without_an_approval(review, people, client_for):
    owner, editor = client_for("owner"), client_for("editor")
    assert editor.post(f"/api/designs/{review.design_id}/exports/", {}, format="json").status_code == 202
    policy = owner.put(f"/api/designs/{review.design_id}/review-policy/", {"required_approvals": 1,
                                                                          "gate_exports": True}, format="json")
    assert policy.status_code == 200
    refused = editor.post(f"/api/designs/{review.design_id}/exports/", {}, format="json")
    assert refused.status_code == 409 and "not approved" in refused.data["detail"]
    assert refused.data["review"] == review.pk
    push = editor.get(f"/api/designs/{review.design_id}/gate/", {"purpose": "push"}).data
    assert push["open"] is False

    save(review.design, fixed(review.head.document), people["editor"], "fixed")
    client_for("reviewer").post(f"/api/reviews/{review.pk}/verdicts/", {"verdict": "approved"}, format="json")
    assert editor.post(f"/api/designs/{review.design_id}/exports/", {}, format="json").status_code == 202
    assert editor.get(f"/api/designs/{review.design_id}/gate/", {"purpose": "push"}).data["open"] is True

    # Another revision after the approval: its bytes were not approved (the reviewer has no scope).
    document = fixed(review.design.current_revision.document)
    document["description"] = "edited after the approval"
    save(review.design, document, people["editor"], "late edit")
    assert editor.post(f"/api/designs/{review.design_id}/exports/", {}, format="json").status_code == 409


def test_only_an_owner_breaks_the_glass_with_a_reason_and_everyone_hears(review, people, client_for):
    owner, editor = client_for("owner"), client_for("editor")
    owner.put(f"/api/designs/{review.design_id}/review-policy/", {"required_approvals": 1, "gate_exports": True},
              format="json")
    body = {"revision": review.head_id, "purpose": "export", "reason": "the leaf is down and this restores it"}
    assert editor.post(f"/api/designs/{review.design_id}/gate/break-glass/", body, format="json").status_code == 403
    short = owner.post(f"/api/designs/{review.design_id}/gate/break-glass/", {**body, "reason": "now"}, format="json")
    assert short.status_code == 400 and short.data["problems"][0]["path"] == "reason"
    broken = owner.post(f"/api/designs/{review.design_id}/gate/break-glass/", body, format="json")
    assert broken.status_code == 201 and broken.data["open"] and "broke the glass" in broken.data["reason"]
    assert editor.post(f"/api/designs/{review.design_id}/exports/", {}, format="json").status_code == 202
    event = ReviewEvent.objects.get(kind="break_glass")
    assert "the leaf is down" in event.message and event.actor == people["owner"]


def test_a_saved_revision_becomes_the_head_and_a_review_of_itself_is_empty(design, people, client_for):
    editor = client_for("editor")
    opened = editor.post(f"/api/designs/{design.pk}/reviews/", {"title": "nothing yet", "base":
                                                                design.current_revision_id}, format="json")
    assert opened.status_code == 201, opened.data
    assert opened.data["base"] == opened.data["head"] == design.current_revision_id
    empty = editor.get(f"/api/reviews/{opened.data['id']}/diff/").data
    assert empty["empty"] and empty["nodes"] == [] and empty["elements"] == []
    document = dict(design.current_revision.document, description="a new description")
    revision = design_save(design=design, document=document, base_revision=design.current_revision,
                           author=people["editor"])
    assert editor.get(f"/api/reviews/{opened.data['id']}/").data["head"] == revision.pk
    assert editor.get(f"/api/reviews/{opened.data['id']}/diff/").data["elements"][0]["id"] == "design"
    compared = client_for("viewer").get(f"/api/designs/{design.pk}/compare/", {"base": revision.pk,
                                                                               "head": revision.pk})
    assert compared.status_code == 200 and compared.data["empty"] and compared.data["elements"] == []
    bad = client_for("viewer").get(f"/api/designs/{design.pk}/compare/", {"base": "x", "head": revision.pk})
    assert bad.status_code == 400 and bad.data["problems"][0]["path"] == "base"


def test_roles_on_reviews(review, client_for):
    assert client_for("viewer").get(f"/api/reviews/{review.pk}/diff/").status_code == 200
    comment = {"kind": "review", "body": "hello"}
    assert client_for("viewer").post(f"/api/reviews/{review.pk}/threads/", comment, format="json").status_code == 403
    assert client_for("outsider").get(f"/api/reviews/{review.pk}/").status_code == 404
    assert client_for(None).get(f"/api/reviews/{review.pk}/").status_code == 401
    assert client_for("reviewer").post(f"/api/designs/{review.design_id}/reviews/", {"title": "x"},
                                       format="json").status_code == 403
    bad = client_for("reviewer").post(f"/api/reviews/{review.pk}/threads/", {
        "kind": "line", "anchor": {"node": "pve1", "path": "/etc/frr/frr.conf", "line": 1}, "body": "x"},
        format="json")
    assert bad.status_code == 400 and bad.data["problems"][0]["path"] == "anchor.line"


def test_a_tampered_lock_raises_the_blocking_item_until_acknowledged(review, people, client_for):
    allocation = Allocation.objects.get(revision=review.head)
    record = allocation.record
    assert record["allocations"]["loopback_v4"]["pve2"] == "10.255.254.3"
    record["allocations"]["loopback_v4"]["pve2"] = "10.255.254.99"
    allocation.record = record
    allocation.save()
    reviewer = client_for("reviewer")
    moves = reviewer.get(f"/api/reviews/{review.pk}/diff/").data["moves"]
    assert moves == [{"kind": "device", "element": "pve2", "name": "pve2",
                      "fact": "loopback_v4, vtep, router_id, lo address v4", "old": "10.255.254.3",
                      "new": "10.255.254.99"}]
    missing = reviewer.get(f"/api/reviews/{review.pk}/").data["status"]["missing"]
    assert "1 allocation(s) of existing elements moved: an acknowledgement is needed" in missing
    acknowledged = reviewer.post(f"/api/reviews/{review.pk}/acknowledge/")
    assert acknowledged.status_code == 200
    assert not any("moved" in reason for reason in acknowledged.data["status"]["missing"])


def test_push_asks_the_same_gate_and_is_answered_409(review):
    from designer.api.errors import exception_handler
    from designer.review.services.errors import GateClosed
    from designer.review.services.gate import gate_require, revision_manifest

    manifest = revision_manifest(review.head)
    with pytest.raises(GateClosed) as closed:
        gate_require(design=review.design, revision=review.head, manifest=manifest, purpose="push")
    assert closed.value.review_id == review.pk
    answer = exception_handler(closed.value, {})
    assert answer.status_code == 409 and answer.data["review"] == review.pk and "may not push" in answer.data["detail"]


def test_a_successful_push_merges_the_review_and_everyone_hears(review, people):
    from designer.review.services.gate import review_pushed

    merged = review_pushed(design=review.design, revision=review.head, outcome="succeeded", actor=people["owner"])
    assert [r.pk for r in merged] == [review.pk]
    review.refresh_from_db()
    assert review.state == "merged"
    assert ReviewEvent.objects.get(review=review, kind="push_finished").message.endswith("succeeded")


def test_a_design_with_reviews_is_deleted_whole(review, people, client_for):
    reviewer = client_for("reviewer")
    reviewer.post(f"/api/reviews/{review.pk}/threads/", {"kind": "node", "anchor": {"node": "leaf1"}, "body": "x"},
                  format="json")
    reviewer.post(f"/api/reviews/{review.pk}/verdicts/", {"verdict": "changes_requested"}, format="json")
    client_for("editor").post(f"/api/designs/{review.design_id}/shares/", {"review": review.pk}, format="json")
    assert client_for("owner").delete(f"/api/designs/{review.design_id}/").status_code == 204
    assert not ReviewEvent.objects.exists()
