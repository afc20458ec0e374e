"""Production settings pass Django's deployment checks, and refuse to start without their secrets."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet

from tests.conftest import ROOT

PRODUCTION = {"WEFT_DEBUG": "0", "WEFT_SECRET_KEY": "k3Y-" + "x9Qz7#pL2&vB5@" * 4,
              "WEFT_ALLOWED_HOSTS": "weft.example.net", "WEFT_FERNET_KEYS": Fernet.generate_key().decode()}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("WEFT_") and k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=120, check=False)


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION, "WEFT_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_fernet_key(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != "WEFT_FERNET_KEYS"}
    result = manage("check", env={**env, "WEFT_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "WEFT_FERNET_KEYS must be set" in result.stderr


@pytest.mark.parametrize("keys, told", [
    ("not-a-key", "WEFT_FERNET_KEYS: key 1 of 1 is not a Fernet key"),
    (f"{PRODUCTION['WEFT_FERNET_KEYS']},{PRODUCTION['WEFT_FERNET_KEYS'][:-2]}",
     "WEFT_FERNET_KEYS: key 2 of 2 is not a Fernet key"),
], ids=["not a key", "the second cut short"])
def test_a_malformed_fernet_key_stops_the_checks_and_the_server_saying_which(tmp_path, keys, told):
    env = {**PRODUCTION, "WEFT_FERNET_KEYS": keys, "WEFT_DATA_DIR": str(tmp_path)}
    for command in (("check", "--deploy"), ("migrate", "--check")):
        result = manage(*command, env=env)
        assert result.returncode != 0
        assert told in result.stderr
        assert all(key not in result.stdout + result.stderr for key in keys.split(","))


@pytest.mark.parametrize("beat, stale, told", [
    ("90", "120", "WEFT_JOB_HEARTBEAT_SECONDS (90) must be at most half of WEFT_JOB_STALE_SECONDS (120)"),
    ("15", "soon", "WEFT_JOB_STALE_SECONDS must be a number of seconds above 0, not 'soon'"),
    ("0", "120", "WEFT_JOB_HEARTBEAT_SECONDS must be a number of seconds above 0, not '0'"),
])
def test_a_heartbeat_that_cannot_keep_jobs_alive_stops_the_checks_saying_why(tmp_path, beat, stale, told):
    env = {**PRODUCTION, "WEFT_JOB_HEARTBEAT_SECONDS": beat, "WEFT_JOB_STALE_SECONDS": stale,
           "WEFT_DATA_DIR": str(tmp_path)}
    result = manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert told in result.stderr


def test_several_server_processes_without_redis_are_refused_before_serving(tmp_path):
    env = {**PRODUCTION, "WEFT_DATA_DIR": str(tmp_path)}
    clean = {k: v for k, v in os.environ.items() if not k.startswith("WEFT_") and k not in ("REDIS_URL",)}
    result = subprocess.run([sys.executable, "-m", "weft.serve", "--workers", "2", "--port", "1"], cwd=ROOT,
                            env={**clean, **env}, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2
    assert "2 server processes (WEB_CONCURRENCY) need REDIS_URL" in result.stderr
