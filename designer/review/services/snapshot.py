"""What someone without an account sees through a share link: a read-only snapshot, every secret redacted.

A review's snapshot is its summary and threads (file diffs are redacted where they are made); a revision's
is its plan tables and findings, which never hold a private key.
"""

from __future__ import annotations

from typing import Any

from designer.fabric.errors import DesignError
from designer.services.compiling import revision_compiled
from designer.services.plans import plan_payload

from ..markdown import render_markdown
from ..models import ShareLink
from .comments import describe_anchor, placed_threads
from .computing import review_diff


def share_snapshot(link: ShareLink) -> dict[str, Any]:
    design = link.design
    out: dict[str, Any] = {"design": design.name, "scope": link.scope, "expires": link.expires.isoformat()}
    if link.review is not None:
        review = link.review
        computed = review_diff(review.base, review.head)
        threads = [{"id": item["thread"].pk, "kind": item["thread"].kind, "about": describe_anchor(item["thread"]),
                    "anchor": item["thread"].anchor, "outdated": item["outdated"], "line": item["line"],
                    "resolved": item["thread"].resolved,
                    "comments": [{"author": c.author.username if c.author_id else f"{c.guest or 'guest'} (share link)",
                                  "html": render_markdown(c.body), "created": c.created.isoformat()}
                                 for c in item["thread"].comments.all()]}
                   for item in placed_threads(review, computed)]
        return {**out, "kind": "review", "review": {
            "title": review.title, "description_html": render_markdown(review.description), "state": review.state,
            "author": review.author.username, "base": review.base.number, "head": review.head.number},
            "summary": computed.summary, "threads": threads}
    revision = link.revision
    try:
        plan = plan_payload(revision_compiled(revision))
    except DesignError as exc:
        plan = {"problems": [problem.as_dict() for problem in exc.problems]}
    plan.pop("devices", None)  # the tables say it for people; the per-device data is for the canvas
    return {**out, "kind": "revision", "revision": {"number": revision.number, "message": revision.message},
            "plan": plan}
