"""Fixtures of the web tests: people with each role on a design, API clients signed in as them."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from rest_framework.test import APIClient

from designer.models import Membership
from designer.models.choices import Role
from designer.services.designs import design_import
from designer.services.exports import export_run, export_start
from designer.services.tokens import token_issue
from tests.conftest import EXAMPLES

ROLES = list(Role)  # least first


@pytest.fixture(autouse=True)
def exports_in_tmp(settings, tmp_path):
    """Archives go to a folder of the test's own, never to the project's exports/."""
    default = settings.STORAGES["default"]
    settings.STORAGES = {**settings.STORAGES, "default": {
        **default, "OPTIONS": {**default["OPTIONS"], "location": tmp_path / "exports"}}}


def make_user(username: str):
    return get_user_model().objects.create_user(username=username, password=None)


def example_text(name: str) -> str:
    return (EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8")


def import_example(owner, name: str):
    """The example design file ``name`` imported as a new design of ``owner``."""
    return design_import(owner=owner, content=(EXAMPLES / f"{name}.yaml").read_bytes(), source=f"{name}.yaml")


def finished_archive(design) -> str:
    """The storage name of a finished export archive of ``design`` (it holds WireGuard private keys)."""
    job = export_start(design=design, revision=design.current_revision, archive_format="zip", node="",
                       user=design.owner)
    export_run(job_id=job.pk)
    job.export.refresh_from_db()
    assert default_storage.exists(job.export.file.name)
    return job.export.file.name


def api_token(user) -> str:
    """A new API token of ``user``, as a script would hold it."""
    return token_issue(user=user, name="tests", days=1)[1]


@pytest.fixture
def people(db) -> dict[str, object]:
    """One user per role (named after it) and an ``outsider`` who is no member."""
    return {name: make_user(name) for name in [*ROLES, "outsider"]}


@pytest.fixture
def design(people):
    """The proxmox-evpn example owned by ``owner``, with every other role given to its namesake."""
    design = import_example(people[Role.OWNER], "proxmox-evpn")
    for role in (Role.VIEWER, Role.REVIEWER, Role.EDITOR):
        Membership.objects.create(design=design, user=people[role], role=role)
    return design


@pytest.fixture
def client_for(people):
    """``client_for("editor")``: an API client authenticated by that person's token; None: anonymous."""

    def make(name: str | None) -> APIClient:
        client = APIClient()
        if name is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(people[name])}")
        return client

    return make
