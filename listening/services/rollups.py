"""Volume rollups: recomputed from the mentions for every bucket a batch touched.

They are one tenant's: written under its scope (``tenant_scope``), through the scoped managers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from django.db.models import Count, Q
from django.db.models.functions import TruncDay, TruncHour

from listening.models import Mention, VolumeDaily, VolumeHourly
from listening.scoping import TenantScopeMissing, current_tenant

_COUNTED = Q(is_spam=False, is_brand_reply=False)
_Rollup = TypeVar("_Rollup", VolumeHourly, VolumeDaily)


def _floor_hour(at: datetime) -> datetime:
    return at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _refresh(model: type[_Rollup], trunc: type, step: timedelta,
             *, source_id: int, buckets: set[datetime]) -> None:
    if not buckets:
        return
    model.objects.filter(source_id=source_id, bucket__in=buckets).delete()
    rows = (
        Mention.objects.filter(
            _COUNTED,
            source_id=source_id,
            published_at__gte=min(buckets),
            published_at__lt=max(buckets) + step,
        )
        .annotate(b=trunc("published_at"))
        .values("b", "brand_id")
        .annotate(
            n=Count("id"),
            c=Count("id", filter=Q(is_complaint=True)),
            neg=Count("id", filter=Q(sentiment="negative")),
        )
    )
    model.objects.bulk_create(
        [
            model(
                source_id=source_id, brand_id=r["brand_id"], bucket=r["b"],
                mentions=r["n"], complaints=r["c"], negative=r["neg"],
            )
            for r in rows
            if r["b"] in buckets
        ],
        batch_size=1000,
    )


def volume_refresh(*, tenant_id: int, source_id: int, timestamps: Iterable[datetime]) -> None:
    """Recompute the hourly and daily (UTC) buckets that contain ``timestamps``, in the scope of
    ``tenant_id``'s tenant (the tenant is named so that a caller in another scope fails)."""
    if current_tenant().pk != tenant_id:
        raise TenantScopeMissing("The rollups refreshed are not the scope's tenant's")
    hours = {_floor_hour(t) for t in timestamps}
    days = {h.replace(hour=0) for h in hours}
    _refresh(VolumeHourly, TruncHour, timedelta(hours=1),
             source_id=source_id, buckets=hours)
    _refresh(VolumeDaily, TruncDay, timedelta(days=1),
             source_id=source_id, buckets=days)
