"""Computed reviews, cached by (base, head, generator version): revisions are immutable, so a diff never ages."""

from __future__ import annotations

from django.db import models


class ReviewCache(models.Model):
    """The summary of going from ``base`` to ``head``, and the head's file hashes for the approval scopes.

    Both are zlib-compressed JSON: a 642-node summary is a megabyte of repetitive text.
    """

    base = models.ForeignKey("designer.Revision", on_delete=models.CASCADE, related_name="+")
    head = models.ForeignKey("designer.Revision", on_delete=models.CASCADE, related_name="+")
    generator = models.CharField(max_length=32)
    summary = models.BinaryField()
    files = models.BinaryField(help_text="bundle path -> sha256 of the base and of the head")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["base", "head", "generator"], name="one_cache_per_pair")]


class ReviewNodeCache(models.Model):
    """One node's file diffs of a cached review (node "" holds the design-wide files), and FRR's delta once
    someone opened the node."""

    cache = models.ForeignKey(ReviewCache, on_delete=models.CASCADE, related_name="nodes")
    node = models.CharField(max_length=64)
    data = models.BinaryField()
    frr = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cache", "node"], name="one_row_per_node")]
