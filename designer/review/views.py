"""Pages of review: a design's reviews, a review (summary, canvas diff, plan diff, threads, verdicts), a node's
config diff with line comments, and the read-only page a share link opens. Forms post to ``act``."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from designer.fabric.errors import DesignError
from designer.models import Membership
from designer.services.access import allows, designs_for, designs_with_revision

from .api.access import COMMENT, MANAGE, OPEN
from .choices import Anchor
from .markdown import render_markdown
from .models import LabRun, Review, ReviewEvent, ShareLink
from .services.approvals import review_acknowledge, review_settle, verdict_submit
from .services.comments import comment_reply, describe_anchor, placed_threads, thread_resolve, thread_start
from .services.computing import node_review, review_diff
from .services.errors import GateClosed, ReviewRefused
from .services.gate import gate_break, gate_decide
from .services.labs import lab_start
from .services.reviews import review_open
from .services.shares import share_create, share_open, share_revoke, share_state
from .services.snapshot import share_snapshot


def _review(request: HttpRequest, pk: int) -> Review:
    designs = designs_for(request.user)
    review = get_object_or_404(Review.objects.filter(design__in=designs.values("pk")).select_related(
        "base", "head", "author"), pk=pk)
    review.design = designs_with_revision(request.user).get(pk=review.design_id)
    return review


ROWS_SHOWN = 100


def _plan_tables(summary: dict) -> list[dict]:
    """The changed plan tables as rows of cells, each changed cell with its old value."""
    out = []
    for table in summary["plan"]:
        rows = [{"kind": "added", "mark": "+", "key": r["key"], "cells": [{"text": v} for v in r["row"].values()]}
                for r in table["added"]]
        rows += [{"kind": "removed", "mark": "−", "key": r["key"], "cells": [{"text": v} for v in r["row"].values()]}
                 for r in table["removed"]]
        rows += [{"kind": "changed", "mark": "~", "key": r["key"], "cells": [
            {"text": value, "old": r["old"].get(column), "changed": column in r["columns"]}
            for column, value in r["new"].items()]} for r in table["changed"]]
        if rows:
            out.append({"name": table["name"], "title": table["title"], "columns": table["columns"],
                        "added": len(table["added"]), "removed": len(table["removed"]),
                        "changed": len(table["changed"]), "rows": rows[:ROWS_SHOWN],
                        "more": max(0, len(rows) - ROWS_SHOWN)})
    return out


def _shares(review: Review) -> list[ShareLink]:
    links = list(ShareLink.objects.filter(review=review).annotate(opened=Count("openings")).order_by("-created"))
    for link in links:
        link.state = share_state(link)
    return links


def _threads(review: Review, computed) -> list[dict]:
    placed = placed_threads(review, computed)
    for item in placed:
        item["about"] = describe_anchor(item["thread"])
        item["comments"] = [{"comment": c, "html": render_markdown(c.body)} for c in item["thread"].comments.all()]
    return placed


@login_required
def review_list(request: HttpRequest, pk: int) -> HttpResponse:
    design = get_object_or_404(designs_with_revision(request.user), pk=pk)
    problems = []
    if request.method == "POST" and allows(design.role, OPEN):
        try:
            review = review_open(design=design, author=request.user, title=request.POST.get("title", "").strip()
                                 or "a change", description=request.POST.get("description", ""),
                                 reviewers=request.POST.getlist("reviewers"))
            return redirect("review:review", pk=review.pk)
        except DesignError as exc:
            problems = exc.problems
    members = Membership.objects.filter(design=design).exclude(user=request.user).select_related("user")
    return render(request, "review/list.html", {
        "design": design, "reviews": Review.objects.filter(design=design).select_related("author", "base", "head"),
        "members": members, "can_open": allows(design.role, OPEN), "problems": problems},
        status=400 if problems else 200)


@login_required
def review_page(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    status = review_settle(review)
    computed = status.computed
    design = review.design
    revision_gate = gate_decide(design=design, revision=review.head, manifest=computed.summary["head"]["manifest"],
                                purpose="push")
    return render(request, "review/review.html", {
        "review": review, "design": design, "summary": computed.summary, "status": status.as_dict(),
        "threads": _threads(review, computed), "gate": revision_gate,
        "events": ReviewEvent.objects.filter(review=review).select_related("actor").order_by("-created")[:30],
        "shares": _shares(review) if allows(design.role, OPEN) else [], "plan_tables": _plan_tables(computed.summary),
        "review_description": render_markdown(review.description), "can_comment": allows(design.role, COMMENT),
        "can_share": allows(design.role, OPEN),
        "can_break_glass": allows(design.role, MANAGE), "anchors": Anchor,
        "lab": LabRun.objects.filter(review=review).select_related("head").first(), "lab_jobs": settings.LAB_JOBS,
        "live": {"review": review.pk, "design": design.pk, "base": review.base_id, "head": review.head_id,
                 "api": "/api/", "websocket": f"/ws/reviews/{review.pk}/", "csrf_token": get_token(request),
                 "username": request.user.username}})


@login_required
def node_page(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    computed = review_diff(review.base, review.head)
    name = request.GET.get("node", "")
    detail = node_review(computed, name) if len(name) <= 64 else None
    if detail is None:
        raise Http404(f"the change leaves node '{name}' alone")
    threads = [t for t in _threads(review, computed) if t["thread"].anchor.get("node") == name]
    by_line: dict[tuple, list] = {}
    for item in threads:
        anchor = item["thread"].anchor
        if item["thread"].kind == Anchor.LINE and not item["outdated"]:
            by_line.setdefault((anchor["path"], anchor["side"], item["line"]), []).append(item)
    for diff in detail["files"]:
        node_path = "/" + diff["path"].partition("/")[2] if name else "/" + diff["path"]
        diff["node_path"] = node_path
        for hunk in diff["hunks"]:
            hunk["rows"] = [{"op": op, "old": old, "new": new, "text": text,
                             "threads": by_line.get((node_path, "new" if new is not None else "old",
                                                     new if new is not None else old), [])}
                            for op, old, new, text in hunk["rows"]]
    return render(request, "review/node.html", {
        "review": review, "design": review.design, "node": name, "detail": detail,
        "outdated": [t for t in threads if t["outdated"]],
        "node_threads": [t for t in threads if t["thread"].kind == Anchor.NODE],
        "can_comment": allows(review.design.role, COMMENT)})


@login_required
@require_POST
def review_act(request: HttpRequest, pk: int) -> HttpResponse:
    """Every form of the review pages: comments, replies, resolving, verdicts, acknowledging, sharing."""
    review = _review(request, pk)
    role, action, data = review.design.role, request.POST.get("action", ""), request.POST
    back = data.get("next") or f"/reviews/{review.pk}/"
    if not back.startswith("/reviews/"):
        back = f"/reviews/{review.pk}/"
    needed = {"share": OPEN, "revoke": OPEN, "break_glass": MANAGE}.get(action, COMMENT)
    if not allows(role, needed):
        return HttpResponse(f"your role on design '{review.design.name}' is {role}; this needs {needed}", status=403)
    try:
        answer = _act(review, request, action, data)
    except (DesignError, ReviewRefused, GateClosed) as exc:
        message = "; ".join(p.message for p in exc.problems) if isinstance(exc, DesignError) else str(exc)
        return HttpResponse(f"not done: {message}", status=403 if isinstance(exc, ReviewRefused) else 400)
    return answer or redirect(back)


def _act(review: Review, request: HttpRequest, action: str, data) -> HttpResponse | None:
    """Do ``action``; an answer of its own only where there is something to show once (a share link)."""
    user = request.user
    if action == "comment":
        kind = data.get("kind", Anchor.REVIEW)
        anchor = {key: data[key] for key in ("element", "node", "path", "side", "table", "key") if data.get(key)}
        if data.get("line"):
            anchor["line"] = int(data["line"]) if data["line"].isdigit() else data["line"]
        thread_start(review=review, author=user, kind=kind, anchor=anchor, body=data.get("body", ""))
    elif action == "reply":
        thread = get_object_or_404(review.threads, pk=data.get("thread"))
        comment_reply(thread=thread, author=user, body=data.get("body", ""))
    elif action in ("resolve", "reopen"):
        thread = get_object_or_404(review.threads, pk=data.get("thread"))
        thread_resolve(thread=thread, actor=user, resolved=action == "resolve")
    elif action in ("approved", "changes_requested"):
        verdict_submit(review=review, reviewer=user, verdict=action, body=data.get("body", ""))
    elif action == "lab":
        lab_start(review=review, user=user)
    elif action == "acknowledge":
        review_acknowledge(review=review, actor=user)
    elif action == "share":
        link, token = share_create(design=review.design, user=user, review=review, scope=data.get("scope", "view"),
                                   days=int(data.get("days", "7")) if data.get("days", "7").isdigit() else 0)
        return render(request, "review/share_made.html", {
            "review": review, "link": link, "url": request.build_absolute_uri(f"/s/{token}/")})
    elif action == "revoke":
        share_revoke(link=get_object_or_404(ShareLink, review=review, pk=data.get("link")), user=user)
    elif action == "break_glass":
        gate_break(design=review.design, revision=review.head, purpose=data.get("purpose", "push"), user=user,
                   reason=data.get("reason", ""))
    else:
        return HttpResponse(f"unknown action '{action}'", status=400)
    return None


def shared_page(request: HttpRequest, token: str) -> HttpResponse:
    link = share_open(token=token, what="page", address=request.META.get("REMOTE_ADDR"),
                      user_agent=request.META.get("HTTP_USER_AGENT", ""))
    if link is None:
        raise Http404("no such share link, or it expired or was revoked")
    return render(request, "review/shared.html", {"link": link, "snapshot": share_snapshot(link), "token": token})
