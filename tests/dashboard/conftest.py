from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from listening.models import Source, Tenant, VolumeHourly


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


def add_hourly_volume(
    *, tenant: Tenant, source: Source, days_ago: range, per_day: int, complaints: int = 0
) -> None:
    """One rollup row per day (at the same hour), as the ingestion would leave them."""
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    VolumeHourly.all_tenants.bulk_create(
        VolumeHourly(
            tenant=tenant, source=source, brand=source.brand,
            bucket=now - timedelta(days=d, hours=1), mentions=per_day, complaints=complaints,
        )
        for d in days_ago
    )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    # The world's users are created with a password; the default hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
