"""Cross-tenant isolation of the whole API, found route by route without a hand-kept list.

The checker walks the URL resolver for every route under api/v1/, and for each tenant-scoped one
(its URL has <tenant_slug>) makes the outsider, a member of initech only, try every method the
view allows on acme, with the ids of real acme rows. Each attempt must be a 404 and leave the
database as it was. Acme ids asked for under initech's own URL must be 404 too. A canary proves
the checker reports a leak when there is one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, include, path
from django.utils import timezone
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.views import APIView

from listening.models import (
    Alert,
    AlertChannel,
    ApiToken,
    Brand,
    BulkAction,
    LearnedModel,
    Mention,
    SavedView,
    Source,
    TenantHoliday,
    TenantRule,
)
from tests import factories

API_PREFIX = "api/v1/"
METHODS = ["get", "post", "put", "patch", "delete", "options"]
_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    template: str  # "api/v1/tenants/<slug:tenant_slug>/brands/<int:pk>/"
    callback: Any

    @property
    def params(self) -> set[str]:
        return {m["name"] for m in _PARAM.finditer(self.template)}

    @property
    def tenant_scoped(self) -> bool:
        return "tenant_slug" in self.params

    @property
    def view_class(self) -> type:
        return self.callback.cls if hasattr(self.callback, "cls") else self.callback.view_class

    @property
    def methods(self) -> list[str]:
        actions = getattr(self.callback, "actions", None)
        if actions:  # a viewset: the methods this route maps to actions (plus OPTIONS)
            return [m for m in METHODS if m in actions or m == "options"]
        return [m for m in METHODS if hasattr(self.view_class, m)]

    def url(self, **values: Any) -> str:
        def fill(match: re.Match[str]) -> str:
            name = match["name"]
            if name not in values:
                raise LookupError(f"no value for <{name}> in {self.template}")
            return str(values[name])

        return "/" + _PARAM.sub(fill, self.template)


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[Route]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield Route(prefix + str(p.pattern), p.callback)


def api_routes() -> list[Route]:
    return [r for r in _walk(get_resolver().url_patterns) if r.template.startswith(API_PREFIX)]


def db_snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every project model (API tokens included), through the unscoped default
    manager. A token's last_used_at is left out: using a token is not changing the data."""
    snapshot = {}
    for model in apps.get_app_config("listening").get_models():
        if model is ApiToken:
            snapshot[model._meta.label] = list(
                model._default_manager.order_by("pk").values_list("pk", "revoked_at", "expires_at")
            )
            continue
        manager = model._default_manager
        snapshot[model._meta.label] = list(manager.order_by("pk").values_list())
    return snapshot


def payload_for(model: type[models.Model] | None, acme: SimpleNamespace) -> dict[str, Any]:
    """A body that the endpoint would accept from a member, so a leak would really write."""
    if model is Brand:
        return {"name": "Pwned", "keywords": ["pwned"], "accounts": []}
    if model is Source:
        return {"name": "Pwned", "kind": acme.source.kind, "config": acme.source.config,
                "paused": True, "brand": None}
    return {"name": "Pwned"}


def acme_id_for(route: Route, acme: SimpleNamespace) -> int:
    model = getattr(route.view_class, "model", None)
    if model is None:
        raise LookupError(f"{route.template}: <pk> route whose view declares no model")
    row = model._default_manager.filter(tenant=acme.tenant).order_by("pk").first()
    if row is None and model is TenantRule:
        row = TenantRule.all_tenants.create(tenant=acme.tenant, phrase="acme secret",
                                            effect="complaint")
    if row is None and model is Alert:
        row = Alert.all_tenants.create(tenant=acme.tenant, kind="decline", key="decline:tenant",
                                       title="Acme secret decline")
    if row is None and model is AlertChannel:
        row = AlertChannel.all_tenants.create(tenant=acme.tenant, name="acme ops", kind="email",
                                              target="ops@acme.example")
    if row is None and model is TenantHoliday:
        row = TenantHoliday.all_tenants.create(tenant=acme.tenant, date=date(2026, 12, 25),
                                               name="acme secret")
    if row is None and model is BulkAction:
        row = BulkAction.all_tenants.create(tenant=acme.tenant, action="resolve", changed=1,
                                            previous={str(acme.mention.pk): ["open", None, "complaint"]})
    if row is None and model is SavedView:
        owner = acme.tenant.memberships.order_by("pk").first().user
        row = SavedView.all_tenants.create(tenant=acme.tenant, user=owner, name="acme secret")
    if row is None and model is LearnedModel:
        row = LearnedModel.all_tenants.create(tenant=acme.tenant, version=1, corrections=40,
                                              last_correction_id=1, weights=b"")
    if row is None:
        raise LookupError(f"{route.template}: no acme {model.__name__} to ask for")
    return row.pk


