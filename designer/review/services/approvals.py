"""Verdicts on a review and what they add up to: approvals bound to the head's bytes, judged at each head."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from designer.models import Revision

from ..choices import FINISHED_STATES, EventKind, ReviewState, Verdict
from ..core import scopes as rules
from ..models import Review, ReviewEvent, ReviewPolicy, ReviewScope, ReviewVerdict
from .computing import Computed, cached_files, review_diff
from .errors import ReviewRefused
from .notify import announce


@dataclass(slots=True)
class Status:
    """Where a review stands at its current head."""

    computed: Computed
    decision: dict[str, Any]
    standings: list[rules.Standing]
    touched: list[str]
    authors: set[str]

    def as_dict(self) -> dict[str, Any]:
        return {**self.decision, "touched_scopes": self.touched, "authors": sorted(self.authors),
                "verdicts": [{"reviewer": s.verdict.reviewer, "verdict": s.verdict.verdict, "valid": s.valid,
                              "reason": s.reason, "manifest": s.verdict.manifest} for s in self.standings],
                "manifest": self.computed.summary["head"]["manifest"],
                "content_hash": self.computed.summary["head"]["content_hash"]}


def design_scopes(design_id: int) -> list[rules.Scope]:
    return [rules.Scope(scope.name, tuple(scope.paths), tuple(scope.kinds),
                        frozenset(member.username for member in scope.members.all()))
            for scope in ReviewScope.objects.filter(design_id=design_id).prefetch_related("members")]


def change_authors(review: Review) -> set[str]:
    """Who wrote the change: the review's author and the author of every revision after the base."""
    names = set(Revision.objects.filter(design_id=review.design_id, number__gt=review.base.number,
                                        number__lte=review.head.number, author__isnull=False)
                .values_list("author__username", flat=True))
    return names | {review.author.username}


def _digests(scope_list: list[rules.Scope], files: dict[str, str], document: dict) -> dict[str, str]:
    return {**rules.scope_digests(scope_list, files, document),
            rules.WHOLE_BUNDLE: rules.scope_digest(None, files, document)}


def review_status(review: Review) -> Status:
    computed = review_diff(review.base, review.head)
    files = computed.files
    scope_list = design_scopes(review.design_id)
    head_digests = _digests(scope_list, files["head"], review.head.document)
    base_digests = rules.scope_digests(scope_list, files["base"], review.base.document)
    touched = rules.touched_scopes(scope_list, base_digests, head_digests)
    latest: dict[str, ReviewVerdict] = {}
    for verdict in ReviewVerdict.objects.filter(review=review).select_related("reviewer"):
        latest[verdict.reviewer.username] = verdict
    manifest = computed.summary["head"]["manifest"]
    standings = []
    for name, row in latest.items():
        standing = rules.judge(rules.Verdict(name, row.verdict, row.manifest, row.digests), manifest, head_digests)
        if not standing.valid:
            standing.reason += _changed_files(review, row, scope_list, files["head"])
        standings.append(standing)
    policy = ReviewPolicy.objects.filter(design_id=review.design_id).first()
    authors = change_authors(review)
    requirements = rules.Requirements(
        approvals=policy.required_approvals if policy else 1, touched=touched,
        members={scope.name: scope.members for scope in scope_list}, authors=frozenset(authors),
        blocking_moves=len(computed.summary["moves"]), moves_acknowledged=review.acknowledged_head_id == review.head_id,
        head_errors=computed.summary["head_errors"])
    return Status(computed, rules.decide(requirements, standings), standings, touched, authors)


