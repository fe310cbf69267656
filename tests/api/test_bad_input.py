"""Bad input gets a 400 or a 404 that says what is wrong, never a 500.

Each test is one request that used to end in a server error (found by probing from outside).
"""

from __future__ import annotations

import dataclasses
import json
import math
from base64 import b64encode

import pytest
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.views import APIView

from listening.models import Source
from tests import factories

BASE = "/api/v1/tenants/acme"


@pytest.fixture
def owner(world, api_client_for):
    client = api_client_for(world.owner)
    client.raise_request_exception = False  # a server error is an answer to assert on
    return client


def post_raw(client, url, body: str, method: str = "post"):
    return getattr(client, method)(url, body, content_type="application/json")


# --- text the database cannot store ----------------------------------------------------------


@pytest.mark.parametrize("text", ["a\x00b", "\ud800"], ids=["nul", "lone-surrogate"])
def test_it_refuses_unstorable_text_in_a_source_config_under_config(owner, text):
    body = json.dumps({"name": "Feed", "kind": "fakefeed", "config": {"api_key": text}})
    response = post_raw(owner, f"{BASE}/sources/", body)
    assert response.status_code == 400, response.content
    assert "config" in response.json()
    assert not Source.all_tenants.filter(name="Feed").exists()


def test_it_refuses_a_lone_surrogate_in_a_config_key_on_update(world, owner):
    url = f"{BASE}/sources/{world.acme_source.pk}/"
    response = post_raw(owner, url, json.dumps({"config": {"\ud800": 1}}), method="patch")
    assert response.status_code == 400, response.content
    assert "config" in response.json()


@pytest.mark.parametrize(("url", "body"), [
    ("rules/", {"phrase": "refund", "effect": "\ud800"}),
    ("alert-channels/", {"name": "Ops", "kind": "\ud800", "target": "ops@example.com"}),
    ("response-settings/", {"answer_policy": "\ud800"}),
])
def test_it_quotes_a_lone_surrogate_back_in_valid_json(owner, url, body):
    # DRF's messages quote the bad choice; the renderer used to fail to encode it as UTF-8.
    response = post_raw(owner, f"{BASE}/{url}", json.dumps(body),
                        method="patch" if url == "response-settings/" else "post")
    assert response.status_code == 400, response.content
    (messages,) = json.loads(response.content).values()
    assert "\ud800" in messages[0]


# --- the parser ----------------------------------------------------------------------------


def test_it_refuses_json_nested_2000_deep_with_a_400(owner):
    response = post_raw(owner, f"{BASE}/brands/", "[" * 2000 + "]" * 2000)
    assert response.status_code == 400, response.content
    assert "nested" in response.json()["detail"]


def test_it_refuses_json_nested_past_the_limit_even_when_python_could_parse_it(owner):
    from listening.api.parsers import MAX_DEPTH

    deep = {"name": "Deep", "keywords": ["a"]}
    nested: object = "x"
    for _ in range(MAX_DEPTH):
        nested = [nested]
    deep["aliases"] = nested
    response = post_raw(owner, f"{BASE}/brands/", json.dumps(deep))
    assert response.status_code == 400, response.content
    assert "nested" in response.json()["detail"]


def test_it_refuses_a_number_too_large_for_a_float(owner):
    # 1e999 reads as inf in Python; DRF refuses NaN and Infinity literals already.
    response = post_raw(owner, f"{BASE}/alert-settings/", '{"alert_cooldown_minutes": 1e999}',
                        method="patch")
    assert response.status_code == 400, response.content
    assert "detail" in response.json()


# --- query parameters ----------------------------------------------------------------------


def cursor(query: str) -> str:
    return b64encode(query.encode()).decode()


@pytest.mark.parametrize("path", [
    "mentions/", "complaints/", "alerts/", "rules/", "corrections/", "holidays/", "alert-channels/",
])
def test_it_answers_a_malformed_cursor_with_404_invalid_cursor(owner, path):
    response = owner.get(f"{BASE}/{path}", {"cursor": "cD14"})  # "p=x"
    assert response.status_code == 404, response.content
    assert response.json() == {"detail": "Invalid cursor"}


@pytest.mark.parametrize("position", ["0001-01-01 00:00:00+05:00", "9999-12-31 23:59:59-05:00"])
def test_it_answers_a_cursor_at_a_time_with_no_utc_form_with_404(owner, position):
    response = owner.get(f"{BASE}/mentions/", {"cursor": cursor(f"p={position}")})
    assert response.status_code == 404, response.content


