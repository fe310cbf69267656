"""The OpenAPI document and the API agree, case by case (the fuzz in test_schema_fuzz.py finds
these and more; each here is one mismatch it found, kept as a plain test)."""

from __future__ import annotations

import re

import pytest

BASE = "/api/v1/tenants/acme"
HTTP_METHODS = {"get", "put", "post", "patch", "delete"}


@pytest.fixture
def document(world, api_client_for):
    response = api_client_for(world.viewer).get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def owner(world, api_client_for):
    return api_client_for(world.owner)


def operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            if method in HTTP_METHODS:
                yield path, method, operation


def test_every_operation_documents_the_refusals_it_can_give(document):
    missing = []
    for path, method, operation in operations(document):
        codes = set(operation["responses"])
        expected = {"401", "403", "429"}
        if "{" in path:
            expected.add("404")
        if "requestBody" in operation or any(p["in"] == "query" for p in operation.get("parameters", [])):
            expected.add("400")
        if not expected <= codes:
            missing.append(f"{method.upper()} {path}: {sorted(expected - codes)}")
    assert not missing, "\n".join(missing)


def test_a_throttled_answer_is_documented_with_retry_after(document):
    too_many = document["paths"]["/api/v1/tenants/{tenant_slug}/mentions/"]["get"]["responses"]["429"]
    assert "Retry-After" in too_many["headers"]


def test_business_hours_are_documented_as_the_times_the_api_writes(document, owner):
    written = owner.get(f"{BASE}/response-settings/").json()["business_day_start"]
    field = document["components"]["schemas"]["ResponseSettings"]["properties"]["business_day_start"]
    # format "time" is RFC 3339's full-time, which needs an offset: "09:00:00" would be invalid.
    assert field.get("format") != "time"
    assert re.search(field["pattern"], written), written


@pytest.mark.parametrize("value", ["0900", "9:00", "09:00:00+07:00"])
def test_business_hours_refuse_what_the_document_does_not_allow(owner, value):
    response = owner.patch(f"{BASE}/response-settings/", {"business_day_start": value}, format="json")
    assert response.status_code == 400, response.content
    assert "business_day_start" in response.json()


def test_a_mention_without_an_address_keeps_to_the_document(document):
    url = document["components"]["schemas"]["MentionOutput"]["properties"]["url"]
    assert url.get("format") != "uri"  # mentions may have none: ""


def test_page_size_is_documented_with_its_range(document):
    (page_size,) = [p for p in document["paths"]["/api/v1/tenants/{tenant_slug}/mentions/"]["get"]
                    ["parameters"] if p["name"] == "page_size"]
    assert (page_size["schema"]["minimum"], page_size["schema"]["maximum"]) == (1, 500)


@pytest.mark.parametrize("page_size", ["abc", "0", "501", "\u00b2"])
def test_a_page_size_out_of_range_is_a_400_on_page_size(owner, page_size):
    response = owner.get(f"{BASE}/mentions/", {"page_size": page_size})
    assert response.status_code == 400, response.content
    assert "page_size" in response.json()


@pytest.mark.parametrize(("path", "query", "field"), [
    ("alerts/", {"status": ""}, "status"),
    ("complaints/", {"status": ""}, "status"),
    ("mentions/", {"complaint": "yes"}, "complaint"),
    ("mentions/", {"brand": "1.0"}, "brand"),
    ("response-metrics/", {"until": ""}, "until"),
    ("corrections/", {"since": ""}, "since"),
])
def test_a_query_parameter_the_document_does_not_allow_is_refused(owner, path, query, field):
    response = owner.get(f"{BASE}/{path}", query)
    assert response.status_code == 400, response.content
    assert field in response.json()


@pytest.mark.parametrize(("path", "method", "body", "field"), [
    ("sources/", "post", {"name": "Feed", "kind": "fakefeed", "poll_interval_seconds": "120"},
     "poll_interval_seconds"),
    ("brands/", "post", {"name": 42}, "name"),
    ("rules/", "post", {"phrase": "refund", "effect": "complaint", "is_active": "yes"}, "is_active"),
    ("alert-settings/", "patch", {"alert_cooldown_minutes": 30.0}, "alert_cooldown_minutes"),
    ("response-settings/", "patch", {"business_weekdays": ["1"]}, "business_weekdays"),
])
def test_a_body_value_of_another_json_type_is_refused_on_its_field(owner, path, method, body, field):
    response = getattr(owner, method)(f"{BASE}/{path}", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_an_api_address_no_route_matches_is_a_json_404(owner):
    response = owner.get(f"{BASE}/brands/abc/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_request_bodies_document_that_a_blank_string_is_refused(document, owner):
    name = document["components"]["schemas"]["BrandInputRequest"]["properties"]["name"]
    assert name["minLength"] == 1
    assert owner.post(f"{BASE}/brands/", {"name": ""}, format="json").status_code == 400


def test_a_source_config_is_documented_as_the_object_it_must_be(document):
    config = document["components"]["schemas"]["SourceInputRequest"]["properties"]["config"]
    assert config["type"] == "object"
