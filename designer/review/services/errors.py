"""Refusals of the review services; the API answers each with its status."""

from __future__ import annotations


class ReviewRefused(Exception):
    """The person may not do this to the review (an author approving their own change): 403."""


class GateClosed(Exception):
    """No approved review covers the bytes about to leave, and nobody broke the glass for them: 409."""

    def __init__(self, message: str, *, review_id: int | None = None):
        super().__init__(message)
        self.review_id = review_id
