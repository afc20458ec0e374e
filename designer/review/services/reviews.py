"""Opening a review, keeping its head on the design's newest revision, and moving it through its states."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction

from designer.fabric.errors import DesignError, Problem
from designer.models import Design, Membership, Revision
from designer.models.push import PushRun, PushRunKind, PushRunStatus

from ..choices import FINISHED_STATES, EventKind, ReviewState
from ..models import Review
from .notify import announce

logger = logging.getLogger(__name__)


def last_pushed_revision(design: Design) -> Revision | None:
    """The revision the design's nodes were last pushed with (a push or roll back that finished): the one
    place review asks push for it."""
    run = (PushRun.objects.filter(design=design, status=PushRunStatus.FINISHED,
                                  kind__in=(PushRunKind.PUSH, PushRunKind.ROLLBACK))
           .select_related("revision").order_by("-finished", "-pk").first())
    return run.revision if run is not None else None


def default_base(design: Design, head: Revision) -> Revision:
    """The revision the nodes were last pushed with, else the head's parent, else the head itself."""
    pushed = last_pushed_revision(design)
    if pushed is not None and pushed.pk != head.pk:
        return pushed
    return head.parent or head


def review_open(*, design: Design, author, title: str, description: str = "", reviewers: Iterable[str] = (),
                base: Revision | None = None, head: Revision | None = None, draft: bool = False) -> Review:
    """A new review of ``design`` from ``base`` (by default as ``default_base`` says) to ``head`` (by
    default the current revision), requesting a review of each username in ``reviewers``."""
    head = head or design.current_revision
    if head is None:
        raise DesignError(Problem("head", "the design has no revision to review"))
    base = base or default_base(design, head)
    if base.number > head.number:
        raise DesignError(Problem("base", f"revision {base.number} is newer than the head, {head.number}",
                                  "review from an older revision to a newer one"))
    people = _members(design, reviewers)
    with transaction.atomic():
        review = Review.objects.create(design=design, author=author, title=title, description=description, base=base,
                                       head=head, state=ReviewState.DRAFT if draft else ReviewState.OPEN)
        review.reviewers.set(people)
        if people and not draft:
            _requested(review, author, people)
    return review


def review_update(*, review: Review, actor, title: str | None = None, description: str | None = None,
                  reviewers: Iterable[str] | None = None, state: str | None = None) -> Review:
    """Change what a review says, whom it asks, or its state (draft, open, closed; approved and
    changes-requested follow the verdicts, merged follows the push)."""
    with transaction.atomic():
        for field, value in (("title", title), ("description", description)):
            if value is not None:
                setattr(review, field, value)
        added = []
        if reviewers is not None:
            people = _members(review.design, reviewers)
            before = set(review.reviewers.all())
            review.reviewers.set(people)
            added = [person for person in people if person not in before]
        if state is not None and state != review.state:
            _change_state(review, actor, state)
        review.save()
        if added and review.state not in (ReviewState.DRAFT, *FINISHED_STATES):
            _requested(review, actor, added)
    return review


def _change_state(review: Review, actor, state: str) -> None:
    allowed = {ReviewState.DRAFT, ReviewState.OPEN, ReviewState.CLOSED}
    if state not in allowed:
        raise DesignError(Problem("state", f"a review is not set to {state} by hand",
                                  "approved and changes requested follow the reviewers' verdicts; merged follows "
                                  "a push"))
    if review.state == ReviewState.MERGED:
        raise DesignError(Problem("state", "the review is merged: its change was pushed"))
    was_draft = review.state == ReviewState.DRAFT
    review.state = state
    announce(design=review.design, review=review, kind=EventKind.STATE_CHANGED, actor=actor,
             message=f"{actor.username} set review \"{review.title}\" to {state}", data={"state": state})
    if was_draft and state == ReviewState.OPEN:
        _requested(review, actor, list(review.reviewers.all()))


def _requested(review: Review, actor, people: list) -> None:
    names = ", ".join(person.username for person in people)
    announce(design=review.design, review=review, kind=EventKind.REVIEW_REQUESTED, actor=actor, recipients=people,
             message=f"{actor.username} asks {names} to review \"{review.title}\"",
             data={"reviewers": [person.username for person in people]})


def _members(design: Design, usernames: Iterable[str]) -> list:
    names = list(dict.fromkeys(usernames))
    found = {m.user.username: m.user for m in Membership.objects.filter(design=design, user__username__in=names)
             .select_related("user")}
    for index, name in enumerate(names):
        if name not in found:
            raise DesignError(Problem(f"reviewers[{index}]", f"'{name}' is not a member of design '{design.name}'",
                                      "give them a role on the design first"))
    return [found[name] for name in names]


def review_follow_head(*, revision: Revision) -> list[Review]:
    """Make ``revision`` the head of every unfinished review of its design; their verdicts are judged anew."""
    reviews = list(Review.objects.filter(design_id=revision.design_id).exclude(state__in=FINISHED_STATES)
                   .exclude(head=revision).select_related("design", "author"))
    for review in reviews:
        review.head = revision
        review.save(update_fields=["head", "updated"])
        who = revision.author.username if revision.author_id else "someone"
        announce(design=review.design, review=review, kind=EventKind.HEAD_UPDATED, actor=revision.author,
                 message=f"{who} saved revision {revision.number}: it is the head of \"{review.title}\" now",
                 data={"head": revision.pk, "number": revision.number})
        transaction.on_commit(lambda pk=review.pk: _refresh(pk))
    return reviews


def _refresh(review_id: int) -> None:
    from ..tasks import review_refresh

    try:
        review_refresh.delay(review_id)
    except Exception:  # the review is computed when it is next opened instead
        logger.warning("could not queue the refresh of review %s", review_id, exc_info=True)
