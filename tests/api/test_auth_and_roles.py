from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from listening.models import Brand, Source
from listening.scoping import current_tenant_or_none
from tests import factories


def test_it_requires_authentication(world):
    for url in ["/api/v1/tenants/", "/api/v1/portfolio/", "/api/v1/tenants/acme/brands/",
                "/api/v1/tenants/acme/mentions/", "/api/v1/tenants/nope/sources/"]:
        response = APIClient().get(url)
        assert response.status_code == 401, url
        assert response["WWW-Authenticate"].startswith("Token"), url
        assert "results" not in response.json(), url


def test_it_answers_401_with_a_challenge_for_token_clients(world):
    response = APIClient().get("/api/v1/tenants/acme/sources/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")


def test_it_refuses_a_bad_token(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/v1/tenants/acme/").status_code == 401


def test_it_issues_a_token_for_a_password(world):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "owner", "password": factories.PASSWORD, "tenant": "acme"}
    )
    assert response.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/v1/tenants/acme/").status_code == 200


def test_it_accepts_a_session_too(world):
    client = APIClient()
    client.force_login(world.viewer)
    assert client.get("/api/v1/tenants/acme/brands/").status_code == 200


def test_a_viewer_may_read_but_not_create_a_source(world, api_client_for):
    client = api_client_for(world.viewer)
    assert client.get("/api/v1/tenants/acme/sources/").status_code == 200
    payload = {"name": "New", "kind": "fakefeed", "config": {}}
    assert client.post("/api/v1/tenants/acme/sources/", payload, format="json").status_code == 403
    assert not Source.all_tenants.filter(name="New").exists()


def test_an_owner_may_create_a_source(world, api_client_for):
    payload = {"name": "New", "kind": "fakefeed", "config": {}}
    response = api_client_for(world.owner).post(
        "/api/v1/tenants/acme/sources/", payload, format="json"
    )
    assert response.status_code == 201, response.json()
    assert Source.all_tenants.get(name="New").tenant == world.acme


def test_an_admin_may_change_brands(world, api_client_for):
    admin = factories.UserFactory(username="admin")
    factories.MembershipFactory(user=admin, tenant=world.acme, role="admin")
    response = api_client_for(admin).patch(
        f"/api/v1/tenants/acme/brands/{world.acme_brand.pk}/", {"aliases": ["ACME Co"]},
        format="json",
    )
    assert response.status_code == 200
    world.acme_brand.refresh_from_db()
    assert world.acme_brand.aliases == ["ACME Co"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_an_analyst_may_not_change_brands(world, api_client_for, method):
    url = "/api/v1/tenants/acme/brands/"
    if method != "post":
        url += f"{world.acme_brand.pk}/"
    response = getattr(api_client_for(world.agency_user), method)(
        url, {"name": "Changed"}, format="json"
    )
    assert response.status_code == 403
    assert Brand.all_tenants.filter(tenant=world.acme).values_list("name", flat=True).get() == "Acme"


def test_a_non_member_gets_404_not_403_even_for_writes(world, api_client_for):
    client = api_client_for(world.outsider)
    assert client.get("/api/v1/tenants/acme/brands/").status_code == 404
    assert client.post("/api/v1/tenants/acme/brands/", {"name": "X"}, format="json").status_code == 404


def test_no_such_tenant_and_not_yours_read_the_same(world, api_client_for):
    client = api_client_for(world.outsider)
    missing = client.get("/api/v1/tenants/does-not-exist/")
    not_yours = client.get("/api/v1/tenants/acme/")
    assert missing.status_code == not_yours.status_code == 404
    assert missing.json() == not_yours.json()


def test_it_leaves_no_tenant_scope_behind(world, api_client_for):
    api_client_for(world.owner).get("/api/v1/tenants/acme/brands/")
    api_client_for(world.outsider).get("/api/v1/tenants/acme/brands/")
    assert current_tenant_or_none() is None
