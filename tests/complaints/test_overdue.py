"""Overdue counts business time: the unanswered-complaints flag, the holidays it reads."""

from __future__ import annotations

from datetime import date, time, timedelta

from listening.models import Tenant
from listening.models.mentions import ComplaintStatus as S
from listening.scoping import tenant_scope
from listening.selectors.flags import unanswered_complaints
from listening.services.complaints import holiday_create, holiday_delete, holiday_update
from tests.complaints.conftest import complaint, jakarta, office_hours

MONDAY_10 = jakarta(2026, 11, 30, 10)  # a Monday, an hour into the working day


def overdue_ids(tenant: Tenant, now) -> set[int]:
    with tenant_scope(tenant):
        return set(unanswered_complaints(tenant=tenant, now=now).values_list("id", flat=True))


def test_a_complaint_from_friday_evening_is_overdue_on_monday_only_in_business_time(world):
    office_hours(world.acme, target=120)
    two_hours = complaint(world, published_at=jakarta(2026, 11, 27, 17))  # 1 h Fri + 1 h Mon
    ninety_min = complaint(world, published_at=jakarta(2026, 11, 27, 17, 30))
    saturday = complaint(world, published_at=jakarta(2026, 11, 28, 12))  # 2 days, but 1 h
    assert overdue_ids(world.acme, MONDAY_10) == {two_hours.pk}
    assert ninety_min.pk in overdue_ids(world.acme, MONDAY_10 + timedelta(minutes=30))
    assert saturday.pk not in overdue_ids(world.acme, MONDAY_10 + timedelta(minutes=30))


def test_nothing_becomes_overdue_over_the_weekend(world):
    office_hours(world.acme, target=120)
    complaint(world, published_at=jakarta(2026, 11, 27, 17, 30))
    assert overdue_ids(world.acme, jakarta(2026, 11, 29, 23)) == set()


def test_a_holiday_stops_the_clock(world):
    office_hours(world.acme, target=120)
    friday = complaint(world, published_at=jakarta(2026, 11, 27, 17))
    holiday = holiday_create(tenant=world.acme, date=date(2026, 11, 30), name="Cuti bersama")
    assert world.acme.holiday_dates == ["2026-11-30"]
    assert Tenant.objects.get(pk=world.acme.pk).holiday_dates == ["2026-11-30"]
    assert overdue_ids(world.acme, MONDAY_10) == set()
    assert overdue_ids(world.acme, jakarta(2026, 12, 1, 10)) == {friday.pk}

    holiday_update(holiday=holiday, date=date(2026, 12, 1))
    assert world.acme.holiday_dates == ["2026-12-01"]
    assert overdue_ids(world.acme, MONDAY_10) == {friday.pk}
    holiday_delete(holiday=holiday)
    assert Tenant.objects.get(pk=world.acme.pk).holiday_dates == []


def test_answered_resolved_and_dismissed_complaints_are_never_overdue(world):
    office_hours(world.acme, target=60)
    old = jakarta(2026, 11, 23, 10)
    late = complaint(world, published_at=old)
    legacy = complaint(world, published_at=old, status=S.NONE)  # stored before the lifecycle
    complaint(world, published_at=old, status=S.ANSWERED, answered_at=old + timedelta(days=1))
    complaint(world, published_at=old, status=S.RESOLVED)
    complaint(world, published_at=old, status=S.DISMISSED, is_complaint=False)
    assert overdue_ids(world.acme, MONDAY_10) == {late.pk, legacy.pk}


def test_a_night_shift_tenant_counts_its_own_hours(world):
    office_hours(world.acme, target=120)
    world.acme.business_day_start, world.acme.business_day_end = time(22), time(6)
    world.acme.save()
    c = complaint(world, published_at=jakarta(2026, 11, 24, 3))  # Tue 03:00, in Monday's shift
    assert overdue_ids(world.acme, jakarta(2026, 11, 24, 5)) == {c.pk}
    assert overdue_ids(world.acme, jakarta(2026, 11, 24, 4, 59)) == set()


def test_the_queryset_stays_one_filter_for_callers(world, django_assert_num_queries):
    office_hours(world.acme)
    complaint(world, published_at=jakarta(2026, 11, 27, 10))
    with tenant_scope(world.acme):
        qs = unanswered_complaints(tenant=world.acme, now=MONDAY_10)
    with django_assert_num_queries(1):
        assert qs.count() == 1
