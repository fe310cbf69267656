"""Complaint tests: a classifier the tests control, complaints made to order, fixed clocks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from listening.analysis.base import get_classifier
from listening.models import Mention, Tenant
from listening.models.mentions import ComplaintStatus
from tests import factories

JAKARTA = ZoneInfo("Asia/Jakarta")
FAKE = "tests.corrections.conftest.FakeClassifier"  # "broken" is a complaint, "buy now" spam


@pytest.fixture
def fake_classifier(settings) -> Iterator[None]:
    settings.DENGAR = {**settings.DENGAR, "CLASSIFIER": FAKE}
    get_classifier.cache_clear()
    yield
    get_classifier.cache_clear()


def jakarta(*args: int) -> datetime:
    return datetime(*args, tzinfo=JAKARTA)


def office_hours(tenant: Tenant, *, policy: str | None = None, target: int = 120) -> Tenant:
    """Mon-Fri 09:00-18:00 in Jakarta, whatever the factory's default."""
    tenant.timezone = "Asia/Jakarta"
    tenant.business_day_start, tenant.business_day_end = time(9), time(18)
    tenant.business_weekdays = [0, 1, 2, 3, 4]
    tenant.response_target_minutes = target
    if policy:
        tenant.answer_policy = policy
    tenant.save()
    return tenant


def complaint(world, *, status: str = ComplaintStatus.OPEN, **fields) -> Mention:
    values = {"source": world.acme_source, "brand": world.acme_brand, "is_complaint": True,
              "complaint_status": status, "text": "My Acme order arrived broken", **fields}
    mention = factories.MentionFactory(**values)
    mention.tenant = world.acme
    return mention


