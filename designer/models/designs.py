"""Designs, their immutable revisions, the allocations pinned with each revision, and memberships."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .choices import Role
from .fields import SealedJSONField


class Design(models.Model):
    """A fabric people work on together; its content lives in revisions, the newest is current."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_designs")
    # Revisions go only with their design, so SET_NULL never leaves a design without its current one.
    current_revision = models.ForeignKey("Revision", on_delete=models.SET_NULL, null=True, blank=True,
                                         related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Revision(models.Model):
    """One saved state of a design's document, never changed once written (like a commit)."""

    design = models.ForeignKey(Design, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(help_text="1 for the first revision of a design, then counting up")
    parent = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    message = models.CharField(max_length=500, blank=True)
    document = models.JSONField()
    content_hash = models.CharField(max_length=64)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["design_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["design", "number"], name="revision_number_per_design")]

    def __str__(self) -> str:
        return f"{self.design_id}@{self.number}"


class Allocation(models.Model):
    """The allocation record a revision was planned with: addresses, ASNs, VNIs and WireGuard keys.

    Kept apart from ``Revision`` so listing revisions never opens the sealed record.
    """

    revision = models.OneToOneField(Revision, on_delete=models.CASCADE, related_name="allocation")
    record = SealedJSONField()

    def __str__(self) -> str:
        return f"allocations of revision {self.revision_id}"


class Membership(models.Model):
    """A person's role on one design; nobody sees a design they are not a member of."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    design = models.ForeignKey(Design, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["design_id", "user_id"]
        constraints = [models.UniqueConstraint(fields=["user", "design"], name="one_membership_per_user")]

    def __str__(self) -> str:
        return f"{self.user} is {self.role} of {self.design}"
