"""Fixtures every test package shares: the example designs and a deterministic key maker."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

import pytest

from designer.fabric.document import load_file
from designer.fabric.pipeline import compile_design

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
EXAMPLE_NAMES = sorted(path.stem for path in EXAMPLES.glob("*.yaml"))


def fixed_keygen(seed: str = "weft-tests"):
    """Private keys that are the same on every run, so golden files and archives are stable."""
    counter = iter(range(1_000_000))

    def make() -> str:
        digest = bytearray(hashlib.sha256(f"{seed}:{next(counter)}".encode()).digest())
        digest[0] &= 248  # clamp as X25519 does; the key stays a valid WireGuard private key
        digest[31] = (digest[31] & 127) | 64
        return base64.b64encode(bytes(digest)).decode()

    return make


def load_example(name: str):
    return load_file(EXAMPLES / f"{name}.yaml")


def compile_example(name: str):
    return compile_design(load_example(name), keygen=fixed_keygen(name))


@pytest.fixture(params=EXAMPLE_NAMES)
def example_name(request) -> str:
    return request.param


@pytest.fixture(scope="session", autouse=True)
def broker_of_the_tests(tmp_path_factory) -> str:
    """One broker for the whole session, never the one of a ``make run`` on the same machine.

    Defined here once: the test process keeps its connection to the first broker it sends to, so a broker
    per test package would leave a later package's worker listening where no task arrives.
    """
    from weft.celery import app as celery_app

    if not os.environ.get("CELERY_BROKER_URL"):
        celery_app.conf.broker_url = f"sqla+sqlite:///{tmp_path_factory.mktemp('broker') / 'broker.sqlite3'}"
    return celery_app.conf.broker_url
