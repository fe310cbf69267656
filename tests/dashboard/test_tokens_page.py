"""The API tokens page: the user's own live tokens, a form to make one (the secret shown once) and
revoke buttons; POST only for changes, CSRF protected."""

from __future__ import annotations

from django.test import Client
from rest_framework.test import APIClient

from listening.models import ApiToken
from listening.services.tokens import api_token_create


def test_it_lists_only_the_users_own_live_tokens(client_for, world):
    mine, _ = api_token_create(user=world.agency_user, tenant=world.globex, name="my script")
    theirs, _ = api_token_create(user=world.owner, tenant=world.acme, name="owner script")
    page = client_for(world.agency_user).get("/tokens/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "my script" in html
    assert f"dgr_{mine.prefix}_" in html
    assert "owner script" not in html
    assert theirs.prefix not in html
    assert "API tokens" in client_for(world.agency_user).get("/").content.decode()  # in the header


def test_it_makes_a_token_and_shows_the_secret_once(client_for, world):
    client = client_for(world.agency_user)
    response = client.post("/tokens/", {"name": "ci", "tenant": "globex", "scope": "read",
                                         "expires_in_days": "30"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=world.agency_user)
    secret = response.context["secret"]
    assert secret.startswith(f"dgr_{token.prefix}_")
    assert secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert (token.tenant, token.scope, token.name) == (world.globex, "read", "ci")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get("/api/v1/tenants/globex/").status_code == 200
    assert secret not in client.get("/tokens/").content.decode()


def test_it_offers_and_accepts_only_the_users_tenants(client_for, world):
    client = client_for(world.owner)
    page = client.get("/tokens/").content.decode()
    assert 'value="acme"' in page
    assert 'value="initech"' not in page
    response = client.post("/tokens/", {"tenant": "initech", "scope": "read", "expires_in_days": "30"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_it_refuses_an_expiry_past_a_year(client_for, world):
    response = client_for(world.owner).post(
        "/tokens/", {"tenant": "acme", "scope": "read", "expires_in_days": "400"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_revoking_takes_a_post_and_only_for_ones_own_token(client_for, world):
    mine, key = api_token_create(user=world.owner, tenant=world.acme)
    theirs, _ = api_token_create(user=world.viewer, tenant=world.acme)
    client = client_for(world.owner)
    assert client.get(f"/tokens/{mine.pk}/revoke/").status_code == 405
    assert client.post(f"/tokens/{theirs.pk}/revoke/").status_code == 404
    assert client.post(f"/tokens/{mine.pk}/revoke/").status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None
    assert theirs.revoked_at is None


def test_changes_need_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.owner)
    token, _ = api_token_create(user=world.owner, tenant=world.acme)
    assert client.post("/tokens/", {"tenant": "acme", "scope": "read", "expires_in_days": "30"}).status_code == 403
    assert client.post(f"/tokens/{token.pk}/revoke/").status_code == 403
    assert ApiToken.objects.filter(revoked_at=None).count() == 1


def test_it_needs_a_login(client, world):
    assert client.get("/tokens/")["Location"].startswith("/login/")
