"""One tenant cannot make the shared workers do unbounded work: keywords, accounts, brands,
sources, configs, poll intervals, rules, holidays, channels and page sizes are limited, and what
passes a limit is refused with a 400 that names the field."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

from listening.models import AlertChannel, Brand, TenantHoliday, TenantRule
from listening.models.alerts import AlertKind
from tests import factories
from workers.adapters import registry

BASE = "/api/v1/tenants/acme"


@pytest.fixture
def limits(settings):
    def set_limits(**values):
        settings.DENGAR = {**settings.DENGAR, "LIMITS": {**settings.DENGAR["LIMITS"], **values}}
    return set_limits


def refused_past_the_limit(client, url, first, second):
    """POST ``first``, which is accepted, then ``second``, which is refused: its errors."""
    assert client.post(url, first, format="json").status_code == 201
    response = client.post(url, second, format="json")
    assert response.status_code == 400
    return response.json()


def brand(**overrides):
    return {"name": "Acme Shoes", "keywords": ["acme shoes"], **overrides}


def test_a_brand_with_more_keywords_than_the_limit_is_refused(world, api_client_for):
    response = api_client_for(world.owner).post(
        f"{BASE}/brands/", brand(keywords=[f"keyword {i}" for i in range(201)]), format="json")
    assert response.status_code == 400
    assert response.json()["keywords"] == ["At most 200 entries are allowed."]
    assert not Brand.all_tenants.filter(name="Acme Shoes").exists()


def test_a_keyword_longer_than_the_limit_is_refused_in_each_list(world, api_client_for):
    client = api_client_for(world.owner)
    for field in ("keywords", "aliases", "exclusions"):
        response = client.post(f"{BASE}/brands/", brand(**{field: ["x" * 101]}), format="json")
        assert response.status_code == 400
        assert "at most 100 characters" in response.json()[field][0]
    assert client.post(f"{BASE}/brands/", brand(keywords=["x" * 100] * 200), format="json").status_code == 201


def test_a_brand_update_is_held_to_the_same_limits(world, api_client_for):
    response = api_client_for(world.owner).patch(
        f"{BASE}/brands/{world.acme_brand.pk}/", {"aliases": ["a"] * 201}, format="json")
    assert response.status_code == 400
    assert "aliases" in response.json()


def test_a_brand_with_too_many_accounts_is_refused(world, api_client_for):
    accounts = [{"platform": "x", "handle": f"acme{i}"} for i in range(51)]
    response = api_client_for(world.owner).post(f"{BASE}/brands/", brand(accounts=accounts), format="json")
    assert response.status_code == 400
    assert response.json()["accounts"] == ["At most 50 accounts are allowed."]


def test_a_tenant_cannot_have_more_brands_than_the_limit(world, api_client_for, limits):
    limits(BRANDS_PER_TENANT=2)  # Acme has one
    errors = refused_past_the_limit(
        api_client_for(world.owner), f"{BASE}/brands/", brand(), brand(name="Acme Hats"))
    assert errors["name"] == ["This tenant already has 2 brands, the most it may have."]


def source(**overrides):
    return {"name": "Feed", "kind": "fakefeed", "config": {"scenario": "steady"}, **overrides}


def test_a_tenant_cannot_have_more_sources_than_the_limit(world, api_client_for, limits):
    limits(SOURCES_PER_TENANT=2)  # Acme has one
    errors = refused_past_the_limit(
        api_client_for(world.owner), f"{BASE}/sources/", source(), source(name="Second"))
    assert errors["name"] == ["This tenant already has 2 sources, the most it may have."]


def test_a_config_larger_than_the_limit_is_refused(world, api_client_for):
    config = {"scenario": "steady", "seed": 1, "note": "x" * 9000}
    response = api_client_for(world.owner).post(f"{BASE}/sources/", source(config=config), format="json")
    assert response.status_code == 400
    assert "at most 8192 are allowed" in response.json()["config"][0]


def test_a_poll_interval_below_the_minimum_is_refused(world, api_client_for):
    client = api_client_for(world.owner)
    response = client.post(f"{BASE}/sources/", source(poll_interval_seconds=30), format="json")
    assert response.status_code == 400
    assert response.json()["poll_interval_seconds"] == ["The poll interval must be at least 60 seconds."]
    assert client.post(f"{BASE}/sources/", source(poll_interval_seconds=60), format="json").status_code == 201


def test_the_mock_adapter_has_bounded_volume(world, api_client_for, settings):
    settings.DENGAR = {**settings.DENGAR, "ENABLE_MOCK_ADAPTER": True}
    client = api_client_for(world.owner)
    response = client.post(f"{BASE}/sources/", source(kind="mock", config={
        "max_items": 100_000, "backfill_days": 400, "rate_per_hour": 100_000}), format="json")
    assert response.status_code == 400
    errors = response.json()["config"]
    assert errors["max_items"] == ["Must be at most 5000."]
    assert errors["backfill_days"] == ["Must be at most 60."]
    assert errors["rate_per_hour"] == ["Must be at most 20000."]
    ok = client.post(f"{BASE}/sources/", source(kind="mock", config={"max_items": 5000, "backfill_days": 60}),
                     format="json")
    assert ok.status_code == 201, ok.json()


def test_the_mock_adapter_is_not_offered_unless_the_deployment_enables_it(world, api_client_for, settings):
    settings.DENGAR = {**settings.DENGAR, "ENABLE_MOCK_ADAPTER": False}
    response = api_client_for(world.owner).post(f"{BASE}/sources/", source(kind="mock", config={}), format="json")
    assert response.status_code == 400
    assert "Unknown source kind" in response.json()["kind"][0]
    assert "mock" not in registry.kinds()
    with pytest.raises(registry.UnknownAdapter):
        registry.build("mock", {})


def test_the_mock_adapter_is_off_by_default_in_production_only(tmp_path):
    code = "from django.conf import settings; print(settings.DENGAR['ENABLE_MOCK_ADAPTER'])"

    def enabled(**env):
        environment = {k: v for k, v in os.environ.items() if not k.startswith(("DENGAR_", "DJANGO_"))}
        environment.update({"DJANGO_SETTINGS_MODULE": "listening.settings", "DENGAR_VAR_DIR": str(tmp_path),
                            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), **env})
        out = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True,
                             check=True, cwd=settings.BASE_DIR)
        return out.stdout.strip()

    assert enabled(DENGAR_ENV="production") == "False"
    assert enabled(DENGAR_ENV="production", DENGAR_ENABLE_MOCK_ADAPTER="1") == "True"
    assert enabled(DENGAR_ENV="development") == "True"


def test_a_tenant_cannot_have_more_rules_than_the_limit(world, api_client_for, limits):
    limits(RULES_PER_TENANT=1)
    errors = refused_past_the_limit(
        api_client_for(world.owner), f"{BASE}/rules/",
        {"phrase": "no signal", "effect": "complaint"}, {"phrase": "refund", "effect": "complaint"})
    assert errors["phrase"] == ["This tenant already has 1 rules, the most it may have."]
    assert TenantRule.all_tenants.filter(tenant=world.acme).count() == 1


def test_a_tenant_cannot_have_more_holidays_than_the_limit(world, api_client_for, limits):
    limits(HOLIDAYS_PER_TENANT=1)
    errors = refused_past_the_limit(
        api_client_for(world.owner), f"{BASE}/holidays/",
        {"date": "2026-12-25", "name": "Natal"}, {"date": "2026-12-26", "name": "Cuti"})
    assert "date" in errors
    assert TenantHoliday.all_tenants.filter(tenant=world.acme).count() == 1


def test_a_tenant_cannot_have_more_alert_channels_than_the_limit(world, api_client_for, limits):
    limits(ALERT_CHANNELS_PER_TENANT=1)
    hook = {"kind": "webhook", "target": "https://hooks.example.com/x"}
    errors = refused_past_the_limit(
        api_client_for(world.owner), f"{BASE}/alert-channels/", {"name": "a", **hook}, {"name": "b", **hook})
    assert "name" in errors
    assert AlertChannel.all_tenants.filter(tenant=world.acme).count() == 1


def test_a_page_larger_than_the_limit_is_refused(world, api_client_for, limits):
    limits(PAGE_SIZE_MAX=5)
    for _ in range(7):
        factories.MentionFactory(source=world.acme_source, brand=world.acme_brand)
    client = api_client_for(world.viewer)
    assert len(client.get(f"{BASE}/mentions/", {"page_size": 5}).json()["results"]) == 5
    response = client.get(f"{BASE}/mentions/", {"page_size": 6})
    assert response.status_code == 400
    assert "page_size" in response.json()


def test_a_channels_event_list_is_bounded(world, api_client_for):
    response = api_client_for(world.owner).post(f"{BASE}/alert-channels/", {
        "name": "a", "kind": "webhook", "target": "https://hooks.example.com/x",
        "events": ["decline"] * (len(AlertKind.choices) + 1),
    }, format="json")
    assert response.status_code == 400
    assert "events" in response.json()
