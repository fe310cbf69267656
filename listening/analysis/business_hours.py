"""Business time: how much of an interval falls in a tenant's working hours.

Pure and fast: no ORM, no per-minute loops. Both functions visit each local calendar day of the
interval once (O(days)), and do their arithmetic on UTC instants, so a day on which the clocks
change (Europe/London in March and October) counts its real length: a 09:00-18:00 day is nine
hours of business time whatever the offset did overnight.

A working day ``d`` is open from ``d`` at ``start`` to ``d`` at ``end`` in the calendar's zone;
an ``end`` at or before ``start`` closes on the next day (a night shift, 22:00-06:00; and
00:00-00:00 is a whole day, so all seven weekdays at 00:00-00:00 is a 24/7 clock). The weekday and
the holidays are those of the day the window opens.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ONE_DAY = timedelta(days=1)
# The longest stretch ``business_cutoff`` walks back looking for enough business time: ten years
# of holidays in a row is a calendar with no working days.
MAX_WALK_DAYS = 3660


@dataclass(frozen=True)
class BusinessCalendar:
    tz: ZoneInfo
    start: time = time(9, 0)
    end: time = time(18, 0)
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # date.weekday(): 0 = Monday
    holidays: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def build(
        cls, *, tz: str | ZoneInfo, start: time, end: time, weekdays: Iterable[int],
        holidays: Iterable[date | str] = (),
    ) -> BusinessCalendar:
        return cls(
            tz=tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz),
            start=start.replace(tzinfo=None),
            end=end.replace(tzinfo=None),
            weekdays=frozenset(int(d) for d in weekdays),
            holidays=frozenset(d if isinstance(d, date) else date.fromisoformat(d) for d in holidays),
        )

    @property
    def overnight(self) -> bool:
        return self.end <= self.start

    def works_on(self, day: date) -> bool:
        return day.weekday() in self.weekdays and day not in self.holidays

    def window(self, day: date) -> tuple[datetime, datetime]:
        """The UTC instants the working window that opens on ``day`` opens and closes."""
        opens = datetime.combine(day, self.start, tzinfo=self.tz)
        closes = datetime.combine(day + ONE_DAY if self.overnight else day, self.end, tzinfo=self.tz)
        return opens.astimezone(UTC), closes.astimezone(UTC)


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("business time needs aware datetimes")
    return value.astimezone(UTC)


def _local_days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


def business_seconds_between(start: datetime, end: datetime, calendar: BusinessCalendar) -> float:
    """Seconds of ``[start, end)`` inside the calendar's working windows; 0 if end <= start."""
    start, end = _aware(start), _aware(end)
    if end <= start:
        return 0.0
    # The window opening the day before may still be open at ``start`` (a night shift).
    first = start.astimezone(calendar.tz).date() - ONE_DAY
    last = end.astimezone(calendar.tz).date()
    total = 0.0
    for day in _local_days(first, last):
        if not calendar.works_on(day):
            continue
        opens, closes = calendar.window(day)
        overlap = (min(end, closes) - max(start, opens)).total_seconds()
        if overlap > 0:
            total += overlap
    return total


def business_cutoff(now: datetime, seconds: float, calendar: BusinessCalendar) -> datetime | None:
    """The latest instant ``t`` with ``business_seconds_between(t, now) >= seconds``.

    Whatever was published at or before it has waited at least ``seconds`` of business time; so
    "overdue" stays one filter on the publication time. None when the calendar has no working
    time at all within ``MAX_WALK_DAYS``.
    """
    now = _aware(now)
    remaining = max(0.0, float(seconds))
    if remaining == 0:
        return now
    if not calendar.weekdays:
        return None
    day = now.astimezone(calendar.tz).date()
    for _ in range(MAX_WALK_DAYS):
        if calendar.works_on(day):
            opens, closes = calendar.window(day)
            closes = min(closes, now)
            available = (closes - opens).total_seconds()
            if available > 0:
                if available >= remaining:
                    return closes - timedelta(seconds=remaining)
                remaining -= available
        day -= ONE_DAY
    return None
