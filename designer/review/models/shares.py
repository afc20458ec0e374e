"""Share links (only a hash of their token is stored, every opening logged) and the gate's overrides."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ..choices import Purpose, ShareScope


class ShareLink(models.Model):
    """A link that shows a revision or a review to someone without an account, until it expires or is revoked."""

    design = models.ForeignKey("designer.Design", on_delete=models.CASCADE, related_name="share_links")
    review = models.ForeignKey("review.Review", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="share_links")
    revision = models.ForeignKey("designer.Revision", on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="+")
    scope = models.CharField(max_length=8, choices=ShareScope.choices, default=ShareScope.VIEW)
    token_hash = models.CharField(max_length=64, unique=True, help_text="sha256 of the token; the token is "
                                  "shown once, when the link is made")
    label = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField()
    revoked = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [models.CheckConstraint(
            condition=models.Q(review__isnull=False) | models.Q(revision__isnull=False), name="share_names_a_target")]

    def __str__(self) -> str:
        return f"share link {self.pk} ({self.scope}) of {self.review or self.revision}"


class ShareOpening(models.Model):
    """One opening of a share link. Append-only."""

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="openings")
    opened = models.DateTimeField(auto_now_add=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)
    what = models.CharField(max_length=40, blank=True, help_text="the page, the snapshot or a comment")

    class Meta:
        ordering = ["-opened", "-id"]


class GateOverride(models.Model):
    """An owner broke the glass: these bytes of this revision may leave without an approved review. Append-only."""

    design = models.ForeignKey("designer.Design", on_delete=models.CASCADE, related_name="gate_overrides")
    revision = models.ForeignKey("designer.Revision", on_delete=models.CASCADE, related_name="+")
    manifest = models.CharField(max_length=64)
    purpose = models.CharField(max_length=8, choices=Purpose.choices)
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]
