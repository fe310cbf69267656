"""Structured logs with no secret in them, a request id on every response, error pages that say
nothing (and a debug page that keeps DATABASE_URL's password to itself)."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest
from celery import signals
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from listening.services.sources import error_for_health
from listening.serving.logs import JsonFormatter, RedactSecrets, redact

DB_PASSWORD = "s3cret-db-Pa55"
DSN = f"postgres://dengar:{DB_PASSWORD}@postgres:5432/dengar"


@pytest.fixture
def json_log():
    """What the production handler writes (redaction filter and JSON lines), as parsed objects."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSecrets())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.INFO)

    def lines() -> list[dict]:
        text = stream.getvalue()
        return [json.loads(line) for line in text.splitlines() if line]

    lines.text = stream.getvalue
    yield lines
    root.removeHandler(handler)
    root.setLevel(previous)


# --- Redaction -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "secret"),
    [
        (f"connect {DSN} failed", DB_PASSWORD),
        ("broker redis://:r3dis-pw@redis:6379/0 down", "r3dis-pw"),
        ("amqp://guest:gu3st-pw@rabbit//", "gu3st-pw"),
        ("headers {'Authorization': 'Token 0123456789abcdef'}", "0123456789abcdef"),
        ("HTTP_AUTHORIZATION=Bearer eyJhbGciOi.payload.sig", "eyJhbGciOi.payload.sig"),
        ("GET /feed?token=tok-123456&page=2", "tok-123456"),
        ('{"client_secret": "cs-98765"}', "cs-98765"),
        ("webhook_secret=wh-abcdef used", "wh-abcdef"),
        ("Cookie: sessionid=sess-abcdef123", "sess-abcdef123"),
        ("pasted dgr_oj6xaq8tk8_uJ9LWwDPY751G9qeiKxyBjgMVoUPw into a note", "uJ9LWwDPY751G9qeiKxyBjgMVoUPw"),
    ],
)
def test_it_redacts_credentials_wherever_they_appear(text, secret):
    redacted = redact(text)
    assert secret not in redacted
    assert "********" in redacted