def _changed_files(review: Review, verdict: ReviewVerdict, scope_list: list[rules.Scope],
                   head_files: dict[str, str]) -> str:
    """The in-scope files that differ from those the verdict was given on, named (from that head's cached
    review); empty when that review is no longer cached."""
    then = cached_files(review.base, verdict.head)
    if then is None:
        return ""
    mine = [scope for scope in scope_list if scope.name in verdict.digests]
    paths = sorted(path for path in then["head"].keys() | head_files.keys()
                   if then["head"].get(path) != head_files.get(path)
                   and (rules.WHOLE_BUNDLE in verdict.digests or any(scope.covers(path) for scope in mine)))
    if not paths:
        return ""
    return f" ({', '.join(paths[:3])}{f' and {len(paths) - 3} more' if len(paths) > 3 else ''})"


def verdict_submit(*, review: Review, reviewer, verdict: str, body: str = "") -> ReviewVerdict:
    """Approve the head or request changes; an approval records the digests of the reviewer's scopes."""
    if review.state in FINISHED_STATES:
        raise ReviewRefused(f"the review is {review.state}")
    status = review_status(review)
    if verdict == Verdict.APPROVED and reviewer.username in status.authors:
        raise ReviewRefused("authors cannot approve their own change: ask another reviewer")
    files = status.computed.files["head"]
    mine = rules.approver_scopes(design_scopes(review.design_id), reviewer.username)
    digests = (rules.scope_digests(mine, files, review.head.document) if mine
               else {rules.WHOLE_BUNDLE: rules.scope_digest(None, files, review.head.document)})
    with transaction.atomic():
        recorded = ReviewVerdict.objects.create(
            review=review, reviewer=reviewer, verdict=verdict, head=review.head,
            content_hash=review.head.content_hash, manifest=status.computed.summary["head"]["manifest"],
            digests=digests, body=body)
        what = "approved" if verdict == Verdict.APPROVED else "requested changes to"
        scope_note = f" (scopes {', '.join(s.name for s in mine)})" if mine else ""
        announce(design=review.design, review=review, actor=reviewer,
                 kind=EventKind.APPROVED if verdict == Verdict.APPROVED else EventKind.CHANGES_REQUESTED,
                 recipients=[review.author], data={"verdict": recorded.pk},
                 message=f"{reviewer.username} {what} \"{review.title}\" at revision {review.head.number}{scope_note}")
        review_settle(review)
    return recorded


def review_acknowledge(*, review: Review, actor) -> Review:
    """Acknowledge the allocations of existing elements that the head moves."""
    review.acknowledged_head = review.head
    review.save(update_fields=["acknowledged_head", "updated"])
    announce(design=review.design, review=review, actor=actor, kind=EventKind.MOVES_ACKNOWLEDGED,
             message=f"{actor.username} acknowledged the moved allocations of revision {review.head.number}",
             data={"head": review.head_id})
    return review


def review_settle(review: Review) -> Status:
    """Bring the review's state in line with its verdicts at its head, and tell of approvals the head
    invalidated (once per approval and head)."""
    status = review_status(review)
    for standing in status.standings:
        if standing.verdict.verdict != Verdict.APPROVED or standing.valid:
            continue
        verdict = ReviewVerdict.objects.filter(review=review, reviewer__username=standing.verdict.reviewer).last()
        told = ReviewEvent.objects.filter(review=review, kind=EventKind.APPROVAL_INVALIDATED,
                                          data__verdict=verdict.pk, data__head=review.head_id).exists()
        if not told:
            announce(design=review.design, review=review, kind=EventKind.APPROVAL_INVALIDATED,
                     recipients=[verdict.reviewer, review.author], data={"verdict": verdict.pk, "head": review.head_id},
                     message=f"the approval of {standing.verdict.reviewer} no longer holds at revision "
                             f"{review.head.number}: {standing.reason}")
    if review.state in (ReviewState.DRAFT, *FINISHED_STATES):
        return status
    requested = any(s.verdict.verdict == Verdict.CHANGES_REQUESTED for s in status.standings)
    state = (ReviewState.APPROVED if status.decision["approved"] else
             ReviewState.CHANGES_REQUESTED if requested else ReviewState.OPEN)
    if state != review.state:
        review.state = state
        review.save(update_fields=["state", "updated"])
    return status
