"""Fixed vocabularies of reviews: their states, verdicts, comment anchors, share scopes and events."""

from django.db import models


class ReviewState(models.TextChoices):
    DRAFT = "draft", "draft"
    OPEN = "open", "open"
    CHANGES_REQUESTED = "changes_requested", "changes requested"
    APPROVED = "approved", "approved"
    MERGED = "merged", "merged (pushed)"
    CLOSED = "closed", "closed"


FINISHED_STATES = (ReviewState.MERGED, ReviewState.CLOSED)


class Verdict(models.TextChoices):
    APPROVED = "approved", "approved"
    CHANGES_REQUESTED = "changes_requested", "changes requested"


class Anchor(models.TextChoices):
    """What a comment thread is about."""

    REVIEW = "review", "the review"
    ELEMENT = "element", "an element of the design"
    NODE = "node", "a node"
    LINE = "line", "a line of a node's file"
    PLAN_ROW = "plan_row", "a row of a plan table"


class ShareScope(models.TextChoices):
    VIEW = "view", "view"
    COMMENT = "comment", "view and comment"


class Purpose(models.TextChoices):
    """What a bundle leaves through, for the gate."""

    PUSH = "push", "push"
    EXPORT = "export", "export"


class LabStatus(models.TextChoices):
    QUEUED = "queued", "queued"
    RUNNING = "running", "running"
    PASSED = "passed", "passed"
    FAILED = "failed", "failed"
    REFUSED = "refused", "refused"


class EventKind(models.TextChoices):
    REVIEW_REQUESTED = "review_requested", "review requested"
    HEAD_UPDATED = "head_updated", "head updated"
    COMMENT = "comment", "comment"
    MENTION = "mention", "mention"
    CHANGES_REQUESTED = "changes_requested", "changes requested"
    APPROVED = "approved", "approved"
    APPROVAL_INVALIDATED = "approval_invalidated", "approval invalidated"
    MOVES_ACKNOWLEDGED = "moves_acknowledged", "moved allocations acknowledged"
    STATE_CHANGED = "state_changed", "state changed"
    PUSH_FINISHED = "push_finished", "push finished"
    LAB_FINISHED = "lab_finished", "lab run finished"
    BREAK_GLASS = "break_glass", "gate broken open"
    SHARE_CREATED = "share_created", "share link created"
    SHARE_REVOKED = "share_revoked", "share link revoked"
