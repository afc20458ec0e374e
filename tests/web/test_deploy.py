"""Production settings pass Django's deployment checks, and refuse to start without their secrets."""

from __future__ import annotations

import os
import subprocess
import sys

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
