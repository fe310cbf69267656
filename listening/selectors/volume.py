"""Volume over time, for charts: mentions and complaints per day or hour, from the rollups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from django.db.models import Sum
from django.db.models.functions import TruncDay, TruncHour
from django.db.models.functions.datetime import TruncBase
from django.utils import timezone

from listening.models import Tenant, VolumeHourly
from listening.scoping import scope_of


@dataclass(frozen=True)
class VolumePoint:
    start: datetime  # the bucket's start, aware, in the tenant's time zone
    mentions: int
    complaints: int
    negative: int


def volume_series(
    *,
    tenant: Tenant,
    granularity: Literal["day", "hour"] = "day",
    periods: int = 35,
    now: datetime | None = None,
) -> list[VolumePoint]:
    """The last ``periods`` days (or hours) up to and including the current one, oldest first,
    with empty buckets as zeros. One aggregate query.

    Days are the tenant's local days, summed from the hourly rollup: the daily rollup is cut at
    UTC midnight, which for a team in Jakarta is seven in the morning. Inside ``tenant``'s scope.
    """
    zone = ZoneInfo(scope_of(tenant).timezone)
    now = (now or timezone.now()).astimezone(zone)
    if granularity == "day":
        current = now.replace(hour=0, minute=0, second=0, microsecond=0)
        # Aware arithmetic with a ZoneInfo is wall-clock arithmetic: each start stays a midnight.
        starts = [current - timedelta(days=n) for n in range(periods)]
        trunc: TruncBase = TruncDay("bucket", tzinfo=zone)
    else:
        # Hours step in UTC, so that a DST change neither repeats nor skips one.
        current = now.replace(minute=0, second=0, microsecond=0).astimezone(UTC)
        starts = [(current - timedelta(hours=n)).astimezone(zone) for n in range(periods)]
        trunc = TruncHour("bucket", tzinfo=zone)
    starts.reverse()
    rows = (
        VolumeHourly.objects.filter(bucket__gte=starts[0])
        .annotate(period=trunc)
        .values("period")
        .annotate(m=Sum("mentions"), c=Sum("complaints"), n=Sum("negative"))
    )
    by_start = {r["period"].astimezone(zone): r for r in rows}
    return [
        VolumePoint(
            start=s,
            mentions=(by_start.get(s) or {}).get("m") or 0,
            complaints=(by_start.get(s) or {}).get("c") or 0,
            negative=(by_start.get(s) or {}).get("n") or 0,
        )
        for s in starts
    ]

