"""Comment threads anchored to the review, an element, a node, a line of a node's file or a plan row."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ..choices import Anchor


class Thread(models.Model):
    """A conversation about one thing in a review; it is resolved and reopened as a whole.

    ``anchor`` holds what the kind needs: ``{"element": id}``, ``{"node": name}``, ``{"node", "path",
    "side", "line", "text", "before", "after"}`` for a line, ``{"table", "key"}`` for a plan row.
    """

    review = models.ForeignKey("review.Review", on_delete=models.CASCADE, related_name="threads")
    kind = models.CharField(max_length=16, choices=Anchor.choices)
    anchor = models.JSONField(default=dict, blank=True)
    revision = models.ForeignKey("designer.Revision", on_delete=models.CASCADE, related_name="+",
                                 help_text="the head the thread was started on")
    resolved = models.BooleanField(default=False)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"thread {self.pk} on {self.kind} of review {self.review_id}"


class Comment(models.Model):
    """One comment in a thread; the body is Markdown, rendered safely when shown."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    guest = models.CharField(max_length=80, blank=True, help_text="the name given through a comment share link")
    body = models.TextField()
    mentions = models.JSONField(default=list, blank=True, help_text="usernames @mentioned in the body")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"comment {self.pk} in thread {self.thread_id}"
