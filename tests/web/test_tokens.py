"""API tokens: shown once and stored only as a hash, named, expiring, revocable by their owner; signing in
is throttled per account and per address, with a 429 that says why and when to try again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone

from designer.models import ApiToken

from .conftest import make_user

PASSWORD = "a long pass phrase"


@pytest.fixture(autouse=True)
def no_sign_ins_counted_yet(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # dozens of sign-ins, fast
    cache.clear()  # the throttles count in the cache; each test starts afresh
    yield
    cache.clear()


@pytest.fixture
def scripter(db):
    user = make_user("scripter")
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client, username: str = "scripter", password: str = PASSWORD, address: str = "127.0.0.1", **body):
    return client.post("/api/auth/token/", {"username": username, "password": password, **body}, format="json",
                       REMOTE_ADDR=address)


def with_token(client_for, token: str):
    client = client_for(None)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_token_is_shown_once_named_and_expiring_and_only_its_hash_is_stored(scripter, client_for):
    answer = sign_in(client_for(None), name="nightly export", days=7)
    assert answer.status_code == 201, answer.content
    issued = answer.json()
    token = issued["token"]
    assert issued["name"] == "nightly export"
    expires = timezone.datetime.fromisoformat(issued["expiry"])
    assert timedelta(days=6, hours=23) < expires - timezone.now() <= timedelta(days=7)
    assert with_token(client_for, token).get("/api/designs/").status_code == 200

    with connection.cursor() as cursor:  # every column of every token row, as a backup would hold them
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")  # noqa: S608 - a fixed table name
        stored = repr(cursor.fetchall())
    assert token not in stored and token[15:] not in stored
    listed = with_token(client_for, token).get("/api/auth/tokens/").json()
    assert [(t["id"], t["name"]) for t in listed] == [(issued["id"], "nightly export")]
    assert token not in repr(listed)


def test_an_expired_token_signs_in_no_one(scripter, client_for):
    token = sign_in(client_for(None)).json()["token"]
    ApiToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))
    assert with_token(client_for, token).get("/api/designs/").status_code == 401


def test_its_owner_revokes_a_token_and_no_one_else_can(scripter, client_for):
    first = sign_in(client_for(None), name="laptop").json()
    second = sign_in(client_for(None), name="ci").json()
    other = make_user("other")
    other.set_password(PASSWORD)
    other.save()
    theirs = sign_in(client_for(None), username="other").json()

    owner = with_token(client_for, first["token"])
    assert owner.delete(f"/api/auth/tokens/{theirs['id']}/").status_code == 404
    assert owner.delete(f"/api/auth/tokens/{second['id']}/").status_code == 204
    assert with_token(client_for, second["token"]).get("/api/designs/").status_code == 401
    assert with_token(client_for, theirs["token"]).get("/api/designs/").status_code == 200
    assert [t["name"] for t in owner.get("/api/auth/tokens/").json()] == ["laptop"]


def test_twenty_wrong_passwords_then_the_right_one_is_throttled_with_a_clear_429(scripter, client_for):
    anonymous = client_for(None)
    statuses = [sign_in(anonymous, password="guess").status_code for _ in range(20)]
    assert statuses[0] == 400 and statuses[-1] == 429
    answer = sign_in(anonymous)
    assert answer.status_code == 429
    assert "too many failed sign-ins" in answer.json()["detail"]
    assert int(answer["Retry-After"]) > 0
    assert not ApiToken.objects.exists()


def test_wrong_passwords_for_one_account_from_many_addresses_are_throttled_per_account(scripter, client_for):
    for number in range(20):
        sign_in(client_for(None), password="guess", address=f"192.0.2.{number}")
    assert sign_in(client_for(None), address="198.51.100.7").status_code == 429


def test_wrong_passwords_for_many_accounts_from_one_address_are_throttled_per_address(scripter, client_for):
    for number in range(40):
        sign_in(client_for(None), username=f"someone{number}", password="guess")
    assert sign_in(client_for(None)).status_code == 429
    assert sign_in(client_for(None), address="198.51.100.7").status_code == 201  # another address is not


def test_a_right_password_is_not_counted_against_anyone(scripter, client_for):
    assert all(sign_in(client_for(None)).status_code == 201 for _ in range(30))


def test_the_sign_in_page_is_throttled_too(scripter):
    browser = Client()
    statuses = [browser.post("/login/", {"username": "scripter", "password": "guess"}).status_code
                for _ in range(20)]
    assert statuses[0] == 200 and statuses[-1] == 429
    page = browser.post("/login/", {"username": "scripter", "password": PASSWORD})
    assert page.status_code == 429 and "too many failed sign-ins" in page.content.decode()
    assert "_auth_user_id" not in browser.session
