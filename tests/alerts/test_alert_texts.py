"""What an alert says reads like the pages: durations in the units that fit, the clock named,
times in the tenant's zone with the zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from listening.models import Alert, AlertChannel
from listening.services.alert_sweep import unanswered_conditions
from listening.services.alerts import Condition, alerts_sync
from tests import factories

pytestmark = pytest.mark.django_db

OPENED = datetime(2026, 11, 27, 7, 5, tzinfo=UTC)


def test_the_email_gives_the_opening_time_in_the_tenants_zone(
    world, eager, settings, django_capture_on_commit_callbacks,
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    AlertChannel.all_tenants.create(tenant=world.acme, name="ops", kind="email", target="ops@acme.example")
    condition = Condition(key="decline:tenant", kind="decline", title="Mentions of Acme are falling",
                          explanation="Fewer mentions.", severity="warning", data={})
    with django_capture_on_commit_callbacks(execute=True):
        alerts_sync(conditions={world.acme.pk: [condition]}, tenants=[world.acme], kinds=["decline"],
                    now=OPENED)
    assert Alert.all_tenants.get(tenant=world.acme).opened_at == OPENED
    [message] = mail.outbox
    assert "Opened 27 Nov 2026 14:05 WIB." in message.body
    assert "UTC" not in message.body


def test_the_overdue_alert_says_its_durations_as_the_pages_do(world):
    now = OPENED
    factories.MentionFactory(source=world.acme_source, is_complaint=True,
                             published_at=now - timedelta(hours=839.4))
    [condition] = unanswered_conditions(tenants=[world.acme], now=now)[world.acme.pk]
    assert condition.explanation.endswith(
        "past the 2 h response target (counted in business hours); the oldest has waited "
        "34 d 23 h (wall-clock).")
