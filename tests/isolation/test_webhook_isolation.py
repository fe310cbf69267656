"""Public webhook routes, found by walking the resolver like the rest of the API: no tenant in the
URL, so the key in it must be the only way in, and lead only into the one source it names.

For every route under api/v1/ that takes a ``<webhook_key>``: an unknown key is 404 for every
method; acme's key with a request signed by another tenant's app secret is refused and writes
no mention; a request signed by acme itself that speaks of another tenant's account writes
nothing either. A canary proves the checker sees a route that writes where it should not.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from typing import Any

import pytest
from django.http import HttpResponse
from django.urls import path
from rest_framework.test import APIClient
from rest_framework.views import APIView

from listening.models import Mention, Source
from listening.services.sources import source_create
from tests.isolation.test_api_isolation import Route, api_routes
from tests.workers.graphfake import fixture

ACME_IG, INITECH_IG = "17841400000000001", "17841400000000002"


def webhook_routes() -> list[Route]:
    return [r for r in api_routes() if "webhook_key" in r.params]


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def instagram(tenant: Any, account: str, secret: str) -> Source:
    return source_create(tenant=tenant, name=f"Instagram {account}", kind="instagram", config={
        "account_id": account, "access_token": "EAAtoken0123456789abcdefghij", "app_secret": secret,
        "verify_token": f"verify {secret}"})


def payload_for(account: str) -> bytes:
    body = json.loads(fixture("instagram", "webhook_comments.json"))
    body["entry"][0]["id"] = account
    return json.dumps(body).encode()


def violations(client: APIClient, routes: list[Route], *, acme: Source, initech: Source) -> list[str]:
    problems: list[str] = []
    client.raise_request_exception = False
    for route in routes:
        for method in route.methods:
            response = getattr(client, method)(route.url(webhook_key=uuid.uuid4()))
            if response.status_code != 404:
                problems.append(f"{method.upper()} with an unknown key answered {response.status_code}")
        forged = payload_for(ACME_IG)
        response = client.post(route.url(webhook_key=acme.webhook_key), forged, content_type="application/json",
                               HTTP_X_HUB_SIGNATURE_256=sign(forged, "initech-secret"))
        if response.status_code != 403:
            problems.append(f"acme's hook signed with initech's secret answered {response.status_code}")
        elsewhere = payload_for(INITECH_IG)
        client.post(route.url(webhook_key=acme.webhook_key), elsewhere, content_type="application/json",
                    HTTP_X_HUB_SIGNATURE_256=sign(elsewhere, "acme-secret"))
        stored = list(Mention.all_tenants.values_list("tenant__slug", "source__name"))
        if stored:
            problems.append(f"{route.template} stored {stored}")
    return problems


@pytest.fixture
def sources(world, fake_classifier) -> tuple[Source, Source]:
    Mention.all_tenants.all().delete()
    return instagram(world.acme, ACME_IG, "acme-secret"), instagram(world.initech, INITECH_IG, "initech-secret")


def test_discovery_finds_the_meta_webhook():
    assert {r.template for r in webhook_routes()} >= {"api/v1/hooks/meta/<uuid:webhook_key>/"}


def test_a_webhook_key_leads_only_into_its_own_source(sources):
    acme, initech = sources
    assert violations(APIClient(), webhook_routes(), acme=acme, initech=initech) == []


class _LeakyHook(APIView):
    """Takes any delivery into the first Instagram source it finds, whatever the key says."""

    authentication_classes: list[type] = []
    permission_classes: list[type] = []

    def post(self, request: Any, webhook_key: uuid.UUID) -> HttpResponse:
        source = Source.all_tenants.filter(kind="instagram").order_by("-pk").first()
        assert source is not None
        Mention.all_tenants.get_or_create(tenant=source.tenant, source=source, external_id="leak",
                                          defaults={"text": "leak", "published_at": source.created_at})
        return HttpResponse(status=200)

    def get(self, request: Any, webhook_key: uuid.UUID) -> HttpResponse:
        return HttpResponse(status=200)


class _LeakyUrlconf:
    urlpatterns = [path("api/v1/hooks/leaky/<uuid:webhook_key>/", _LeakyHook.as_view())]


def test_canary_the_checker_catches_a_leaky_hook(sources, settings):
    acme, initech = sources
    settings.ROOT_URLCONF = _LeakyUrlconf
    routes = webhook_routes()
    assert [r.template for r in routes] == ["api/v1/hooks/leaky/<uuid:webhook_key>/"]
    problems = violations(APIClient(), routes, acme=acme, initech=initech)
    assert any("unknown key answered 200" in p for p in problems)
    assert any("signed with initech's secret answered 200" in p for p in problems)
    assert any("stored" in p for p in problems)
