"""Role checks for endpoints under a design: non-members get 404, members without the role 403."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from rest_framework.exceptions import PermissionDenied

from designer.models import Design
from designer.services.access import allows, designs_for


class DesignScoped:
    """For views whose objects belong to one design: ``required_roles`` maps each action to the least
    role it needs; ``design()`` finds the design among the caller's and checks that role."""

    required_roles: dict[str, str] = {}
    design_lookup = "design_pk"

    def design(self) -> Design:
        cached = getattr(self, "_design", None)
        if cached is None:
            cached = get_object_or_404(designs_for(self.request.user).select_related("current_revision"),
                                       pk=self.kwargs[self.design_lookup])
            require_role(cached, self.required_roles[self.action])
            self._design = cached
        return cached


def require_role(design: Design, needed: str) -> None:
    if not allows(design.role, needed):
        raise PermissionDenied(f"your role on design '{design.name}' is {design.role}; "
                               f"this needs {needed} or above")
