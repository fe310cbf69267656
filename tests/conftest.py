"""The shared world: two tenants of one agency, a third tenant elsewhere, and their people.

- ``owner`` owns ``acme`` (agency tenant); ``viewer`` views ``acme``;
- ``agency_user`` is an analyst on every tenant of ``agency`` (``acme`` and ``globex``);
- ``outsider`` is a member of ``initech`` only, a tenant outside the agency.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AbstractUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from listening.analysis.base import get_classifier
from listening.models import Agency, Brand, Role, Source, Tenant
from tests import factories, fakes


@dataclass
class World:
    agency: Agency
    acme: Tenant
    globex: Tenant
    initech: Tenant
    owner: AbstractUser
    viewer: AbstractUser
    agency_user: AbstractUser
    outsider: AbstractUser
    acme_brand: Brand
    globex_brand: Brand
    initech_brand: Brand
    acme_source: Source
    globex_source: Source
    initech_source: Source


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    """The production hasher costs about half a second a user; tests make many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db: None) -> World:
    agency = factories.AgencyFactory(name="Kilat Agency", slug="kilat")
    acme = factories.TenantFactory(name="Acme", slug="acme", agency=agency)
    globex = factories.TenantFactory(name="Globex", slug="globex", agency=agency)
    initech = factories.TenantFactory(name="Initech", slug="initech")
    owner = factories.UserFactory(username="owner")
    viewer = factories.UserFactory(username="viewer")
    agency_user = factories.UserFactory(username="agency")
    outsider = factories.UserFactory(username="outsider")
    factories.MembershipFactory(user=owner, tenant=acme, role=Role.OWNER)
    factories.MembershipFactory(user=viewer, tenant=acme, role=Role.VIEWER)
    factories.AgencyMembershipFactory(user=agency_user, agency=agency, role=Role.ANALYST)
    factories.MembershipFactory(user=outsider, tenant=initech, role=Role.OWNER)
    acme_brand = factories.BrandFactory(tenant=acme, name="Acme", keywords=["acme"])
    globex_brand = factories.BrandFactory(tenant=globex, name="Globex", keywords=["globex"])
    initech_brand = factories.BrandFactory(tenant=initech, name="Initech", keywords=["initech"])
    return World(
        agency=agency, acme=acme, globex=globex, initech=initech,
        owner=owner, viewer=viewer, agency_user=agency_user, outsider=outsider,
        acme_brand=acme_brand, globex_brand=globex_brand, initech_brand=initech_brand,
        acme_source=factories.SourceFactory(tenant=acme, brand=acme_brand, name="Acme mock"),
        globex_source=factories.SourceFactory(tenant=globex, brand=globex_brand, name="Globex mock"),
        initech_source=factories.SourceFactory(
            tenant=initech, brand=initech_brand, name="Initech mock"
        ),
    )


@pytest.fixture
def fake_classifier(settings):  # type: ignore[no-untyped-def]
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
    """An API client authenticated by token, as an integrator would be."""

    def make(user: AbstractUser) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make
