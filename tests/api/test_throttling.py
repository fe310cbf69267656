"""API throttles: per user, per anonymous client, and a stricter one for making tokens; 429 with
Retry-After."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from listening.models import ApiToken
from tests import factories


@pytest.fixture
def rates(monkeypatch):
    """Small rates for the test (the throttle classes read theirs once, at import)."""
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES",
                        {"user": "3/min", "anon": "3/min", "token_create": "2/min"})


def test_a_token_past_the_user_rate_gets_429_with_retry_after(world, api_client_for, rates):
    client = api_client_for(world.owner, tenant=world.acme)
    for _ in range(3):
        assert client.get("/api/v1/tenants/acme/brands/").status_code == 200
    response = client.get("/api/v1/tenants/acme/brands/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    # Another user is not held back by the first one's count.
    assert api_client_for(world.viewer, tenant=world.acme).get("/api/v1/tenants/acme/").status_code == 200


def test_an_anonymous_client_past_the_anon_rate_gets_429(world, rates):
    client = APIClient()
    for _ in range(3):
        assert client.get("/api/v1/schema/").status_code == 200
    response = client.get("/api/v1/schema/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_a_client_guessing_tokens_is_throttled_as_anonymous(world, rates):
    client = APIClient()
    for i in range(3):
        client.credentials(HTTP_AUTHORIZATION=f"Token dgr_abcdefghij_guess{i}")
        assert client.get("/api/v1/tenants/acme/").status_code == 401
    response = client.get("/api/v1/tenants/acme/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_making_tokens_has_a_stricter_rate(world, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES",
                        {"user": "100/min", "anon": "100/min", "token_create": "2/min"})
    client = APIClient()
    client.force_login(world.owner)
    for _ in range(2):
        assert client.post("/api/v1/auth/tokens/", {"tenant": "acme"}, format="json").status_code == 201
    response = client.post("/api/v1/auth/tokens/", {"tenant": "acme"}, format="json")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert client.get("/api/v1/auth/tokens/").status_code == 200  # listing is not counted
    assert ApiToken.objects.count() == 2


def test_making_tokens_by_password_is_throttled_per_address(world, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES",
                        {"user": "100/min", "anon": "100/min", "token_create": "2/min"})
    body = {"username": "owner", "password": factories.PASSWORD, "tenant": "acme"}
    for _ in range(2):
        assert APIClient().post("/api/v1/auth/token/", body).status_code == 200
    response = APIClient().post("/api/v1/auth/token/", body)
    assert response.status_code == 429
    assert "Retry-After" in response
