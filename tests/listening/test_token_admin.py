"""Operators revoke API tokens from the admin; they never see a digest there."""

from __future__ import annotations

from django.test import Client

from listening.models import ApiToken
from listening.services.tokens import api_token_create
from tests import factories


def test_an_operator_revokes_a_token_in_the_admin(world):
    token, key = api_token_create(user=world.owner, tenant=world.acme)
    operator = factories.UserFactory(username="operator", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(operator)
    page = client.get(f"/admin/listening/apitoken/{token.pk}/change/")
    assert page.status_code == 200
    assert token.digest not in page.content.decode()
    response = client.post("/admin/listening/apitoken/", {
        "action": "revoke", "_selected_action": [token.pk],
    })
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert client.get("/admin/listening/apitoken/add/").status_code == 403
