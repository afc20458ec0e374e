"""Who may do what with a design: roles ranked viewer < reviewer < editor < owner."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, QuerySet, Subquery

from designer.fabric.errors import DesignError, Problem
from designer.models import Design, Membership
from designer.models.choices import Role

# The least role each kind of action needs.
READ, WRITE, EXPORT, MANAGE = Role.VIEWER, Role.EDITOR, Role.EDITOR, Role.OWNER
RANKS = list(Role)


def designs_for(user) -> QuerySet[Design]:
    """The designs ``user`` is a member of, each annotated with ``role``: their role on it."""
    if not user.is_authenticated:
        return Design.objects.none()
    role = Membership.objects.filter(design=OuterRef("pk"), user=user).values("role")[:1]
    return Design.objects.annotate(role=Subquery(role)).filter(role__isnull=False)


def designs_with_revision(user, *, document: bool = False) -> QuerySet[Design]:
    """``designs_for`` with each design's owner and current revision; the revision's document and allocations
    only with ``document``, then read in the same query: a design deleted meanwhile is found whole or not
    at all, never without the document it is about to be planned from."""
    designs = designs_for(user).select_related("owner", "current_revision")
    if document:
        return designs.select_related("current_revision__allocation")
    return designs.defer("current_revision__document")


def allows(role: str | None, needed: str) -> bool:
    """True when ``role`` is at least ``needed``; no role allows nothing."""
    return role is not None and RANKS.index(role) >= RANKS.index(needed)


def membership_grant(*, design: Design, username: str, role: str) -> Membership:
    """Give ``username`` ``role`` on ``design`` (or change it); the owner stays the owner."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise DesignError(Problem("username", f"no user named '{username}'", "the person must have an account"))
    if user.pk == design.owner_id:
        raise DesignError(Problem("username", f"{username} owns the design; the owner's role cannot change"))
    membership, _ = Membership.objects.update_or_create(design=design, user=user, defaults={"role": role})
    return membership
