"""Every dashboard route, found by walking the URL resolver, answers 404 to a non-member.

A new route with a ``slug`` or an ``<object>_id`` is picked up without touching this file; a new
kind of object id fails loudly until it is given a real acme id below.
"""

from __future__ import annotations

import types
from dataclasses import dataclass

import pytest
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse

from listening.models import Tenant
from tests import factories

pytestmark = pytest.mark.django_db

NAMESPACE = "dashboard"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass(frozen=True)
class Route:
    name: str  # namespaced, for reverse()
    kwargs: tuple[str, ...]


def discover_routes(urlconf: object | None = None) -> list[Route]:
    """Every named route in the dashboard namespace that takes a tenant slug or an object id."""
    found: list[Route] = []

    def walk(patterns: list, namespaces: tuple[str, ...], inherited: tuple[str, ...]) -> None:
        for p in patterns:
            names = inherited + tuple(p.pattern.converters or p.pattern.regex.groupindex)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, namespaces + ((p.namespace,) if p.namespace else ()), names)
            elif (
                isinstance(p, URLPattern)
                and NAMESPACE in namespaces
                and any(n == "slug" or n.endswith("_id") for n in names)
            ):
                assert p.name, f"dashboard route {p.pattern} needs a name to be checked"
                found.append(Route(":".join((*namespaces, p.name)), names))

    # Django takes a urlconf module as well as its dotted path; the stub says str only.
    walk(get_resolver(urlconf).url_patterns, (), ())  # type: ignore[arg-type]
    return found


def acme_ids(world) -> dict[str, object]:
    """A real acme object for every id kwarg a dashboard route may take."""
    return {
        "slug": world.acme.slug,
        "mention_id": factories.MentionFactory.create(source=world.acme_source, text="acme secret").pk,
        "source_id": world.acme_source.pk,
        "brand_id": world.acme_brand.pk,
    }


def leaks(client, routes: list[Route], values: dict[str, object], urlconf=None) -> list[str]:
    """The URLs that answered anything but 404."""
    leaked = []
    for route in routes:
        missing = [k for k in route.kwargs if k not in values]
        assert not missing, f"{route.name} takes {missing}: add a real acme object to acme_ids()"
        url = reverse(route.name, kwargs={k: values[k] for k in route.kwargs}, urlconf=urlconf)
        status = client.get(url).status_code
        if status != 404:
            leaked.append(f"{url} answered {status}")
    return leaked


def assert_no_leaks(client, routes: list[Route], values: dict[str, object], urlconf=None) -> None:
    leaked = leaks(client, routes, values, urlconf)
    assert not leaked, "a non-member reached another tenant's page: " + "; ".join(leaked)


def test_discovery_finds_the_known_dashboard_routes():
    names = {r.name for r in discover_routes()}
    assert {"dashboard:tenant", "dashboard:mentions", "dashboard:mention", "dashboard:bulk-actions",
            "dashboard:saved-views", "dashboard:queue-settings"} <= names
    assert "dashboard:home" not in names  # no slug: the portfolio lists only one's own tenants


def test_an_outsider_gets_404_on_every_acme_route(client, world):
    client.force_login(world.outsider)
    assert_no_leaks(client, discover_routes(), acme_ids(world))


def test_an_outsider_gets_404_for_acme_objects_under_their_own_tenant(client, world):
    """The slug is theirs, the ids are acme's: objects must be looked up within the tenant."""
    client.force_login(world.outsider)
    values = {**acme_ids(world), "slug": world.initech.slug}
    routes = [r for r in discover_routes() if any(k.endswith("_id") for k in r.kwargs)]
    assert routes, "no route with an object id was discovered"
    assert_no_leaks(client, routes, values)


def test_a_slug_that_does_not_exist_gets_the_same_404(client, world):
    client.force_login(world.outsider)
    assert_no_leaks(client, discover_routes(), {**acme_ids(world), "slug": "no-such-tenant"})


def test_the_member_can_reach_every_route_so_the_404s_mean_something(client, world):
    client.force_login(world.owner)
    values = acme_ids(world)
    for route in discover_routes():
        url = reverse(route.name, kwargs={k: values[k] for k in route.kwargs})
        assert client.get(url).status_code == 200, url


# --- The canary: the same checker, pointed at a view that forgot the membership check. -------


def _leaky_tenant_view(request: HttpRequest, slug: str) -> HttpResponse:
    tenant = Tenant.objects.get(slug=slug)  # no membership check: the bug under test
    return HttpResponse(tenant.name)


_leaky_urlconf = types.ModuleType("leaky_urlconf")
_leaky_urlconf.urlpatterns = [  # type: ignore[attr-defined]  # a module made at run time
    path("login/", lambda request: HttpResponse("login"), name="login"),
    path("", include(([path("t/<slug:slug>/leak/", _leaky_tenant_view, name="leak")],
                      NAMESPACE))),
]


def test_canary_the_checker_catches_a_leaky_view(client, world, settings):
    settings.ROOT_URLCONF = _leaky_urlconf
    routes = discover_routes(_leaky_urlconf)
    assert [r.name for r in routes] == ["dashboard:leak"]
    client.force_login(world.outsider)
    assert leaks(client, routes, acme_ids(world), urlconf=_leaky_urlconf) == [
        "/t/acme/leak/ answered 200"
    ]
    with pytest.raises(AssertionError, match="a non-member reached another tenant's page"):
        assert_no_leaks(client, routes, acme_ids(world), urlconf=_leaky_urlconf)
