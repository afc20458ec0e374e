"""Who may do what with a review: the role on its design decides, as for everything under a design."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from designer.api.permissions import require_role
from designer.models.choices import Role
from designer.review.models import Review
from designer.services.access import designs_for

# The least role each kind of action on reviews needs.
READ, COMMENT, OPEN, MANAGE = Role.VIEWER, Role.REVIEWER, Role.EDITOR, Role.OWNER


class ReviewScoped:
    """For views under ``/api/reviews/{review_pk}/``: ``review()`` finds the review among those of the caller's
    designs (404 otherwise) and checks the role ``required_roles`` names for the action."""

    required_roles: dict[str, str] = {}
    review_lookup = "review_pk"

    def review(self) -> Review:
        cached = getattr(self, "_review", None)
        if cached is None:
            designs = designs_for(self.request.user)
            cached = get_object_or_404(Review.objects.filter(design__in=designs.values("pk")).select_related(
                "base", "head", "author"), pk=self.kwargs[self.review_lookup])
            cached.design = designs.get(pk=cached.design_id)  # with the caller's role on it
            require_role(cached.design, self.required_roles[self.action])
            self._review = cached
        return cached
