"""The shared world: two tenants of one agency, a third tenant elsewhere, and their people.

- ``owner`` owns ``acme`` (agency tenant); ``viewer`` views ``acme``;
- ``agency_user`` is an analyst on every tenant of ``agency`` (``acme`` and ``globex``);
- ``outsider`` is a member of ``initech`` only, a tenant outside the agency.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from listening.analysis.base import get_classifier
from listening.models import Agency, ApiToken, Brand, Role, Source, Tenant, TokenScope
from listening.selectors.tenancy import tenants_visible_to
from listening.services.tokens import api_token_create
from tests import factories, fakes

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass
class World:
    agency: Agency
    acme: Tenant
    globex: Tenant
    initech: Tenant
    owner: User
    viewer: User
    agency_user: User
    outsider: User
    acme_brand: Brand
    globex_brand: Brand
    initech_brand: Brand
    acme_source: Source
    globex_source: Source
    initech_source: Source


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist (`--dist loadgroup`), the e2e tests run one after another on one process
    while the other tests spread over the rest: never two sets of real Celery workers, or a worker
    and the browser, at once. Each e2e Celery worker consumes its own queue (tests/e2e/worker.py)
    and each xdist process has its own test database, which its Celery workers are pointed at."""
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.xdist_group("e2e"))


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The production hasher costs about half a second a user; tests make many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """Each test its own empty cache: throttle and lockout counts never leak between tests, and
    the suite never flushes a Redis it shares with the Celery broker."""
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": f"dengar-test-{uuid.uuid4().hex}",
    }}


@pytest.fixture
def world(db: None) -> World:
    agency = factories.AgencyFactory.create(name="Kilat Agency", slug="kilat")
    acme = factories.TenantFactory.create(name="Acme", slug="acme", agency=agency)
    globex = factories.TenantFactory.create(name="Globex", slug="globex", agency=agency)
    initech = factories.TenantFactory.create(name="Initech", slug="initech")
    owner = factories.UserFactory.create(username="owner")
    viewer = factories.UserFactory.create(username="viewer")
    agency_user = factories.UserFactory.create(username="agency")
    outsider = factories.UserFactory.create(username="outsider")
    factories.MembershipFactory.create(user=owner, tenant=acme, role=Role.OWNER)
    factories.MembershipFactory.create(user=viewer, tenant=acme, role=Role.VIEWER)
    factories.AgencyMembershipFactory.create(user=agency_user, agency=agency, role=Role.ANALYST)
    factories.MembershipFactory.create(user=outsider, tenant=initech, role=Role.OWNER)
    acme_brand = factories.BrandFactory.create(tenant=acme, name="Acme", keywords=["acme"])
    globex_brand = factories.BrandFactory.create(tenant=globex, name="Globex", keywords=["globex"])
    initech_brand = factories.BrandFactory.create(tenant=initech, name="Initech", keywords=["initech"])
    return World(
        agency=agency, acme=acme, globex=globex, initech=initech,
        owner=owner, viewer=viewer, agency_user=agency_user, outsider=outsider,
        acme_brand=acme_brand, globex_brand=globex_brand, initech_brand=initech_brand,
        acme_source=factories.SourceFactory.create(tenant=acme, brand=acme_brand, name="Acme mock"),
        globex_source=factories.SourceFactory.create(tenant=globex, brand=globex_brand, name="Globex mock"),
        initech_source=factories.SourceFactory.create(
            tenant=initech, brand=initech_brand, name="Initech mock"
        ),
    )


@pytest.fixture
def fake_classifier(settings):
    """Ingestion with tests.fakes.FakeClassifier: "broken" is a complaint, "buy now" spam."""
    settings.DENGAR = {**settings.DENGAR, "CLASSIFIER": fakes.FAKE}
    get_classifier.cache_clear()
    yield
    get_classifier.cache_clear()


@pytest.fixture
def count_queries() -> Callable[[Callable[[], Any]], int]:
    """How many queries a call makes: for guards that the count does not grow with the rows."""

    def run(call: Callable[[], Any]) -> int:
        with CaptureQueriesContext(connection) as ctx:
            call()
        return len(ctx.captured_queries)

    return run


@pytest.fixture
def api_client_for():
    """An API client authenticated by token, as an integrator would be.

    ``make(user)`` gives a read-write token that reaches every tenant the user may see: one token
    per tenant, the right one sent for each request's tenant (tokens are made for one tenant).
    ``make(user, tenant=t)`` gives a single token made for ``t``; ``read_only=True`` a read-only
    one.
    """

    def make(user: User, *, tenant: Tenant | None = None, read_only: bool = False) -> APIClient:
        scope = TokenScope.READ if read_only else TokenScope.READ_WRITE

        def key_for(t: Tenant) -> str:
            token, key = api_token_create(user=user, tenant=t, scope=scope)
            # As if used a moment ago: the once-a-minute last_used_at write would otherwise land
            # in the first request and upset query-count guards that compare two requests.
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
            return key

        if tenant is not None:
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Token {key_for(tenant)}")
            return client
        return _TokenPerTenantClient(user, key_for, {t.slug: key_for(t) for t in tenants_visible_to(user=user)})

    return make


@pytest.fixture
def session_client_for():
    """An API client signed in with a session, as the dashboard's user: it sees every tenant the
    user may see on /api/v1/tenants/ and /api/v1/portfolio/, where a token sees its own only."""

    def make(user: User) -> APIClient:
        client = APIClient()
        client.force_login(user)
        return client

    return make


class _TokenPerTenantClient(APIClient):
    """Sends, for /api/v1/tenants/<slug>/…, the user's token for that tenant; elsewhere (and for
    a tenant the user may not see) any one of them, which a tenant route answers with 404."""

    _credentials: dict[str, str]  # APIClient.credentials() keeps them here; its stubs leave it out

    def __init__(self, user: User, key_for: Callable[[Tenant], str], keys: dict[str, str]) -> None:
        super().__init__()
        self._user, self._key_for, self._keys = user, key_for, keys

    def _key(self, slug: str | None) -> str:
        if slug and slug not in self._keys:
            # A tenant the user was given after the client was made.
            tenant = tenants_visible_to(user=self._user).filter(slug=slug).first()
            if tenant is not None:
                self._keys[slug] = self._key_for(tenant)
        if slug in self._keys:
            return self._keys[slug]
        if not self._keys:
            tenant = Tenant.objects.order_by("pk").first()
            if tenant is None:
                return "dgr_none"
            # A user of no tenant: a token for a tenant it cannot see still authenticates it.
            self._keys[""] = self._key_for(tenant)
        return next(iter(self._keys.values()))

    def generic(self, method: str, path: StrOrPromise, *args: Any, **kwargs: Any) -> Any:
        parts = str(path).split("/")
        slug = parts[4] if len(parts) > 4 and parts[1:4] == ["api", "v1", "tenants"] else None
        key = self._key(slug)
        self._credentials = {**self._credentials, "HTTP_AUTHORIZATION": f"Token {key}"}
        return super().generic(method, path, *args, **kwargs)
