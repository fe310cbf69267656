"""business_seconds_between and business_cutoff: pure functions, checked against hand counts."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from listening.analysis.business_hours import BusinessCalendar, business_cutoff, business_seconds_between

H = 3600
JKT = ZoneInfo("Asia/Jakarta")
LDN = ZoneInfo("Europe/London")


def office(tz: ZoneInfo = JKT, **kw) -> BusinessCalendar:
    return BusinessCalendar.build(tz=tz, start=time(9), end=time(18), weekdays=range(5), **kw)


def at(tz: ZoneInfo, year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=tz)


# 2026-11-23 is a Monday.
def test_it_counts_the_part_of_one_working_day():
    assert business_seconds_between(at(JKT, 2026, 11, 23, 10), at(JKT, 2026, 11, 23, 12), office()) == 2 * H


def test_it_counts_nothing_before_opening_or_after_closing():
    cal = office()
    assert business_seconds_between(at(JKT, 2026, 11, 23, 6), at(JKT, 2026, 11, 23, 9), cal) == 0
    assert business_seconds_between(at(JKT, 2026, 11, 23, 18), at(JKT, 2026, 11, 23, 23), cal) == 0


def test_overnight_only_the_evening_and_the_morning_count():
    # Mon 17:00 -> Tue 10:00: one hour each side of the night.
    assert business_seconds_between(at(JKT, 2026, 11, 23, 17), at(JKT, 2026, 11, 24, 10), office()) == 2 * H


def test_the_weekend_does_not_count():
    # Fri 17:00 -> Mon 10:00.
    assert business_seconds_between(at(JKT, 2026, 11, 27, 17), at(JKT, 2026, 11, 30, 10), office()) == 2 * H


def test_a_holiday_does_not_count():
    cal = office(holidays=[date(2026, 11, 30)])
    # Fri 17:00 -> Tue 10:00 with Monday off.
    assert business_seconds_between(at(JKT, 2026, 11, 27, 17), at(JKT, 2026, 12, 1, 10), cal) == 2 * H
    assert business_seconds_between(at(JKT, 2026, 11, 30, 9), at(JKT, 2026, 11, 30, 18), cal) == 0


def test_holidays_may_be_given_as_iso_strings():
    assert office(holidays=["2026-11-30"]).holidays == frozenset({date(2026, 11, 30)})


def test_an_interval_that_ends_before_it_starts_is_zero():
    assert business_seconds_between(at(JKT, 2026, 11, 23, 12), at(JKT, 2026, 11, 23, 10), office()) == 0


def test_a_night_shift_runs_past_midnight():
    night = BusinessCalendar.build(tz=JKT, start=time(22), end=time(6), weekdays=range(5))
    # Mon 23:00 -> Tue 05:00: all inside Monday's shift.
    assert business_seconds_between(at(JKT, 2026, 11, 23, 23), at(JKT, 2026, 11, 24, 5), night) == 6 * H
    # Tue 05:00 -> Tue 23:00: the last hour of Monday's shift and the first of Tuesday's.
    assert business_seconds_between(at(JKT, 2026, 11, 24, 5), at(JKT, 2026, 11, 24, 23), night) == 2 * H
    # Saturday 02:00 is still Friday's shift; Saturday 22:00 opens nothing.
    assert business_seconds_between(at(JKT, 2026, 11, 28, 2), at(JKT, 2026, 11, 28, 23), night) == 4 * H


def test_midnight_to_midnight_every_day_is_plain_elapsed_time():
    always = BusinessCalendar.build(tz=LDN, start=time(0), end=time(0), weekdays=range(7))
    start, end = at(LDN, 2026, 3, 27, 12), at(LDN, 2026, 3, 31, 8)
    # In UTC: subtracting two London datetimes directly gives wall-clock time, an hour too many.
    real = (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds()
    assert real == (end - start).total_seconds() - H
    assert business_seconds_between(start, end, always) == real


def test_jakarta_has_no_dst_and_counts_in_its_own_offset():
    # 09:00-18:00 WIB is 02:00-11:00 UTC.
    day = business_seconds_between(datetime(2026, 11, 23, 0, tzinfo=UTC),
                                   datetime(2026, 11, 23, 3, tzinfo=UTC), office())
    assert day == 1 * H


def test_a_london_day_when_the_clocks_go_forward_counts_its_real_length():
    # Sunday 2026-03-29 01:00 GMT becomes 02:00 BST: a 00:00-03:00 window lasts two real hours.
    early = BusinessCalendar.build(tz=LDN, start=time(0), end=time(3), weekdays=range(7))
    assert business_seconds_between(at(LDN, 2026, 3, 28, 12), at(LDN, 2026, 3, 29, 12), early) == 2 * H
    # ... and a day of 09:00-18:00 either side of the change is nine hours, in UTC terms too.
    cal = office(LDN)
    assert business_seconds_between(at(LDN, 2026, 3, 27, 0), at(LDN, 2026, 3, 28, 0), cal) == 9 * H
    assert business_seconds_between(at(LDN, 2026, 3, 30, 0), at(LDN, 2026, 3, 31, 0), cal) == 9 * H
    # Fri 17:00 GMT -> Mon 10:00 BST.
    assert business_seconds_between(at(LDN, 2026, 3, 27, 17), at(LDN, 2026, 3, 30, 10), cal) == 2 * H


def test_a_london_day_when_the_clocks_go_back_counts_its_real_length():
    # Sunday 2026-10-25 02:00 BST becomes 01:00 GMT: a 00:00-03:00 window lasts four real hours.
    early = BusinessCalendar.build(tz=LDN, start=time(0), end=time(3), weekdays=range(7))
    assert business_seconds_between(at(LDN, 2026, 10, 24, 12), at(LDN, 2026, 10, 25, 12), early) == 4 * H


def test_a_long_span_is_counted_day_by_day_not_minute_by_minute():
    start, end = at(JKT, 2016, 1, 4), at(JKT, 2026, 1, 5)  # both Mondays, ten years apart
    working = sum(1 for n in range((end.date() - start.date()).days)
                  if (start.date() + timedelta(days=n)).weekday() < 5)
    assert business_seconds_between(start, end, office()) == working * 9 * H


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="aware datetimes"):
        business_seconds_between(datetime(2026, 1, 1), datetime(2026, 1, 2), office())


@pytest.mark.parametrize("cal", [
    office(),
    office(LDN, holidays=[date(2026, 3, 30), date(2026, 10, 26)]),
    BusinessCalendar.build(tz=LDN, start=time(22), end=time(6), weekdays=[0, 2, 4]),
    BusinessCalendar.build(tz=LDN, start=time(0), end=time(3), weekdays=range(7)),
], ids=["jakarta-office", "london-office-holidays", "london-night-shift", "london-early"])
def test_the_cutoff_is_the_latest_instant_with_the_target_behind_it(cal):
    rng = random.Random(4)
    for _ in range(300):
        now = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(365 * 24 * H))
        target = rng.choice([0, 60, 30 * 60, 2 * H, 9 * H, 40 * H])
        cutoff = business_cutoff(now, target, cal)
        assert cutoff is not None
        assert business_seconds_between(cutoff, now, cal) == pytest.approx(target, abs=1e-3)
        # One second later is less than the target behind: it is the latest such instant.
        if target:
            assert business_seconds_between(cutoff + timedelta(seconds=1), now, cal) < target


def test_a_calendar_without_working_days_has_no_cutoff():
    closed = BusinessCalendar.build(tz=JKT, start=time(9), end=time(18), weekdays=[])
    assert business_cutoff(datetime(2026, 1, 1, tzinfo=UTC), 60, closed) is None
