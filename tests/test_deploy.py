"""Production is the default and passes Django's deployment checklist with the compose environment.

Each test loads the settings in a fresh interpreter with a clean environment (only PATH and what
the test gives), as a container would: the test process' own settings are "test"."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.test_compose import service_environment

ROOT = Path(settings.BASE_DIR)
STRONG_KEY = secrets.token_urlsafe(50)


def run(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    clean = {"PATH": os.environ["PATH"], "DENGAR_VAR_DIR": str(tmp_path / "var"), **env}
    return subprocess.run(
        [sys.executable, *args], env=clean, cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def load_settings(env: dict[str, str], tmp_path: Path, *names: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import json, django; from django.conf import settings; "
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'listening.settings'); "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {list(names)!r}}}, default=str))"
    )
    return run(["-c", code], env, tmp_path)


def test_check_deploy_passes_with_exactly_the_compose_web_environment(tmp_path):
    # postgres and redis are compose hostnames that do not resolve here: the check must not need them.
    env = service_environment("web")
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_is_the_default_and_refuses_debug(tmp_path):
    result = load_settings({"DJANGO_SECRET_KEY": STRONG_KEY, "DJANGO_DEBUG": "1"}, tmp_path, "DEBUG")
    assert result.returncode != 0
    assert "DJANGO_DEBUG=1 is refused in production" in result.stderr


@pytest.mark.parametrize(
    "key",
    [None, "change-me-in-production", "x" * 60, "dengar-local-only-" + "x" * 40],
    ids=["missing", "the-old-compose-literal", "one-character", "the-development-key"],
)
def test_production_refuses_a_missing_or_weak_secret_key(tmp_path, key):
    env = {} if key is None else {"DJANGO_SECRET_KEY": key}
    result = load_settings(env, tmp_path, "SECRET_KEY")
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr
    if key:
        assert key not in result.stderr  # the refusal does not print the key it refused


def test_production_defaults_are_https_only_with_debug_off(tmp_path):
    result = load_settings(
        {"DJANGO_SECRET_KEY": STRONG_KEY}, tmp_path,
        "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "X_FRAME_OPTIONS", "DENGAR_LOG_FORMAT", "STORAGES",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["DENGAR_LOG_FORMAT"] == "json"
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_development_opts_into_debug_over_plain_http(tmp_path):
    result = load_settings(
        {"DENGAR_ENV": "development"}, tmp_path,
        "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", "DENGAR_LOG_FORMAT",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "DEBUG": True, "SECURE_SSL_REDIRECT": False, "SECURE_HSTS_SECONDS": 0,
        "SESSION_COOKIE_SECURE": False, "DENGAR_LOG_FORMAT": "plain",
    }


def test_a_transport_flag_that_is_not_0_or_1_is_refused(tmp_path):
    result = load_settings(
        {"DJANGO_SECRET_KEY": STRONG_KEY, "DJANGO_SECURE_SSL_REDIRECT": "false"}, tmp_path, "SECURE_SSL_REDIRECT"
    )
    assert result.returncode != 0
    assert "DJANGO_SECURE_SSL_REDIRECT must be 0 or 1" in result.stderr


def test_the_compose_stack_without_its_secret_would_not_start():
    with pytest.raises(LookupError):
        service_environment("web", env={})


def test_the_admin_can_be_moved_off_its_well_known_address(tmp_path):
    code = (
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'listening.settings'); "
        "import django; django.setup(); from django.urls import reverse; print(reverse('admin:index'))"
    )
    result = run(["-c", code], {"DJANGO_SECRET_KEY": STRONG_KEY, "DJANGO_ADMIN_URL": "/ops-7f3a/"}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "/ops-7f3a/"