def test_it_redacts_the_secret_key_and_secret_environment_values_anywhere(settings, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", DSN)
    monkeypatch.setenv("SOME_API_TOKEN", "bare-token-value-42")
    assert settings.SECRET_KEY not in redact(f"key is {settings.SECRET_KEY}")
    assert DB_PASSWORD not in redact(f"auth failed for password {DB_PASSWORD}")
    assert "bare-token-value-42" not in redact("sent bare-token-value-42 upstream")


def test_a_short_password_is_masked_in_its_url_but_not_as_a_word_everywhere(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://dengar:dengar@postgres:5432/dengar")
    assert redact("worker dengar@vm ready") == "worker dengar@vm ready"
    assert redact("postgres://dengar:dengar@postgres:5432/dengar") == "postgres://dengar:********@postgres:5432/dengar"


def test_one_masker_serves_the_logs_and_what_a_sources_health_shows_its_tenant():
    token = "dgr_oj6xaq8tk8_uJ9LWwDPY751G9qeiKxyBjgMVoUPw"
    text = f"GET https://bob:hunter2@feeds.example.com/x.rss?code=c0de&page=2 failed; {token} (X-Api-Key: k3y)"
    logged, shown = redact(text), error_for_health(RuntimeError(text))
    for secret in ("hunter2", "c0de", "uJ9LWwDPY751G9qeiKxyBjgMVoUPw", "k3y"):
        assert secret not in logged
        assert secret not in shown
    assert "feeds.example.com/x.rss?code=********&page=2" in logged
    # The operator sees which account it was; the tenant does not.
    assert "bob" in logged
    assert "bob" not in shown


def test_it_keeps_ordinary_text_and_addresses_without_passwords():
    text = "polled https://example.com:8443/feed.xml in 12 ms; 3 mentions for acme"
    assert redact(text) == text


def test_the_filter_redacts_the_message_arguments_and_the_traceback(json_log):
    logger = logging.getLogger("dengar.test")
    try:
        raise ConnectionError(f"cannot reach {DSN}")
    except ConnectionError:
        logger.exception("poll failed for %s", DSN)
    [line] = [entry for entry in json_log() if entry["logger"] == "dengar.test"]
    assert DB_PASSWORD not in json.dumps(line)
    assert "ConnectionError" in line["exception"]
    assert line["message"] == "poll failed for postgres://dengar:********@postgres:5432/dengar"


def test_every_configured_handler_redacts_secrets(settings):
    for name, handler in settings.LOGGING["handlers"].items():
        assert "redact_secrets" in handler.get("filters", []), name


# --- Request id and request lines --------------------------------------------------------------
def test_every_response_carries_a_generated_request_id(client, db):
    first, second = client.get("/login/"), client.get("/login/")
    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_sane_incoming_request_id_is_kept_and_an_insane_one_replaced(client, db):
    assert client.get("/login/", HTTP_X_REQUEST_ID="lb-7f3a9c2e-01").headers["X-Request-ID"] == "lb-7f3a9c2e-01"
    for bad in ("short", "has space in it", "x" * 300, "inject\r\nSet-Cookie: a=b", '"quoted-value"'):
        kept = client.get("/login/", HTTP_X_REQUEST_ID=bad)["X-Request-ID"]
        assert kept != bad
        assert re.fullmatch(r"[0-9a-f]{32}", kept)


def test_each_request_is_one_json_line_with_its_context(client, world, json_log):
    client.force_login(world.owner)
    response = client.get(f"/t/{world.acme.slug}/", HTTP_X_REQUEST_ID="req-0001-abcdef")
    assert response.status_code == 200
    [line] = [entry for entry in json_log() if entry["logger"] == "dengar.request"]
    assert line["request_id"] == "req-0001-abcdef"
    assert (line["method"], line["path"], line["status"]) == ("GET", f"/t/{world.acme.slug}/", 200)
    assert line["user_id"] == world.owner.pk
    assert line["tenant"] == "acme"
    assert isinstance(line["duration_ms"], float)
    assert line["level"] == "INFO"
    assert line["time"].endswith("+00:00")


def test_the_request_line_costs_no_query(client, world, settings, json_log, django_assert_num_queries):
    client.force_login(world.owner)
    settings.ROOT_URLCONF = __name__
    with django_assert_num_queries(0):  # a view that never asks who the user is
        assert client.get("/chatty/").status_code == 200
    [line] = [entry for entry in json_log() if entry["logger"] == "dengar.request"]
    assert "user_id" not in line  # not looked up just to be logged


def test_records_logged_during_a_request_carry_its_request_id(client, db, json_log, settings):
    settings.ROOT_URLCONF = __name__
    Client(raise_request_exception=False).get("/chatty/", HTTP_X_REQUEST_ID="req-chatty-0001")
    inside = [entry for entry in json_log() if entry["logger"] == "dengar.view"]
    assert inside
    assert inside[0]["request_id"] == "req-chatty-0001"


def test_a_task_run_is_one_json_line_with_name_id_duration_and_outcome(json_log):
    import workers  # noqa: F401 - the Celery app connects the task signals

    class Task:
        name = "workers.tasks.polling.source_poll"

    signals.task_prerun.send(sender=Task, task_id="task-42", task=Task)
    logging.getLogger("dengar.adapters").info("fetched 3 mentions")
    signals.task_postrun.send(sender=Task, task_id="task-42", task=Task, state="SUCCESS")
    inside, done = [e for e in json_log() if e["logger"] in {"dengar.adapters", "dengar.tasks"}]
    assert (inside["task_id"], inside["task_name"]) == ("task-42", Task.name)
    assert done["task_id"] == "task-42"
    assert done["outcome"] == "success"
    assert isinstance(done["duration_ms"], float)


def test_a_task_queued_during_a_request_logs_that_requests_id(json_log):
    import workers  # noqa: F401 - the Celery app connects the task signals
    from listening.serving.logs import bound_log_context

    headers: dict = {}
    with bound_log_context(request_id="req-click-0001"):
        signals.before_task_publish.send(sender="workers.tasks.alerts.alert_deliver", headers=headers, body=())
    assert headers["dengar_request_id"] == "req-click-0001"

    class Task:  # the worker side: custom message headers are attributes of task.request
        name = "workers.tasks.alerts.alert_deliver"
        request = type("Request", (), {"dengar_request_id": "req-click-0001"})()

    signals.task_prerun.send(sender=Task, task_id="task-43", task=Task)
    signals.task_postrun.send(sender=Task, task_id="task-43", task=Task, state="SUCCESS")
    [done] = [e for e in json_log() if e["logger"] == "dengar.tasks"]
    assert (done["request_id"], done["task_id"]) == ("req-click-0001", "task-43")


# --- Error pages -------------------------------------------------------------------------------
def _boom(request: HttpRequest) -> HttpResponse:
    from django.conf import settings

    raise RuntimeError(f"could not reach {settings.DATABASE_URL} with key {settings.SECRET_KEY}")


def _chatty(request: HttpRequest) -> HttpResponse:
    logging.getLogger("dengar.view").info("working")
    return HttpResponse("ok")


urlpatterns = [path("boom/", _boom), path("api/v1/boom/", _boom), path("chatty/", _chatty)]
handler500 = "listening.serving.errors.server_error"


@pytest.fixture
def failing_site(settings, monkeypatch):
    settings.ROOT_URLCONF = __name__
    settings.DATABASE_URL = DSN
    monkeypatch.setenv("DATABASE_URL", DSN)
    return Client(raise_request_exception=False)


def test_a_500_page_shows_nothing_secret_and_the_reference_to_quote(failing_site, db, settings, json_log):
    assert settings.DEBUG is False
    response = failing_site.get("/boom/", HTTP_X_REQUEST_ID="req-boom-00001")
    assert response.status_code == 500
    body = response.content.decode()
    assert DB_PASSWORD not in body
    assert settings.SECRET_KEY not in body
    assert "RuntimeError" not in body
    assert "Something went wrong" in body
    assert "req-boom-00001" in body
    assert "dashboard/dashboard.css" in body  # the dashboard's look


def test_the_log_line_of_the_exception_has_no_password(failing_site, db, settings, json_log):
    failing_site.get("/boom/", HTTP_X_REQUEST_ID="req-boom-00002")
    [error] = [entry for entry in json_log() if entry["level"] == "ERROR"]
    assert error["logger"] == "django.request"
    assert error["request_id"] == "req-boom-00002"
    assert "RuntimeError: could not reach postgres://dengar:********@postgres" in error["exception"]
    assert DB_PASSWORD not in json_log.text()
    assert settings.SECRET_KEY not in json_log.text()


def test_an_api_500_is_json_with_the_reference(failing_site, db):
    response = failing_site.get("/api/v1/boom/", HTTP_X_REQUEST_ID="req-boom-00003")
    assert response.status_code == 500
    assert response.json() == {"detail": "Server error.", "request_id": "req-boom-00003"}


def test_even_the_development_debug_page_hides_the_database_password(failing_site, db, settings):
    settings.DEBUG = True
    response = failing_site.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "RuntimeError" in body  # it is the technical page
    assert DB_PASSWORD not in body
    assert settings.SECRET_KEY not in body
    assert "DATABASE_URL" in body  # listed, value hidden


def test_a_404_is_the_dashboards_page_with_no_detail(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert "dashboard/dashboard.css" in body
    assert "/no/such/page/" not in body
    assert "urlpatterns" not in body
