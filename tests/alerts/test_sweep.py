"""The flag sweep: declines explained, broken sources not called declines, dedupe, cool-down."""

from __future__ import annotations

from datetime import timedelta

import pytest

from listening.models import Alert, AlertEvent, Source
from listening.models.alerts import AlertStatus
from listening.scoping import tenant_scope
from listening.services.alert_sweep import flags_sweep
from listening.services.alerts import alert_resolve
from tests import factories
from tests.alerts.conftest import add_rollups, rhythm

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_brands(world, now):
    """Acme with two brands on two sources, 35 days of a steady daily rhythm."""
    shoes = factories.BrandFactory(tenant=world.acme, name="Acme Shoes")
    shoes_source = factories.SourceFactory(tenant=world.acme, brand=shoes, name="Shoes feed",
                                           last_success_at=now)
    Source.all_tenants.filter(pk=world.acme_source.pk).update(last_success_at=now)
    return shoes, shoes_source


def live(tenant):
    return list(Alert.all_tenants.filter(tenant=tenant).exclude(status=AlertStatus.RESOLVED))


def test_it_opens_a_decline_and_names_the_brand_and_source_that_fell(world, two_brands, now):
    shoes, shoes_source = two_brands
    add_rollups(source=world.acme_source, brand=world.acme_brand, counts=rhythm(20, seed=1), now=now)
    add_rollups(source=shoes_source, brand=shoes,
                counts=rhythm(40, seed=2, drop_last=12, drop_to=0.25), now=now)

    flags_sweep(now=now)

    alerts = {a.key: a for a in live(world.acme)}
    tenant_alert = alerts["decline:tenant"]
    assert tenant_alert.kind == "decline"
    assert "Acme Shoes" in tenant_alert.explanation
    assert "Shoes feed" in tenant_alert.explanation
    assert tenant_alert.data["top_brand"]["id"] == shoes.pk
    assert tenant_alert.data["top_source"]["id"] == shoes_source.pk
    assert tenant_alert.data["observed"] < tenant_alert.data["low"] <= tenant_alert.data["expected"]
    assert "expected (usual range" in tenant_alert.explanation
    assert f"decline:brand:{shoes.pk}" in alerts
    assert f"decline:brand:{world.acme_brand.pk}" not in alerts
    # Other tenants are untouched.
    assert live(world.globex) == []


def test_a_failing_source_is_a_source_alert_and_not_a_decline(world, two_brands, now):
    shoes, shoes_source = two_brands
    add_rollups(source=world.acme_source, brand=world.acme_brand, counts=rhythm(20, seed=1), now=now)
    add_rollups(source=shoes_source, brand=shoes,
                counts=rhythm(40, seed=2, drop_last=12, drop_to=0.25), now=now)
    Source.all_tenants.filter(pk=shoes_source.pk).update(consecutive_failures=5,
                                                         last_error="HTTP 503")

    flags_sweep(now=now)

    keys = {a.key: a for a in live(world.acme)}
    assert set(keys) == {f"source_health:source:{shoes_source.pk}"}
    alert = keys[f"source_health:source:{shoes_source.pk}"]
    assert alert.kind == "source_health"
    assert alert.severity == "critical"
    assert "failing" in alert.title


def test_a_collector_gap_is_a_source_alert_and_not_a_decline(world, two_brands, now):
    shoes, shoes_source = two_brands
    add_rollups(source=world.acme_source, brand=world.acme_brand, counts=rhythm(20, seed=1), now=now)
    add_rollups(source=shoes_source, brand=shoes, counts=rhythm(40, seed=2, zero_last=8), now=now)

    flags_sweep(now=now)

    keys = {a.key: a for a in live(world.acme)}
    assert set(keys) == {f"source_health:source:{shoes_source.pk}"}
    assert keys[f"source_health:source:{shoes_source.pk}"].data["state"] == "gap"


def test_a_paused_source_is_reported_as_paused(world, now):
    Source.all_tenants.filter(pk=world.acme_source.pk).update(paused=True)
    flags_sweep(now=now)
    [alert] = live(world.acme)
    assert alert.key == f"source_health:source:{world.acme_source.pk}"
    assert alert.severity == "info"


