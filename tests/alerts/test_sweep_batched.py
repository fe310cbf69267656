"""The sweep's batched reads give what the per-tenant and row-by-row reads give."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from django.db.models import Count, Min

from listening.selectors.flags import unanswered_complaints
from listening.services import volume_flags
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
    batched = volume_flags._overdue_by_tenant([world.acme, world.globex], now)
    for tenant in (world.acme, world.globex):
        one = unanswered_complaints(tenant=tenant, now=now).aggregate(n=Count("id"), oldest=Min("published_at"))
        assert batched.get(tenant.pk) == ((one["n"], one["oldest"]) if one["n"] else None)
    assert batched[world.globex.pk][0] == 1


def test_the_packed_rollup_read_matches_the_row_by_row_read(world, now, monkeypatch):
    shoes = factories.BrandFactory(tenant=world.acme, name="Acme Shoes")
    add_rollups(source=world.acme_source, brand=world.acme_brand, counts=rhythm(20, seed=1), now=now)
    add_rollups(source=world.acme_source, brand=shoes, counts=rhythm(3, seed=4, zero_last=30), now=now)
    add_rollups(source=world.globex_source, brand=None, counts=rhythm(9, seed=3), now=now)
    end = last_full_hour(now)
    start = end - timedelta(days=volume_flags.HISTORY_DAYS)
    packed = volume_flags.rollups_load(start=start, end=end, tenant_ids=[world.acme.pk, world.globex.pk])
    monkeypatch.setattr(volume_flags.connection, "vendor", "other")
    rows = volume_flags.rollups_load(start=start, end=end, tenant_ids=[world.acme.pk, world.globex.pk])
    assert sorted(packed.keys) == sorted(rows.keys) and len(packed.keys) == 3
    order = [rows.keys.index(k) for k in packed.keys]
    np.testing.assert_array_equal(packed.counts, rows.counts[order])
