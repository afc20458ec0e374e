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
    reads_document: frozenset[str] = frozenset()  # actions that read the current revision's document
    design_lookup = "design_pk"

    def design(self) -> Design:
        """The design with its owner and current revision, the revision's document and allocations only for
        the actions in ``reads_document`` (read in the same query, so a deletion meanwhile is a clean 404)."""
        cached = getattr(self, "_design", None)
        if cached is None:
            designs = designs_with_revision(self.request.user, document=self.action in self.reads_document)
            cached = get_object_or_404(designs, pk=self.kwargs[self.design_lookup])
            require_role(cached, self.required_roles[self.action])
            self._design = cached
        return cached

    def revision(self, revision_id: int, field: str | None) -> Revision:
        """The design's revision ``revision_id``. Any other is bad input in ``field`` of the request body,
        or, with no ``field``, not found (the id is then part of what a GET addresses)."""
        design = self.design()
        revision = Revision.objects.select_related("allocation").filter(design=design, pk=revision_id).first()
        if revision is not None:
            return revision
        if field is None:
            raise Http404(f"design '{design.name}' has no revision {revision_id}")
        raise DesignError(Problem(field, f"design '{design.name}' has no revision {revision_id}"))


def require_role(design: Design, needed: str) -> None:
    if not allows(design.role, needed):
        raise PermissionDenied(f"your role on design '{design.name}' is {design.role}; "
                               f"this needs {needed} or above")
