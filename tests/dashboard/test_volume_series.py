from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dashboard.charts import daily_chart, nice_ceiling
from listening.models import VolumeHourly
from listening.scoping import tenant_scope
from listening.selectors.volume import volume_series

pytestmark = pytest.mark.django_db

NOW = datetime(2024, 3, 10, 12, 0, tzinfo=UTC)  # 19:00 in Jakarta


def bucket(world, at: datetime, mentions: int, complaints: int = 0, tenant=None) -> None:
    tenant = tenant or world.acme
    source = world.acme_source if tenant == world.acme else world.globex_source
    VolumeHourly.all_tenants.create(tenant=tenant, source=source, brand=None, bucket=at,
                                    mentions=mentions, complaints=complaints)


def series_of(*, tenant, **kwargs):
    """volume_series as the dashboard calls it: inside the tenant's scope."""
    with tenant_scope(tenant):
        return volume_series(tenant=tenant, **kwargs)


def test_it_sums_hours_into_the_tenants_local_days(world):
    bucket(world, datetime(2024, 3, 9, 16, tzinfo=UTC), 3)  # 23:00 on the 9th in Jakarta
    bucket(world, datetime(2024, 3, 9, 17, tzinfo=UTC), 5, 2)  # 00:00 on the 10th in Jakarta
    bucket(world, datetime(2024, 3, 10, 2, tzinfo=UTC), 1)
    series = series_of(tenant=world.acme, periods=3, now=NOW)
    assert [(p.start.day, p.mentions, p.complaints) for p in series] == [
        (8, 0, 0), (9, 3, 0), (10, 6, 2)
    ]
    assert str(series[-1].start.tzinfo) == "Asia/Jakarta"


def test_it_counts_only_the_tenants_own_rollups(world):
    bucket(world, datetime(2024, 3, 10, 2, tzinfo=UTC), 7, tenant=world.globex)
    assert sum(p.mentions for p in series_of(tenant=world.acme, periods=3, now=NOW)) == 0


def test_it_gives_hourly_buckets_too(world):
    bucket(world, datetime(2024, 3, 10, 11, tzinfo=UTC), 4)
    series = series_of(tenant=world.acme, granularity="hour", periods=24, now=NOW)
    assert len(series) == 24
    assert [p.mentions for p in series[-2:]] == [4, 0]


@pytest.mark.parametrize(("value", "ceiling"), [(0, 4), (3, 4), (7, 10), (11, 20), (42, 50),
                                                (100, 100), (101, 200)])
def test_the_chart_axis_ends_on_a_round_number(value, ceiling):
    assert nice_ceiling(value) == ceiling


def test_an_empty_chart_still_draws_its_axis(world):
    chart = daily_chart(series_of(tenant=world.acme, periods=35, now=NOW))
    assert len(chart.bars) == 35
    assert chart.total_mentions == 0
    assert [t.value for t in chart.ticks] == [0, 1, 2, 3, 4]