def cross_tenant_violations(
    client: APIClient, routes: list[Route], *, acme: SimpleNamespace, own_slug: str
) -> list[str]:
    """Every way the client reached acme's data; empty when isolation holds."""
    problems = []
    # A leaky view may crash on a row an earlier leaky DELETE removed: record it, don't raise.
    client.raise_request_exception = False

    def attempt(route: Route, method: str, url: str) -> None:
        before = db_snapshot()
        body = payload_for(getattr(route.view_class, "model", None), acme)
        kwargs = {"format": "json"} if method in ("post", "put", "patch") else {}
        response = getattr(client, method)(url, body, **kwargs) if kwargs else getattr(
            client, method)(url)
        if response.status_code != 404:
            problems.append(f"{method.upper()} {url} answered {response.status_code}, not 404")
        if db_snapshot() != before:
            problems.append(f"{method.upper()} {url} changed the database")

    for route in routes:
        if not route.tenant_scoped:
            continue
        values: dict[str, Any] = {"tenant_slug": acme.tenant.slug}
        if "pk" in route.params:
            values["pk"] = acme_id_for(route, acme)
        for method in route.methods:
            attempt(route, method, route.url(**values))
        if "pk" in route.params:
            # The outsider's own tenant in the URL, acme's row in the id. OPTIONS is left out
            # here: it describes the endpoint, the same for any id, and never loads the row.
            for method in [m for m in route.methods if m != "options"]:
                attempt(route, method, route.url(**{**values, "tenant_slug": own_slug}))
    return problems




@pytest.fixture
def acme(world) -> SimpleNamespace:
    factories.BrandAccountFactory(brand=world.acme_brand, platform="x", handle="acme_care")
    mention = factories.MentionFactory(
        source=world.acme_source, brand=world.acme_brand, is_complaint=True,
        published_at=timezone.now() - timedelta(days=1),
    )
    return SimpleNamespace(tenant=world.acme, brand=world.acme_brand, source=world.acme_source,
                           mention=mention)


KNOWN_ROUTES = {
    "api/v1/tenants/",
    "api/v1/portfolio/",
    "api/v1/auth/token/",
    "api/v1/auth/tokens/",
    "api/v1/auth/tokens/<int:pk>/",
    "api/v1/schema/",
    "api/v1/tenants/<slug:tenant_slug>/",
    "api/v1/tenants/<slug:tenant_slug>/flags/",
    "api/v1/tenants/<slug:tenant_slug>/brands/",
    "api/v1/tenants/<slug:tenant_slug>/brands/<int:pk>/",
    "api/v1/tenants/<slug:tenant_slug>/sources/",
    "api/v1/tenants/<slug:tenant_slug>/sources/<int:pk>/",
    "api/v1/tenants/<slug:tenant_slug>/mentions/",
    "api/v1/tenants/<slug:tenant_slug>/mentions/<int:pk>/",
    "api/v1/tenants/<slug:tenant_slug>/complaint-bulk-actions/",
    "api/v1/tenants/<slug:tenant_slug>/complaint-bulk-actions/<int:pk>/",
    "api/v1/tenants/<slug:tenant_slug>/complaint-bulk-actions/<int:pk>/undo/",
    "api/v1/tenants/<slug:tenant_slug>/saved-views/",
    "api/v1/tenants/<slug:tenant_slug>/saved-views/<int:pk>/",
}


def test_discovery_finds_at_least_the_routes_we_know():
    found = {r.template for r in api_routes()}
    assert found >= KNOWN_ROUTES, KNOWN_ROUTES - found
    assert sum(r.tenant_scoped for r in api_routes()) >= 8


def test_every_tenant_scoped_view_uses_the_scoped_mixin():
    from listening.api.routing import TenantScopedViewSetMixin

    unscoped = [r.template for r in api_routes()
                if r.tenant_scoped and not issubclass(r.view_class, TenantScopedViewSetMixin)]
    assert unscoped == []


def test_the_outsider_reaches_nothing_of_acme(world, acme, api_client_for):
    routes = api_routes()
    # Sanity: acme's rows are there to be asked for, and every write method gets tried.
    assert Mention.all_tenants.filter(tenant=world.acme).exists()
    tried = {m for r in routes if r.tenant_scoped for m in r.methods}
    assert tried >= {"get", "post", "put", "patch", "delete"}

    problems = cross_tenant_violations(
        api_client_for(world.outsider), routes, acme=acme, own_slug=world.initech.slug
    )
    assert problems == []


def test_the_outsider_can_still_use_its_own_tenant(world, api_client_for):
    # Guards the checker against passing because everything is a 404 for everybody.
    client = api_client_for(world.outsider)
    assert client.get("/api/v1/tenants/initech/brands/").status_code == 200
    url = f"/api/v1/tenants/initech/brands/{world.initech_brand.pk}/"
    assert client.get(url).status_code == 200


# --- the canary: a view that forgets the scope, registered only inside the test -------------


class LeakyBrandView(APIView):
    """Looks a brand up by id alone, the bug the mixin exists to prevent."""

    model = Brand

    def get(self, request, tenant_slug, pk):
        return Response({"name": Brand.all_tenants.get(pk=pk).name})

    def delete(self, request, tenant_slug, pk):
        Brand.all_tenants.filter(pk=pk).delete()
        return Response(status=204)


class LeakyUrlconf:
    """A urlconf (anything with ``urlpatterns``) holding only the leaky route."""

    urlpatterns = [
        path(API_PREFIX, include([
            path("tenants/<slug:tenant_slug>/leaky-brands/<int:pk>/", LeakyBrandView.as_view()),
        ])),
    ]


def test_the_checker_reports_a_leaky_view(world, acme, api_client_for, settings):
    settings.ROOT_URLCONF = LeakyUrlconf
    routes = api_routes()
    assert [r.template for r in routes] == [
        "api/v1/tenants/<slug:tenant_slug>/leaky-brands/<int:pk>/"
    ]

    problems = cross_tenant_violations(
        api_client_for(world.outsider), routes, acme=acme, own_slug=world.initech.slug
    )
    brand_url = f"/api/v1/tenants/acme/leaky-brands/{world.acme_brand.pk}/"
    assert f"GET {brand_url} answered 200, not 404" in problems
    assert f"DELETE {brand_url} changed the database" in problems
