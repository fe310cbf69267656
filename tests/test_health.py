"""/healthz and /readyz: cheap, anonymous, plain HTTP with any Host, and 503 naming the failed check."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.db.migrations.executor import MigrationExecutor

from listening.serving import health

SECRET_DSN = "postgres://dengar:hunter2-db-password@db.internal:5432/dengar"


@pytest.fixture(autouse=True)
def fresh_probe_state(monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)
    monkeypatch.setattr(health, "_broker_client", None)


def test_healthz_answers_without_touching_the_database(client):
    # No `db` fixture: pytest-django fails any query, so this proves the probe makes none.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_readyz_reports_each_check_when_ready(client, db, settings):
    settings.REDIS_URL = ""
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "broker": "skipped"},
    }


def test_readyz_checks_the_broker_when_redis_is_configured(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "failing"


def test_readyz_is_503_naming_the_database_without_saying_why(client, db, monkeypatch, caplog):
    def unreachable() -> None:
        raise OperationalError(f"could not connect to {SECRET_DSN}")

    monkeypatch.setitem(health.CHECKS, "database", unreachable)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "failing"
    assert body["checks"]["migrations"] == "skipped"
    assert b"hunter2" not in response.content
    assert b"db.internal" not in response.content
    assert any(r.name == "dengar.health" and getattr(r, "check", None) == "database" for r in caplog.records)


def test_readyz_is_503_while_migrations_are_pending(client, db, monkeypatch):
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("pending", False)])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "failing"


def test_the_probes_skip_the_https_redirect_and_the_host_check(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["dengar.example.com"]
    settings.REDIS_URL = ""
    # The container's own healthcheck: plain HTTP to 127.0.0.1, a Host not in ALLOWED_HOSTS.
    assert client.get("/healthz", HTTP_HOST="127.0.0.1:8000").status_code == 200
    assert client.get("/readyz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    # Everything else is still redirected to HTTPS and checked against ALLOWED_HOSTS.
    redirect = client.get("/login/", HTTP_HOST="dengar.example.com")
    assert redirect.status_code == 301
    assert redirect["Location"] == "https://dengar.example.com/login/"
    assert client.get("/login/", HTTP_HOST="10.0.0.7", secure=True).status_code == 400


def test_the_probes_need_no_login_and_answer_only_get_and_head(client, db, settings):
    settings.REDIS_URL = ""
    assert client.head("/readyz").status_code == 200
    assert client.post("/healthz").status_code != 200  # not a probe: the ordinary 404 / CSRF path


def test_readyz_reaches_the_configured_redis(client, db, settings):
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: no Redis to reach")
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "ok"
