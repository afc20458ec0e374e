"""The gate a bundle passes on its way out (push, and export where the design's policy says so): an approved
review whose head bundle has exactly these bytes (its manifest hash), or an owner who broke the glass with a
written reason."""

from __future__ import annotations

from dataclasses import dataclass

from designer.fabric.errors import DesignError, Problem
from designer.models import Design, Membership, Revision

from ..choices import EventKind, Purpose, ReviewState
from ..models import GateOverride, Review, ReviewPolicy
from .approvals import review_settle
from .computing import cached_manifest, revision_side
from .errors import GateClosed
from .notify import announce

REASON_MIN_LENGTH = 10


@dataclass(frozen=True, slots=True)
class GateDecision:
    open: bool
    reason: str
    review: int | None = None
    override: int | None = None

    def as_dict(self) -> dict:
        return {"open": self.open, "reason": self.reason, "review": self.review, "override": self.override}


def revision_manifest(revision: Revision) -> str:
    """The manifest hash of ``revision``'s bundle: from a computed review of it, else built now."""
    return cached_manifest(revision) or revision_side(revision).manifest


def gate_decide(*, design: Design, revision: Revision, manifest: str, purpose: str) -> GateDecision:
    """Whether the bundle of ``revision`` whose manifest hash is ``manifest`` may leave for ``purpose``."""
    override = GateOverride.objects.filter(design=design, revision=revision, manifest=manifest,
                                           purpose=purpose).select_related("by").first()
    if override is not None:
        return GateDecision(True, f"{override.by.username} broke the glass: {override.reason}", override=override.pk)
    reviews = Review.objects.filter(design=design, head=revision).exclude(state=ReviewState.CLOSED).select_related(
        "design", "base", "head", "author")
    reasons = []
    for review in reviews:
        status = review_settle(review)
        approved_bytes = status.computed.summary["head"]["manifest"]
        if status.decision["approved"] and approved_bytes == manifest:
            return GateDecision(True, f"review {review.pk} \"{review.title}\" approved these bytes", review=review.pk)
        if status.decision["approved"]:
            reasons.append(f"review {review.pk} approved other bytes (manifest {approved_bytes[:12]}, not "
                           f"{manifest[:12]})")
        else:
            reasons.append(f"review {review.pk} is not approved: {'; '.join(status.decision['missing'])}")
    if not reasons:
        reasons.append(f"no review has revision {revision.number} as its head: open one and have it approved")
    return GateDecision(False, f"revision {revision.number} may not {purpose}: " + "; ".join(reasons),
                        review=reviews[0].pk if reviews else None)


def gate_require(*, design: Design, revision: Revision, manifest: str, purpose: str) -> GateDecision:
    """``gate_decide``, raising GateClosed when the gate stays shut."""
    decision = gate_decide(design=design, revision=revision, manifest=manifest, purpose=purpose)
    if not decision.open:
        raise GateClosed(decision.reason, review_id=decision.review)
    return decision


def exports_gated(design: Design) -> bool:
    return ReviewPolicy.objects.filter(design=design, gate_exports=True).exists()


def gate_export(*, design: Design, revision: Revision) -> None:
    """Refuse an export of ``revision`` unless the gate opens, where the design's policy gates exports."""
    if exports_gated(design):
        gate_require(design=design, revision=revision, manifest=revision_manifest(revision), purpose=Purpose.EXPORT)


def gate_break(*, design: Design, revision: Revision, purpose: str, user, reason: str) -> GateOverride:
    """An owner lets ``revision``'s bytes out without an approved review; recorded and told to every member."""
    reason = reason.strip()
    if len(reason) < REASON_MIN_LENGTH:
        raise DesignError(Problem("reason", "breaking the glass needs a written reason",
                                  f"say why, in at least {REASON_MIN_LENGTH} characters"))
    manifest = revision_manifest(revision)
    override = GateOverride.objects.create(design=design, revision=revision, manifest=manifest, purpose=purpose,
                                           reason=reason, by=user)
    members = [m.user for m in Membership.objects.filter(design=design).select_related("user")]
    review = Review.objects.filter(design=design, head=revision).exclude(state=ReviewState.CLOSED).first()
    announce(design=design, review=review, kind=EventKind.BREAK_GLASS, actor=user, recipients=members,
             message=f"{user.username} broke the glass: revision {revision.number} may {purpose} without an approved "
                     f"review. Reason: {reason}",
             data={"override": override.pk, "revision": revision.pk, "purpose": purpose, "manifest": manifest})
    return override


def review_pushed(*, design: Design, revision: Revision, outcome: str, actor=None) -> list[Review]:
    """Push tells the reviews of ``revision`` how it went; a successful push merges them."""
    reviews = list(Review.objects.filter(design=design, head=revision).exclude(state=ReviewState.CLOSED))
    for review in reviews:
        if outcome == "succeeded":
            review.state = ReviewState.MERGED
            review.save(update_fields=["state", "updated"])
        announce(design=design, review=review, kind=EventKind.PUSH_FINISHED, actor=actor,
                 recipients=[review.author, *review.reviewers.all()], data={"outcome": outcome},
                 message=f"the push of revision {revision.number} {outcome}")
    return reviews

