"""Reviews of a change between two revisions, the design's review policy and scopes, verdicts, events and lab
runs of the head."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ..choices import EventKind, LabStatus, ReviewState, Verdict


class ReviewPolicy(models.Model):
    """How many approvals a design's changes need, and whether its exports are gated too (push always is)."""

    design = models.OneToOneField("designer.Design", on_delete=models.CASCADE, related_name="review_policy")
    required_approvals = models.PositiveSmallIntegerField(default=1)
    gate_exports = models.BooleanField(default=False, help_text="exports need an approved review, as pushes do")

    def __str__(self) -> str:
        return f"review policy of {self.design}"


class ReviewScope(models.Model):
    """An ownership rule, like a CODEOWNERS line: bundle path globs and element kinds, and who owns them."""

    design = models.ForeignKey("designer.Design", on_delete=models.CASCADE, related_name="review_scopes")
    name = models.CharField(max_length=64)
    paths = models.JSONField(default=list, blank=True, help_text="globs over bundle paths, e.g. */etc/frr/**")
    kinds = models.JSONField(default=list, blank=True, help_text="element collections, e.g. networks, vrfs")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="review_scopes", blank=True)

    class Meta:
        ordering = ["design_id", "name"]
        constraints = [models.UniqueConstraint(fields=["design", "name"], name="one_scope_name_per_design")]

    def __str__(self) -> str:
        return f"scope {self.name} of {self.design}"


class Review(models.Model):
    """A change under review: from ``base`` to ``head``; a new revision saved on the design becomes the head.

    Revisions go only with their design (never one by one), so a review and its history go with them.
    """

    design = models.ForeignKey("designer.Design", on_delete=models.CASCADE, related_name="reviews")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="authored_reviews")
    reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="requested_reviews", blank=True)
    base = models.ForeignKey("designer.Revision", on_delete=models.CASCADE, related_name="+")
    head = models.ForeignKey("designer.Revision", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=20, choices=ReviewState.choices, default=ReviewState.OPEN)
    acknowledged_head = models.ForeignKey("designer.Revision", on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="+", help_text="the head whose moved allocations were "
                                          "acknowledged")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"review {self.pk}: {self.title}"


class ReviewVerdict(models.Model):
    """A reviewer's approval or change request, bound to the bytes of the head it was given on. Append-only."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="verdicts")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    head = models.ForeignKey("designer.Revision", on_delete=models.CASCADE, related_name="+")
    content_hash = models.CharField(max_length=64)
    manifest = models.CharField(max_length=64, help_text="sha256 of the head bundle's manifest.json")
    digests = models.JSONField(default=dict, help_text="scope name -> digest of the files and elements in it")
    body = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"{self.reviewer} {self.verdict} review {self.review_id}"


class ReviewEvent(models.Model):
    """What happened on a design's reviews and gate, who did it and what they said. Append-only."""

    design = models.ForeignKey("designer.Design", on_delete=models.CASCADE, related_name="review_events")
    review = models.ForeignKey(Review, on_delete=models.CASCADE, null=True, blank=True, related_name="events")
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    message = models.TextField()
    data = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"


class LabRun(models.Model):
    """``fabric lab verify`` of a review's head, run by a worker where the server may run labs; its report
    is attached to the review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="lab_runs")
    head = models.ForeignKey("designer.Revision", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=12, choices=LabStatus.choices, default=LabStatus.QUEUED)
    report = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"lab run {self.pk} of review {self.review_id} ({self.status})"
