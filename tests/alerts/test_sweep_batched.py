"""The sweep's batched reads give what the per-tenant and row-by-row reads give; its writes are
batched too, and stay correct when a concurrent sweep gets there first."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from django.db.models import Count, F, Min

from listening.models import Alert, AlertChannel, AlertDelivery, AlertEvent
from listening.models.alerts import AlertStatus
from listening.scoping import tenant_scope
from listening.selectors.flags import unanswered_complaints
from listening.services import alert_sweep
from listening.services.alerts import Condition, alerts_sync
from tests import factories
from tests.alerts.conftest import add_rollups, last_full_hour, rhythm

pytestmark = pytest.mark.django_db


def test_unanswered_counts_in_one_query_match_the_per_tenant_selector(world, now):
    world.globex.response_target_minutes = 60 * 24 * 20  # 20 days: only the oldest is late
    world.globex.save()
    for days in (1, 10, 25):
        factories.MentionFactory(source=world.acme_source, brand=world.acme_brand,
                                 is_complaint=True, published_at=now - timedelta(days=days))
        factories.MentionFactory(source=world.globex_source, brand=world.globex_brand,
                                 is_complaint=True, published_at=now - timedelta(days=days))
    batched = alert_sweep._overdue_by_tenant([world.acme, world.globex], now)
    for tenant in (world.acme, world.globex):
        with tenant_scope(tenant):
            one = unanswered_complaints(tenant=tenant, now=now).aggregate(n=Count("id"), oldest=Min("published_at"))
        assert batched.get(tenant.pk) == ((one["n"], one["oldest"]) if one["n"] else None)
    assert batched[world.globex.pk][0] == 1


def test_the_packed_rollup_read_matches_the_row_by_row_read(world, now, monkeypatch):
    shoes = factories.BrandFactory(tenant=world.acme, name="Acme Shoes")
    add_rollups(source=world.acme_source, brand=world.acme_brand, counts=rhythm(20, seed=1), now=now)
    add_rollups(source=world.acme_source, brand=shoes, counts=rhythm(3, seed=4, zero_last=30), now=now)
    add_rollups(source=world.globex_source, brand=None, counts=rhythm(9, seed=3), now=now)
    end = last_full_hour(now)
    start = end - timedelta(days=alert_sweep.HISTORY_DAYS)
    packed = alert_sweep.rollups_load(start=start, end=end, tenant_ids=[world.acme.pk, world.globex.pk])
    monkeypatch.setattr(alert_sweep.connection, "vendor", "other")
    rows = alert_sweep.rollups_load(start=start, end=end, tenant_ids=[world.acme.pk, world.globex.pk])
    assert sorted(packed.keys) == sorted(rows.keys)
    assert len(packed.keys) == 3
    order = [rows.keys.index(k) for k in packed.keys]
    np.testing.assert_array_equal(packed.counts, rows.counts[order])


def conditions(n: int) -> list[Condition]:
    return [Condition(key=f"decline:brand:{i}", kind="decline", title=f"Brand {i} is falling",
                      explanation="fewer mentions than expected", data={"i": i}) for i in range(n)]


def test_opening_many_alerts_costs_the_same_few_queries_as_opening_two(world, now, count_queries):
    tenants = [world.acme, world.globex, world.initech]
    for tenant in tenants:
        AlertChannel.all_tenants.create(tenant=tenant, name="hook", kind="webhook", target="https://example.com/h")

    def sync(n: int, at) -> None:
        report = alerts_sync(conditions={t.pk: conditions(n) for t in tenants}, tenants=tenants,
                             kinds=["decline"], now=at)
        assert len(report.opened) == n * len(tenants)

    few = count_queries(lambda: sync(2, now))
    Alert.all_tenants.all().delete()
    many = count_queries(lambda: sync(40, now + timedelta(minutes=1)))
    # The same queries; SQLite may split an insert of 120 rows in two (999 variables a statement).
    assert many <= few + 3, (few, many)
    assert AlertEvent.all_tenants.filter(action="opened").count() == 40 * 3
    # Every opened alert got its one delivery to its own tenant's channel.
    deliveries = AlertDelivery.all_tenants.filter(event="opened")
    assert deliveries.count() == 40 * 3
    assert not deliveries.exclude(channel__tenant_id=F("alert__tenant_id")).exists()


def test_resolving_many_alerts_costs_the_same_few_queries_as_resolving_two(world, now, count_queries):
    tenants = [world.acme, world.globex]
    for tenant in tenants:
        AlertChannel.all_tenants.create(tenant=tenant, name="hook", kind="webhook", target="https://example.com/h")
    costs = []
    for n, at in ((2, now), (40, now + timedelta(hours=1))):
        alerts_sync(conditions={t.pk: conditions(n) for t in tenants}, tenants=tenants, kinds=["decline"], now=at)
        reports = []
        costs.append(count_queries(lambda at=at, reports=reports: reports.append(
            alerts_sync(conditions={}, tenants=tenants, kinds=["decline"], now=at + timedelta(minutes=1)))))
        assert len(reports[0].resolved) == n * len(tenants)
        Alert.all_tenants.all().delete()
    assert costs[1] <= costs[0] + 3, costs


def test_an_alert_a_concurrent_sweep_opened_first_is_refreshed_and_the_others_still_open(world, now):
    # A live alert this sweep did not read (as if another sweep committed it meanwhile): the
    # batched insert fails on the one-live-alert-per-key constraint and nothing of it is kept.
    theirs = Alert.all_tenants.create(tenant=world.acme, kind="surge", key="decline:brand:1", title="theirs",
                                      explanation="theirs", opened_at=now, last_seen_at=now)
    report = alerts_sync(conditions={world.acme.pk: conditions(3)}, tenants=[world.acme],
                         kinds=["decline"], now=now)
    live = Alert.all_tenants.filter(tenant=world.acme).exclude(status=AlertStatus.RESOLVED)
    assert sorted(live.values_list("key", flat=True)) == [f"decline:brand:{i}" for i in range(3)]
    theirs.refresh_from_db()
    assert theirs.explanation == "fewer mentions than expected"
    assert theirs.data == {"i": 1}
    assert len(report.opened) == 2
    assert report.refreshed == [theirs.pk]
    # Only the two this sweep opened have an "opened" event; nothing was doubled.
    assert AlertEvent.all_tenants.filter(action="opened").count() == 2
