"""Complaint-storm conditions for the alert sweep: each tenant's (and, with two brands or more,
each brand's) complaints and negative mentions of the last 24 hours against their usual day.

The last 24 hours come from the hourly rollups and the usual days from the daily ones, each in
one grouped query for all tenants; the decision is ``listening.analysis.storm``'s.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

import numpy as np
from django.db.models import Sum
from django.utils.translation import gettext

from listening.analysis.storm import BASELINE_DAYS, MeasureReading, StormReading, storm_reading
from listening.models import Alert, Brand, Tenant, VolumeDaily, VolumeHourly
from listening.models.alerts import LIVE_STATUSES, AlertKind
from listening.services.alert_feedback import sensitivity_adjusted
from listening.services.alerts import Condition

WINDOWS = 1 + BASELINE_DAYS
DAY_SECONDS = 24 * 3600


def day_windows_load(*, tenant_ids: list[int], end: datetime) -> dict[tuple[int, int | None], np.ndarray]:
    """(mentions, complaints, negative) per (tenant, brand), newest first: row 0 the 24 hours
    before ``end`` (hourly rollups), rows 1… the ``BASELINE_DAYS`` whole days (UTC, daily rollups)
    before the day in which those 24 hours begin, so that no hour of the last 24 counts in the
    usual level. Two grouped queries over a day of hourly rows and four weeks of daily ones, a
    small part of what the volume sweep reads."""
    since = end - timedelta(days=1)
    first_day = since.replace(hour=0, minute=0, second=0, microsecond=0)
    out: dict[tuple[int, int | None], np.ndarray] = defaultdict(lambda: np.zeros((WINDOWS, 3)))
    recent = (VolumeHourly.all_tenants.filter(tenant_id__in=tenant_ids, bucket__gte=since, bucket__lt=end)
              .order_by().values("tenant_id", "brand_id")
              .annotate(n=Sum("mentions"), c=Sum("complaints"), neg=Sum("negative"))
              .values_list("tenant_id", "brand_id", "n", "c", "neg"))
    for tid, bid, n, c, neg in recent:
        out[(tid, bid)][0] += (n, c, neg)
    days = (VolumeDaily.all_tenants.filter(tenant_id__in=tenant_ids,
                                           bucket__gte=first_day - timedelta(days=BASELINE_DAYS),
                                           bucket__lt=first_day)
            .order_by().values("tenant_id", "brand_id", "bucket")
            .annotate(n=Sum("mentions"), c=Sum("complaints"), neg=Sum("negative"))
            .values_list("tenant_id", "brand_id", "bucket", "n", "c", "neg"))
    for tid, bid, bucket, n, c, neg in days:
        # A day is one back from first_day when it begins within the 24 hours before it.
        w = math.ceil((first_day - bucket).total_seconds() / DAY_SECONDS)
        if 1 <= w < WINDOWS:
            out[(tid, bid)][w] += (n, c, neg)
    return dict(out)


def _series(windows: dict[tuple[int, int | None], np.ndarray]) -> dict[tuple[int, int | None], np.ndarray]:
    """Per tenant its total, keyed (tenant, None), and, for tenants with two brands or more
    (mentions without a brand count as one), each brand, keyed (tenant, brand)."""
    by_tenant: dict[int, list[int | None]] = defaultdict(list)
    for tid, bid in windows:
        by_tenant[tid].append(bid)
    out: dict[tuple[int, int | None], np.ndarray] = {}
    for tid, brands in by_tenant.items():
        out[(tid, None)] = sum((windows[(tid, b)] for b in brands), np.zeros((WINDOWS, 3)))
        if len(brands) > 1:
            out.update({(tid, b): windows[(tid, b)] for b in brands if b is not None})
    return out


def storm_conditions(*, tenants: Iterable[Tenant], end: datetime, steps: dict[tuple[int, str], int]
                     ) -> dict[int, list[Condition]]:
    """The storms of ``tenants`` in the 24 hours before ``end``. ``steps``: the feedback rule's
    adjustment per (tenant, alert key)."""
    by_id = {t.pk: t for t in tenants}
    windows = day_windows_load(tenant_ids=list(by_id), end=end)
    live = set(Alert.all_tenants.filter(
        tenant_id__in=list(by_id), kind=AlertKind.COMPLAINT_STORM, status__in=LIVE_STATUSES,
    ).values_list("tenant_id", "key"))
    brand_names = dict(Brand.all_tenants.filter(tenant_id__in=list(by_id)).values_list("id", "name"))
    out: dict[int, list[Condition]] = defaultdict(list)
    for (tid, bid), days in _series(windows).items():
        tenant = by_id[tid]
        key = f"{AlertKind.COMPLAINT_STORM}:" + ("tenant" if bid is None else f"brand:{bid}")
        step = steps.get((tid, key), 0)
        sensitivity = sensitivity_adjusted(tenant.alert_sensitivity, step)
        reading = storm_reading(days, sensitivity=sensitivity, live=(tid, key) in live)
        if reading is None or not reading.storming:
            continue
        subject = tenant.name if bid is None else brand_names.get(bid, f"brand {bid}")
        out[tid].append(_condition(key=key, subject=subject, brand_id=bid, reading=reading,
                                   sensitivity=sensitivity, steps=step))
    return out


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{share:.0%}"


def _measure_text(m: MeasureReading, mentions: int) -> str:
    if m.name == "complaints":
        text = gettext(
            "%(count)d complaints in the last 24 h against usually about %(usual).0f a day "
            "(%(ratio).1f times as many)") % {"count": m.count, "usual": m.usual, "ratio": m.ratio}
    else:
        text = gettext(
            "%(count)d negative mentions in the last 24 h against usually about %(usual).0f a day "
            "(%(ratio).1f times as many)") % {"count": m.count, "usual": m.usual, "ratio": m.ratio}
    return text + gettext("; %(share)s of %(mentions)d mentions, usually %(usual_share)s.") % {
        "share": _percent(m.share), "mentions": mentions, "usual_share": _percent(m.usual_share)}


def _condition(*, key: str, subject: str, brand_id: int | None, reading: StormReading,
               sensitivity: str, steps: int) -> Condition:
    complaints, negative = reading.measure("complaints"), reading.measure("negative")
    if complaints.storming:
        title = gettext("Complaints about %(subject)s are surging") % {"subject": subject}
        parts = [_measure_text(complaints, reading.mentions)]
        if negative.storming:
            parts.append(_measure_text(negative, reading.mentions))
    else:
        title = gettext("Negative mentions of %(subject)s are surging") % {"subject": subject}
        parts = [_measure_text(negative, reading.mentions)]
    parts.append(gettext("The usual day is the median of the %(days)d days before.")
                 % {"days": reading.baseline_days})
    if steps:
        parts.append(gettext("After the team's feedback, these alerts are %(steps)d step(s) less "
                             "sensitive than the tenant's setting (%(sensitivity)s).")
                     % {"steps": steps, "sensitivity": sensitivity})
    lead = complaints if complaints.storming else negative
    severe = lead.ratio >= 6 or (lead.share or 0) >= 0.5
    data: dict[str, object] = {
        "brand_id": brand_id, "mentions": reading.mentions, "baseline_days": reading.baseline_days,
        "sensitivity": sensitivity, "feedback_steps": steps,
    }
    for m in reading.measures:
        data[m.name] = {"count": m.count, "usual": m.usual, "share": m.share,
                        "usual_share": m.usual_share, "storming": m.storming}
    return Condition(key=key, kind=AlertKind.COMPLAINT_STORM, title=title,
                     explanation=" ".join(parts), severity="critical" if severe else "warning",
                     data=data)
