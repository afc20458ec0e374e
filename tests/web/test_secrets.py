"""WireGuard private keys are sealed at rest, API tokens kept only as hashes; neither appears in any API answer,
page or log, and a token is shown once, when it is issued."""

from __future__ import annotations

import logging

import pytest
from django.db import connection
from django.test import Client

from designer.models import Allocation
from designer.models.choices import Role
from designer.services.compiling import revision_record
from designer.services.exports import export_run

from .conftest import import_example


@pytest.fixture
def mesh(people):
    return import_example(people[Role.OWNER], "wireguard-mesh")


def private_keys(design) -> list[str]:
    keys = list(revision_record(design.current_revision).namespace("wireguard_key").values())
    assert len(keys) >= 3  # the mesh has members, so there is something to leak
    return keys


def test_allocation_record_is_sealed_in_the_database(mesh):
    keys = private_keys(mesh)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT record FROM {Allocation._meta.db_table}")  # noqa: S608 - a fixed table name
        raw = "".join(row[0] for row in cursor.fetchall())
    assert raw.startswith("gAAAA")  # a Fernet token
    assert not any(key in raw for key in keys)
    assert "wireguard_key" not in raw


def test_no_private_key_in_any_api_answer_page_or_log(mesh, people, client_for, caplog):
    keys = private_keys(mesh)
    api = client_for("owner")
    revision = mesh.current_revision_id
    caplog.set_level(logging.DEBUG)
    answers = [api.get(url) for url in (
        "/api/designs/", f"/api/designs/{mesh.pk}/", f"/api/designs/{mesh.pk}/revisions/",
        f"/api/designs/{mesh.pk}/revisions/{revision}/", f"/api/designs/{mesh.pk}/revisions/{revision}/yaml/",
        f"/api/designs/{mesh.pk}/plan/", f"/api/designs/{mesh.pk}/lint/", f"/api/designs/{mesh.pk}/members/",
        "/api/schema/")]
    record = revision_record(mesh.current_revision).to_data()
    answers.append(api.post("/api/compile/plan/", {"document": mesh.current_revision.document, "record": record},
                            format="json"))
    answers.append(api.post(f"/api/designs/{mesh.pk}/exports/", {"format": "zip"}, format="json"))
    job_id = answers[-1].json()["job"]["id"]
    export_run(job_id=job_id)  # as the worker would: the job's log and result are then worth reading
    answers.append(api.get(f"/api/jobs/{job_id}/"))
    assert answers[-1].json()["status"] == "succeeded", answers[-1].json()
    people["owner"].is_staff = people["owner"].is_superuser = True
    people["owner"].save()
    browser = Client()
    browser.force_login(people["owner"])
    answers += [browser.get(url) for url in (
        "/", f"/designs/{mesh.pk}/", f"/designs/{mesh.pk}/plan/", "/admin/designer/revision/",
        f"/admin/designer/revision/{revision}/change/", f"/admin/designer/design/{mesh.pk}/change/")]

    assert all(answer.status_code in (200, 202) for answer in answers), [a.status_code for a in answers]
    assert any("ciabmesh" in answer.content.decode() for answer in answers)  # the mesh is shown, not its keys
    seen = "\n".join(answer.content.decode() for answer in answers) + "\n" + caplog.text
    leaked = [key for key in keys if key in seen]
    assert leaked == []


def test_an_api_token_is_shown_once_and_then_in_no_answer_page_log_or_table(mesh, people, client_for, caplog,
                                                                           settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    owner = people["owner"]
    owner.set_password("a long pass phrase")
    owner.is_staff = owner.is_superuser = True
    owner.save()
    caplog.set_level(logging.DEBUG)
    issued = client_for(None).post("/api/auth/token/", {"username": "owner", "password": "a long pass phrase",
                                                        "name": "laptop"}, format="json")
    assert issued.status_code == 201
    token = issued.json()["token"]
    api = client_for(None)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    answers = [api.get(url) for url in ("/api/designs/", f"/api/designs/{mesh.pk}/", "/api/auth/tokens/",
                                         "/api/schema/")]
    browser = Client()
    browser.force_login(owner)
    token_row = owner.auth_token_set.get(name="laptop").pk
    answers += [browser.get(url) for url in ("/admin/", "/admin/designer/apitoken/",
                                             f"/admin/designer/apitoken/{token_row}/change/")]
    assert all(answer.status_code == 200 for answer in answers), [a.status_code for a in answers]
    assert "laptop" in answers[2].content.decode() and "laptop" in answers[-1].content.decode()
    seen = "\n".join(answer.content.decode() for answer in answers) + "\n" + caplog.text
    assert token not in seen and token[15:] not in seen
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        stored = []
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from the schema
            stored.append(repr(cursor.fetchall()))
    assert not any(token in rows or token[15:] in rows for rows in stored)
