"""Comment threads of a review: started on an anchor, replied to, resolved and reopened; @mentions told.

A thread on a line of a node's file is placed anew at each head by its line's text and surroundings
(``core.anchors``); when the line is gone it is shown as outdated, with the text it was made on.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from designer.fabric.errors import DesignError, Problem
from designer.models import Membership

from ..choices import Anchor, EventKind
from ..core.anchors import LineAnchor, anchor_at, reanchor
from ..core.bundles import side_lines
from ..markdown import mentioned
from ..models import Comment, Review, Thread
from .computing import Computed, node_review, review_diff
from .notify import announce

BODY_LIMIT = 20_000


def thread_start(*, review: Review, author, kind: str, anchor: dict[str, Any], body: str, guest: str = "") -> Thread:
    """A new thread on ``anchor`` of ``kind`` with its first comment (``author`` None: a guest by share link)."""
    computed = review_diff(review.base, review.head)
    stored = _checked_anchor(computed, kind, anchor)
    with transaction.atomic():
        thread = Thread.objects.create(review=review, kind=kind, anchor=stored, revision=review.head)
        _add(thread, author=author, body=body, guest=guest)
    return thread


def comment_reply(*, thread: Thread, author, body: str, guest: str = "") -> Comment:
    with transaction.atomic():
        if thread.resolved:
            thread.resolved, thread.resolved_by = False, None
            thread.save(update_fields=["resolved", "resolved_by"])
        return _add(thread, author=author, body=body, guest=guest)


def thread_resolve(*, thread: Thread, actor, resolved: bool) -> Thread:
    thread.resolved, thread.resolved_by = resolved, actor if resolved else None
    thread.save(update_fields=["resolved", "resolved_by"])
    return thread


def _add(thread: Thread, *, author, body: str, guest: str) -> Comment:
    body = body.strip()
    if not body:
        raise DesignError(Problem("body", "a comment needs some text"))
    if len(body) > BODY_LIMIT:
        raise DesignError(Problem("body", f"a comment has at most {BODY_LIMIT} characters, this one {len(body)}"))
    review = thread.review
    names = mentioned(body)
    members = {m.user.username: m.user for m in Membership.objects.filter(
        design_id=review.design_id, user__username__in=names).select_related("user")}
    comment = Comment.objects.create(thread=thread, author=author, guest=guest, body=body,
                                     mentions=[name for name in names if name in members])
    who = author.username if author is not None else f"{guest or 'a guest'} (share link)"
    about = describe_anchor(thread)
    watchers = {review.author, *review.reviewers.all(), *_thread_people(thread)} - set(members.values())
    announce(design=review.design, review=review, kind=EventKind.COMMENT, actor=author, recipients=watchers,
             message=f"{who} commented on {about}: {body[:200]}", data={"thread": thread.pk, "comment": comment.pk})
    if members:
        announce(design=review.design, review=review, kind=EventKind.MENTION, actor=author,
                 recipients=members.values(), message=f"{who} mentioned {', '.join('@' + n for n in members)} on "
                 f"{about}: {body[:200]}", data={"thread": thread.pk, "comment": comment.pk, "mentions": list(members)})
    return comment


def _thread_people(thread: Thread) -> set:
    user_ids = set(thread.comments.exclude(author=None).values_list("author_id", flat=True))
    return set(get_user_model().objects.filter(pk__in=user_ids))


def describe_anchor(thread: Thread) -> str:
    anchor = thread.anchor
    if thread.kind == Anchor.ELEMENT:
        return f"element {anchor['element']}"
    if thread.kind == Anchor.NODE:
        return f"node {anchor['node']}"
    if thread.kind == Anchor.LINE:
        return f"{anchor['node']}{anchor['path']} line {anchor['line']}"
    if thread.kind == Anchor.PLAN_ROW:
        return f"plan table {anchor['table']} row {anchor['key']}"
    return "the review"


def _checked_anchor(computed: Computed, kind: str, anchor: dict[str, Any]) -> dict[str, Any]:
    """The anchor as stored; a line anchor keeps the line's text and surroundings for later heads."""
    summary = computed.summary
    if kind == Anchor.REVIEW:
        return {}
    if kind == Anchor.ELEMENT:
        return {"element": _text(anchor, "element")}
    if kind == Anchor.NODE:
        return {"node": _text(anchor, "node")}
    if kind == Anchor.PLAN_ROW:
        table, key = _text(anchor, "table"), _text(anchor, "key")
        if table not in {diff["name"] for diff in summary["plan"]}:
            raise DesignError(Problem("anchor.table", f"no plan table named '{table}'"))
        return {"table": table, "key": key}
    if kind == Anchor.LINE:
        node, path, side = _text(anchor, "node"), _text(anchor, "path"), anchor.get("side", "new")
        if side not in ("old", "new"):
            raise DesignError(Problem("anchor.side", "a line is on the 'old' or the 'new' side of the diff"))
        line = anchor.get("line")
        if not isinstance(line, int) or isinstance(line, bool):
            raise DesignError(Problem("anchor.line", "the line number is an integer"))
        lines = _file_lines(computed, node, path, side)
        if lines is None:
            raise DesignError(Problem("anchor.path", f"the change leaves {node}{path} alone"))
        try:
            placed = anchor_at(lines, line)
        except KeyError as exc:
            raise DesignError(Problem("anchor.line", str(exc.args[0]), "comment on a line the diff shows")) from None
        return {"node": node, "path": path, "side": side, **placed.as_dict()}
    raise DesignError(Problem("kind", f"'{kind}' is not a kind of anchor"))


def _text(anchor: dict[str, Any], key: str) -> str:
    value = anchor.get(key)
    if not isinstance(value, str) or not value or len(value) > 200:
        raise DesignError(Problem(f"anchor.{key}", f"the anchor needs '{key}'"))
    return value


def _file_lines(computed: Computed, node: str, path: str, side: str) -> dict[int, str] | None:
    """The lines the review's diff of ``node``'s file ``path`` shows on ``side``, or None."""
    detail = node_review(computed, node, frr=False)
    bundle_path = f"{node}{path}" if node else path.lstrip("/")
    for diff in (detail or {}).get("files", []):
        if diff["path"] == bundle_path:
            return side_lines(diff["hunks"], side)
    return None


def placed_threads(review: Review, computed: Computed) -> list[dict[str, Any]]:
    """Every thread of the review as shown at its head: line threads placed anew, or outdated."""
    threads = list(Thread.objects.filter(review=review).prefetch_related("comments__author")
                   .select_related("revision", "resolved_by"))
    lines_cache: dict[tuple[str, str, str], dict[int, str] | None] = {}
    out = []
    for thread in threads:
        place: dict[str, Any] = {"outdated": False, "line": None}
        if thread.kind == Anchor.LINE:
            anchor = thread.anchor
            key = (anchor["node"], anchor["path"], anchor["side"])
            if key not in lines_cache:
                lines_cache[key] = _file_lines(computed, *key)
            lines = lines_cache[key]
            line = reanchor(LineAnchor.from_dict(anchor), lines) if lines is not None else None
            place = {"outdated": line is None, "line": line}
        out.append({"thread": thread, **place})
    return out
