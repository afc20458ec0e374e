"""Fixtures of the review tests: the web tests' people and design, and a review of a change to it."""

from __future__ import annotations

import pytest

from designer.review.services.reviews import review_open
from designer.services.designs import design_save
from tests.web.conftest import (  # noqa: F401 - fixtures shared with the web tests
    client_for,
    design,
    exports_in_tmp,
    people,
)

from .changes import changed


def save(stored, document, author, message="a change"):
    """Save ``document`` as design ``stored``'s next revision, as the canvas does."""
    stored.refresh_from_db()
    return design_save(design=stored, document=document, base_revision=stored.current_revision, author=author,
                       message=message)


@pytest.fixture
def review(design, people):  # noqa: F811 - the fixtures imported above
    """The editor's change to proxmox-evpn (a VNI added, a leaf port's MTU changed), with the reviewer asked."""
    save(design, changed(design.current_revision.document), people["editor"], "tenant-b, leaf1 swp2 at 9100")
    design.refresh_from_db()
    return review_open(design=design, author=people["editor"], title="tenant-b and a leaf port",
                       reviewers=["reviewer"])
