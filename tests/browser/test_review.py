"""A review in Chromium: a reviewer sees a change to proxmox-evpn on the canvas, comments on a node and on an FRR
line, requests changes; the author saves a fix, the line comment reads as outdated, the reviewer approves and
the push gate opens. The author's page hears each step live, and who else is looking."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.review.changes import FRR_LINE, changed, fixed

from .canvas import csrf_token
from .conftest import ROOT
from .live_site import PYTHON, SETUP_TIMEOUT_SECONDS, Site, _environment

pytestmark = pytest.mark.browser

REVIEWER, REVIEWER_PASSWORD = "rhea", "review-test-password-1"
LIVE_TIMEOUT_MS = 20_000


def _add_reviewer(site: Site) -> None:
    script = ("from django.contrib.auth import get_user_model; U = get_user_model(); "
              f"U.objects.filter(username={REVIEWER!r}).exists() or U.objects.create_user({REVIEWER!r}, "
              f"email='rhea@example.net', password={REVIEWER_PASSWORD!r}); "
              f"U.objects.filter(username={site.username!r}).update(email='architect@example.net')")
    subprocess.run([PYTHON, "manage.py", "shell", "-c", script], cwd=ROOT, env=_environment(site.workdir), check=True,
                   capture_output=True, timeout=SETUP_TIMEOUT_SECONDS)


def _api(page: Page, site: Site, method: str, path: str, body=None, expected=(200, 201)) -> dict:
    headers = {"X-CSRFToken": csrf_token(page)}
    if isinstance(body, str):
        headers["Content-Type"] = "text/yaml"
        data = body
    else:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body) if body is not None else None
    answer = page.request.fetch(f"{site.url}/api/{path}", method=method, data=data, headers=headers)
    assert answer.status in expected, answer.text()
    return answer.json()


def _signed_in(context: BrowserContext, site: Site, username: str, password: str) -> Page:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{site.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    page.script_errors = errors  # type: ignore[attr-defined]
    return page


def _save(page: Page, site: Site, design_id: int, document: dict, message: str) -> dict:
    current = _api(page, site, "GET", f"designs/{design_id}/")["current_revision"]
    return _api(page, site, "POST", f"designs/{design_id}/revisions/",
                {"document": document, "message": message, "base_revision": current})


def test_a_reviewer_sends_a_change_back_and_approves_its_fix(page: Page, context: BrowserContext, browser,
                                                              site: Site, artifacts: Path):
    _add_reviewer(site)
    author = page
    yaml = (ROOT / "examples" / "proxmox-evpn.yaml").read_text(encoding="utf-8")
    design = _api(author, site, "POST", "designs/import/", yaml)
    design_id = design["id"]
    _api(author, site, "POST", f"designs/{design_id}/members/", {"username": REVIEWER, "role": "reviewer"})
    _save(author, site, design_id, changed(design["document"]), "tenant-b, leaf1 swp2 at 9100")
    review = _api(author, site, "POST", f"designs/{design_id}/reviews/",
                  {"title": "tenant-b and a leaf port", "reviewers": [REVIEWER]})
    review_url = f"{site.url}/reviews/{review['id']}/"

    author.goto(review_url)
    expect(author.locator("body[data-review-live=true]")).to_have_count(1, timeout=LIVE_TIMEOUT_MS)

    reviewer_context = browser.new_context(viewport={"width": 1600, "height": 1100})
    reviewer_context.set_default_timeout(15_000)
    try:
        reviewer = _signed_in(reviewer_context, site, REVIEWER, REVIEWER_PASSWORD)
        reviewer.goto(review_url)
        expect(reviewer.get_by_test_id("presence")).to_contain_text(site.username, timeout=LIVE_TIMEOUT_MS)
        expect(author.get_by_test_id("presence")).to_contain_text(REVIEWER, timeout=LIVE_TIMEOUT_MS)

        # The canvas diff: the new VNI in green, the leaf whose port changed in amber, its field on hover.
        canvas = reviewer.get_by_test_id("review-canvas")
        added = canvas.locator(".react-flow__node.diff-added [data-testid=network-vni602]")
        expect(added).to_be_visible(timeout=LIVE_TIMEOUT_MS)
        leaf = canvas.locator(".react-flow__node.diff-changed [data-testid=device-leaf1]")
        expect(leaf).to_be_visible()
        leaf.hover()
        expect(reviewer.get_by_test_id("diff-card")).to_contain_text("nics[swp2].mtu: — → 9100")
        reviewer.get_by_test_id("review-canvas").screenshot(path=artifacts / "review-canvas-diff.png")
        reviewer.get_by_test_id("view-changes").click()
        expect(canvas.locator(".react-flow__node.diff-faded").first).to_be_visible()
        reviewer.get_by_test_id("review-canvas").screenshot(path=artifacts / "review-canvas-only-changes.png")
        reviewer.get_by_test_id("view-base").click()
        expect(canvas.locator("[data-testid=network-vni602]")).to_have_count(0)
        reviewer.get_by_test_id("view-both").click()
        canvas.locator("[data-testid=network-vni602]").click()  # a click offers to comment on the element
        expect(reviewer.locator("#comment-form select[name=element]")).to_have_value("vni602")
        reviewer.fill("#comment-form textarea", "Is tenant-b meant for **every** node?")
        reviewer.click("#comment-form button[value=comment]")
        expect(reviewer.locator(".thread[data-kind=element] .comment-body")).to_contain_text("meant for every node")
        expect(canvas.locator(".react-flow__node.has-threads [data-testid=network-vni602]")).to_be_visible(
            timeout=LIVE_TIMEOUT_MS)

        # A comment on a node, then on the FRR line that adds the route target.
        reviewer.goto(f"{review_url}node/?node=leaf1")
        expect(reviewer.get_by_test_id("node-class")).to_have_text("interface-reload")
        reviewer.get_by_test_id("node-comment").fill("swp2 no longer matches **pve2**'s 9216")
        reviewer.click("button:has-text('Comment on leaf1')")
        expect(reviewer.locator("#node-comments .comment-body")).to_contain_text("swp2 no longer matches pve2")
        reviewer.goto(f"{review_url}node/?node=pve1")
        expect(reviewer.get_by_test_id("frr-delta")).to_contain_text(FRR_LINE.strip())
        row = reviewer.locator("table.diff tr.row", has_text=FRR_LINE.strip()).first
        row.locator(".line-comment summary").click()
        row.locator("textarea").fill("Route targets in our own ASN, please, @architect")
        row.locator("button:has-text('Comment')").click()
        expect(reviewer.locator("tr.line-threads .comment-body")).to_contain_text("own ASN")
        reviewer.screenshot(path=artifacts / "review-line-comment.png", full_page=True)

        reviewer.goto(review_url)
        reviewer.fill("#verdict-form textarea", "See the two threads.")
        reviewer.click("#verdict-form button[value=changes_requested]")
        expect(reviewer.get_by_test_id("review-state")).to_have_text("changes requested")
        expect(author.get_by_test_id("events")).to_contain_text("rhea requested changes", timeout=LIVE_TIMEOUT_MS)
        expect(reviewer.locator(".react-flow__node").first).to_be_visible(timeout=LIVE_TIMEOUT_MS)
        reviewer.screenshot(path=artifacts / "review-changes-requested.png", full_page=True)

        # The author saves the fix: the line the comment was on is gone.
        _save(author, site, design_id, fixed(changed(design["document"])), "route targets in our ASN, MTU on the cable")
        expect(reviewer.get_by_test_id("events")).to_contain_text("it is the head", timeout=LIVE_TIMEOUT_MS)
        reviewer.goto(f"{review_url}node/?node=pve1")
        outdated = reviewer.locator(".thread.outdated")
        expect(outdated).to_contain_text("own ASN")
        expect(outdated.locator(".outdated-tag")).to_have_text("outdated")
        reviewer.screenshot(path=artifacts / "review-outdated-comment.png", full_page=True)

        reviewer.goto(review_url)
        expect(reviewer.get_by_test_id("gate")).to_contain_text("closed")
        reviewer.click("#verdict-form button[value=approved]")
        expect(reviewer.get_by_test_id("review-state")).to_have_text("approved")
        expect(reviewer.get_by_test_id("approved")).to_be_visible()
        expect(reviewer.get_by_test_id("gate")).to_contain_text("open")
        expect(reviewer.locator(".react-flow__node").first).to_be_visible(timeout=LIVE_TIMEOUT_MS)
        reviewer.screenshot(path=artifacts / "review-approved.png", full_page=True)
        assert _api(author, site, "GET", f"designs/{design_id}/gate/?purpose=push")["open"] is True
        assert reviewer.script_errors == [] and author.script_errors == []  # type: ignore[attr-defined]
    finally:
        reviewer_context.close()
    server_log = (site.workdir / "logs" / "server.log").read_text(errors="replace")
    assert "To: architect@example.net" in server_log and "requested changes" in server_log  # mailed, console