def test_running_the_sweep_twice_keeps_one_alert_per_condition(world, two_brands, now):
    shoes, shoes_source = two_brands
    add_rollups(source=shoes_source, brand=shoes,
                counts=rhythm(40, seed=2, drop_last=12, drop_to=0.25), now=now)
    flags_sweep(now=now)
    first = {a.key: a.pk for a in live(world.acme)}
    report = flags_sweep(now=now + timedelta(minutes=5))
    assert {a.key: a.pk for a in live(world.acme)} == first
    assert report.opened == []
    assert len(report.refreshed) == len(first)
    assert AlertEvent.all_tenants.filter(tenant=world.acme, action="opened").count() == len(first)
    assert Alert.all_tenants.get(pk=first["decline:tenant"]).last_seen_at == now + timedelta(minutes=5)


def test_it_resolves_when_the_condition_clears_and_respects_the_cool_down(world, now):
    Source.all_tenants.filter(pk=world.acme_source.pk).update(paused=True)
    flags_sweep(now=now)
    [alert] = live(world.acme)

    Source.all_tenants.filter(pk=world.acme_source.pk).update(paused=False)
    flags_sweep(now=now + timedelta(minutes=5))
    alert.refresh_from_db()
    assert alert.status == "resolved"
    assert alert.resolved_by is None
    assert alert.resolved_at == now + timedelta(minutes=5)
    assert [e.action for e in alert.events.all()] == ["opened", "resolved"]

    # Broken again within the cool-down (360 minutes by default): no new alert yet.
    Source.all_tenants.filter(pk=world.acme_source.pk).update(paused=True)
    report = flags_sweep(now=now + timedelta(minutes=60))
    assert live(world.acme) == []
    assert report.cooling_down
    # After it, the key opens again, as a new alert.
    flags_sweep(now=now + timedelta(minutes=5 + 361))
    [again] = live(world.acme)
    assert again.pk != alert.pk
    assert again.key == alert.key


def test_a_resolved_by_hand_alert_stays_closed_through_the_cool_down(world, now):
    world.acme.alert_cooldown_minutes = 30
    world.acme.save()
    Source.all_tenants.filter(pk=world.acme_source.pk).update(paused=True)
    flags_sweep(now=now)
    [alert] = live(world.acme)
    with tenant_scope(world.acme):
        alert_resolve(alert=alert, user=world.owner, now=now + timedelta(minutes=1))
    flags_sweep(now=now + timedelta(minutes=10))
    assert live(world.acme) == []
    flags_sweep(now=now + timedelta(minutes=40))
    assert len(live(world.acme)) == 1


def test_overdue_complaints_open_an_unanswered_alert(world, now):
    # Days old: overdue whatever the tenant's business hours.
    for days in (10, 12):
        factories.MentionFactory(source=world.acme_source, brand=world.acme_brand,
                                 is_complaint=True, published_at=now - timedelta(days=days))
    flags_sweep(now=now)
    [alert] = live(world.acme)
    assert alert.key == "unanswered:tenant"
    assert alert.data["count"] == 2
    assert alert.data["oldest_at"] == (now - timedelta(days=12)).isoformat()
    assert "the oldest has waited 12 d (wall-clock)" in alert.explanation


def test_each_tenants_sensitivity_is_passed_to_the_detector(world, now, monkeypatch):
    from listening.services import alert_sweep

    seen = []
    real = alert_sweep.detect_latest

    def spy(matrix, **kwargs):
        seen.append((kwargs["sensitivity"], len(matrix)))
        return real(matrix, **kwargs)

    monkeypatch.setattr(alert_sweep, "detect_latest", spy)
    world.acme.alert_sensitivity = "high"
    world.acme.save()
    world.globex.alert_sensitivity = "low"
    world.globex.save()
    add_rollups(source=world.acme_source, brand=world.acme_brand, counts=rhythm(20, seed=1), now=now)
    add_rollups(source=world.globex_source, brand=world.globex_brand, counts=rhythm(9, seed=3),
                now=now)
    flags_sweep(now=now)
    # One batch per sensitivity; a tenant with one source has one series (source = total).
    assert sorted(seen) == [("high", 1), ("low", 1)]