def test_it_still_pages_mentions_with_the_cursors_it_gives(world, owner):
    for _ in range(3):
        factories.MentionFactory(source=world.acme_source, brand=world.acme_brand)
    first = owner.get(f"{BASE}/mentions/", {"page_size": 2}).json()
    second = owner.get(first["next"]).json()
    assert len(first["results"]) + len(second["results"]) == 3
    assert not {m["id"] for m in first["results"]} & {m["id"] for m in second["results"]}


def test_it_refuses_an_until_too_early_for_the_default_window_with_a_400(owner):
    # since defaults to 30 days before until: before year 1.
    response = owner.get(f"{BASE}/response-metrics/", {"until": "0001-01-05T00:00:00Z"})
    assert response.status_code == 400, response.content
    assert "until" in response.json()


def test_it_refuses_a_superscript_digit_as_assignee_with_a_400(owner):
    response = owner.get(f"{BASE}/complaints/", {"assigned_to": "\u00b2"})
    assert response.status_code == 400, response.content
    assert "assigned_to" in response.json()


# --- what the API answers with ---------------------------------------------------------------

TENANT_LISTS = ["brands/", "sources/", "mentions/", "complaints/", "corrections/", "rules/",
                "holidays/", "alerts/", "alert-channels/"]


@pytest.mark.parametrize("path", TENANT_LISTS)
def test_a_tenant_list_asked_for_html_is_not_a_server_error(owner, path):
    response = owner.get(f"{BASE}/{path}", HTTP_ACCEPT="text/html")
    # Without DEBUG there is no browsable API: JSON is all this API speaks.
    assert response.status_code == 406, response.content


@pytest.mark.parametrize("path", TENANT_LISTS)
def test_the_browsable_api_renders_tenant_lists_inside_the_tenant_scope(owner, monkeypatch, path):
    # As in development, where the browsable API is on.
    monkeypatch.setattr(APIView, "renderer_classes", [*APIView.renderer_classes, BrowsableAPIRenderer])
    response = owner.get(f"{BASE}/{path}", HTTP_ACCEPT="text/html")
    assert response.status_code == 200, response.content[:2000]
    assert response["Content-Type"].startswith("text/html")


def test_it_writes_null_for_a_figure_that_is_not_finite(owner, monkeypatch):
    import listening.api.flags as flags

    real = flags.volume_change

    def infinite(**kwargs):
        return dataclasses.replace(real(**kwargs), change=math.inf, weekly_baseline=math.nan)

    monkeypatch.setattr(flags, "volume_change", infinite)
    response = owner.get(f"{BASE}/flags/")
    assert response.status_code == 200, response.content
    volume = json.loads(response.content)["volume"]  # json.loads would read NaN; check the text
    assert (volume["change"], volume["weekly_baseline"]) == (None, None)
    assert b"NaN" not in response.content
    assert b"Infinity" not in response.content


def test_the_json_renderer_writes_valid_json_for_any_float():
    from listening.api.renderers import JSONRenderer

    rendered = JSONRenderer().render({"a": [math.inf, -math.inf, math.nan, 1.5], "b": {"c": math.nan}})
    assert json.loads(rendered, parse_constant=lambda c: pytest.fail(f"{c} in JSON")) == {
        "a": [None, None, None, 1.5], "b": {"c": None}}


def test_the_exception_handler_answers_unstorable_text_with_a_400_and_nothing_else():
    from listening.api.exceptions import exception_handler

    surrogate = UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")
    assert exception_handler(surrogate, {"view": None}).status_code == 400
    assert exception_handler(ValueError("a bug"), {"view": None}) is None


# --- the dashboard -----------------------------------------------------------------------------


def test_the_dashboard_refuses_a_superscript_digit_as_alert_id_with_a_400(world, client):
    client.force_login(world.owner)
    client.raise_request_exception = False
    response = client.post("/t/acme/", {"action": "acknowledge", "alert_id": "\u00b2"})
    assert response.status_code == 400


def test_the_export_writes_a_refusal_as_text_a_person_can_read(owner):
    response = owner.get(f"{BASE}/corrections/export/", {"task": "weather"}, HTTP_ACCEPT="text/csv")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode() == 'task: "weather" is not a valid choice.'
