"""Complaint storms (complaints or negative mentions far above their usual day), and sources
that have never collected anything."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

import numpy as np
import pytest

from listening.analysis.storm import storm_reading
from listening.models import Alert, AlertChannel, AlertDelivery, Source, VolumeDaily, VolumeHourly
from listening.models.alerts import AlertStatus
from listening.services.alert_sweep import flags_sweep
from tests import factories
from tests.alerts.conftest import last_full_hour

pytestmark = pytest.mark.django_db


def days(today, usual, *, n=28):
    """Day windows, newest first: ``today`` then ``n`` days of ``usual`` (mentions, complaints,
    negative)."""
    return np.array([today] + [usual] * n, dtype=float)


# --- the rule, alone -------------------------------------------------------------------------


def test_a_day_of_complaints_far_above_the_usual_is_a_storm():
    reading = storm_reading(days((503, 272, 290), (400, 20, 40)))
    complaints = reading.measure("complaints")
    assert reading.storming
    assert complaints.by_count
    assert complaints.by_share
    assert complaints.usual == 20
    assert round(complaints.share, 2) == 0.54
    assert round(complaints.usual_share, 2) == 0.05


def test_an_ordinary_day_is_not_a_storm():
    assert not storm_reading(days((420, 25, 45), (400, 20, 40))).storming


def test_a_busy_day_with_the_usual_share_of_complaints_is_no_complaint_storm_at_2x():
    # Twice the mentions, twice the complaints: a surge of the conversation, not of complaints.
    assert not storm_reading(days((800, 40, 80), (400, 20, 40))).storming


def test_negative_mentions_alone_can_storm():
    reading = storm_reading(days((400, 22, 200), (400, 20, 40)))
    assert reading.storming
    assert not reading.measure("complaints").storming
    assert reading.measure("negative").storming


def test_a_few_complaints_on_a_quiet_tenant_are_not_a_storm():
    # From 1 a day to 6 is six times as many, but below the normal preset's minimum of 10.
    assert not storm_reading(days((30, 6, 6), (30, 1, 2))).storming
    assert storm_reading(days((30, 6, 6), (30, 1, 2)), sensitivity="high").storming


def test_without_a_week_of_history_there_is_no_usual_level():
    history = np.zeros((29, 3))
    history[0] = (503, 272, 290)
    history[1:4] = (400, 20, 40)
    assert storm_reading(history) is None


def test_an_open_storm_stays_open_until_it_is_back_under_half_the_margins():
    subsiding = days((400, 50, 60), (400, 20, 40))  # 2.5 times the usual: under 3, over 2
    assert not storm_reading(subsiding).storming
    assert storm_reading(subsiding, live=True).storming
    assert not storm_reading(days((400, 30, 45), (400, 20, 40)), live=True).storming


# --- the sweep -------------------------------------------------------------------------------


def add_day_rollups(*, source, brand, now, today, usual, n_days=28):
    """Hourly rollups: the last 24 hours hold ``today`` (mentions, complaints, negative), each
    of the ``n_days`` 24-hour windows before holds ``usual``, spread over the hours."""
    end = last_full_hour(now)
    rows = []

    def part(total: int, hour: int) -> int:
        return total // 24 + (1 if hour < total % 24 else 0)

    for day, (m, c, neg) in enumerate([today] + [usual] * n_days):
        rows += [VolumeHourly(tenant_id=source.tenant_id, source=source, brand=brand,
                              bucket=end - timedelta(hours=24 * day + hour + 1),
                              mentions=part(m, hour), complaints=part(c, hour),
                              negative=part(neg, hour))
                 for hour in range(24)]
    VolumeHourly.all_tenants.bulk_create(rows, batch_size=2000)
    # The daily rollups, recomputed from every hourly row of the source as the pipeline does.
    days: dict[datetime, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in VolumeHourly.all_tenants.filter(source=source):
        day = days[row.bucket.replace(hour=0)]
        day[0], day[1], day[2] = day[0] + row.mentions, day[1] + row.complaints, day[2] + row.negative
    VolumeDaily.all_tenants.filter(source=source).delete()
    VolumeDaily.all_tenants.bulk_create([
        VolumeDaily(tenant_id=source.tenant_id, source=source, brand=brand, bucket=bucket,
                    mentions=n, complaints=c, negative=neg)
        for bucket, (n, c, neg) in days.items()])


def storms(tenant, **kw):
    return list(Alert.all_tenants.filter(tenant=tenant, kind="complaint_storm", **kw))


def test_a_storm_opens_an_alert_that_says_what_to_act_on_and_is_delivered(world, now):
    Source.all_tenants.filter(pk=world.acme_source.pk).update(last_success_at=now)
    AlertChannel.all_tenants.create(tenant=world.acme, name="ops", kind="email",
                                    target="ops@example.com", events=["complaint_storm"])
    add_day_rollups(source=world.acme_source, brand=world.acme_brand, now=now,
                    today=(503, 272, 290), usual=(400, 20, 40))

    flags_sweep(now=now)

    [alert] = storms(world.acme)
    assert alert.key == "complaint_storm:tenant"
    assert alert.title == "Complaints about Acme are surging"
    assert "272 complaints in the last 24 h against usually about 20 a day" in alert.explanation
    assert "54% of 503 mentions, usually 5%" in alert.explanation
    assert "290 negative mentions" in alert.explanation
    assert alert.severity == "critical"
    assert alert.data["complaints"]["count"] == 272
    assert AlertDelivery.all_tenants.filter(alert=alert, event="opened").count() == 1
    assert storms(world.globex) == []


def test_the_storm_clears_when_it_subsides(world, now):
    add_day_rollups(source=world.acme_source, brand=world.acme_brand, now=now,
                    today=(503, 272, 290), usual=(400, 20, 40))
    flags_sweep(now=now)
    [alert] = storms(world.acme)

    # The next day: back to the usual level.
    later = now + timedelta(days=1)
    add_day_rollups(source=world.acme_source, brand=world.acme_brand, now=later,
                    today=(400, 21, 41), usual=(0, 0, 0), n_days=0)
    flags_sweep(now=later)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED
    assert alert.resolved_by is None
    assert [e.action for e in alert.events.all()] == ["opened", "resolved"]


def test_with_two_brands_the_brand_that_storms_is_named(world, now):
    shoes = factories.BrandFactory(tenant=world.acme, name="Acme Shoes")
    shoes_source = factories.SourceFactory(tenant=world.acme, brand=shoes, name="Shoes feed")
    add_day_rollups(source=world.acme_source, brand=world.acme_brand, now=now,
                    today=(400, 20, 40), usual=(400, 20, 40))
    add_day_rollups(source=shoes_source, brand=shoes, now=now,
                    today=(200, 120, 130), usual=(150, 8, 15))

    flags_sweep(now=now)

    found = {a.key: a for a in storms(world.acme)}
    assert set(found) == {"complaint_storm:tenant", f"complaint_storm:brand:{shoes.pk}"}
    assert found[f"complaint_storm:brand:{shoes.pk}"].title == "Complaints about Acme Shoes are surging"


# --- sources that never worked ---------------------------------------------------------------


def test_a_source_that_never_succeeded_is_failing_from_its_first_failure(world, now):
    source = factories.SourceFactory(tenant=world.acme, name="Partner API", consecutive_failures=1,
                                     last_error="connection reset")
    assert source.never_succeeded
    assert source.health == "failing"

    flags_sweep(now=now)

    [alert] = Alert.all_tenants.filter(tenant=world.acme, kind="source_health")
    assert alert.key == f"source_health:source:{source.pk}"
    assert alert.title == "Source Partner API has never collected anything"
    assert "Every poll of Partner API since it was added has failed (1 so far)" in alert.explanation
    assert alert.severity == "critical"
    assert alert.data["never_succeeded"] is True


def test_a_source_that_worked_before_is_only_degraded_by_one_failure(world, now):
    source = factories.SourceFactory(tenant=world.acme, name="Partner API", consecutive_failures=1,
                                     last_success_at=now - timedelta(hours=2))
    assert not source.never_succeeded
    assert source.health == "degraded"
    flags_sweep(now=now)
    assert not Alert.all_tenants.filter(tenant=world.acme, kind="source_health").exists()


def test_a_new_source_not_polled_yet_is_pending_not_failing(world):
    source = factories.SourceFactory(tenant=world.acme, name="Brand new")
    assert not source.never_succeeded
    assert source.health == "pending"
