"""Role checks for endpoints under a design: non-members get 404, members without the role 403."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from rest_framework.exceptions import PermissionDenied

from designer.fabric.errors import DesignError, Problem
from designer.models import Design, Revision
from designer.services.access import allows, designs_with_revision


class DesignScoped:
    """For views whose objects belong to one design: ``required_roles`` maps each action to the least
    role it needs; ``design()`` finds the design among the caller's and checks that role."""

    required_roles: dict[str, str] = {}
    design_lookup = "design_pk"

    def design(self) -> Design:
        """The design with its owner and current revision; the revision's document is read only when used."""
        cached = getattr(self, "_design", None)
        if cached is None:
            cached = get_object_or_404(designs_with_revision(self.request.user), pk=self.kwargs[self.design_lookup])
            require_role(cached, self.required_roles[self.action])
            self._design = cached
        return cached

    def revision(self, revision_id: int, field: str | None) -> Revision:
        """The design's revision ``revision_id``. Any other is bad input in ``field`` of the request body,
        or, with no ``field``, not found (the id is then part of what a GET addresses)."""
        design = self.design()
        revision = Revision.objects.filter(design=design, pk=revision_id).first()
        if revision is not None:
            return revision
        if field is None:
            raise Http404(f"design '{design.name}' has no revision {revision_id}")
        raise DesignError(Problem(field, f"design '{design.name}' has no revision {revision_id}"))


def require_role(design: Design, needed: str) -> None:
    if not allows(design.role, needed):
        raise PermissionDenied(f"your role on design '{design.name}' is {design.role}; "
                               f"this needs {needed} or above")
