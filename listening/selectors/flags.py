"""The first two flags, per tenant: unanswered complaints, and conversation volume falling."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Min, Q, Sum
from django.utils import timezone

from listening.models import Source, Tenant, VolumeHourly
from listening.scoping import scope_of
from listening.selectors.alerts import AlertHeadline, tenant_live_alert_counts, tenant_live_alert_headlines
from listening.selectors.overdue import unanswered_complaints

# Below this weekly mean the baseline is too thin for a percentage to mean anything.
MIN_WEEKLY_BASELINE = 20
SURGE_RATIO = 2.0


@dataclass(frozen=True)
class VolumeChange:
    last_7_days: int
    weekly_baseline: float  # the mean week of the 4 weeks before
    change: float | None  # -0.5 = half the usual volume; None without a baseline
    declining: bool
    surging: bool
    explanation: str
    unhealthy_sources: list[str] = field(default_factory=list)


def volume_change(*, tenant: Tenant, now: datetime | None = None) -> VolumeChange:
    """The last 7 days against the mean week of the 4 weeks before. Inside ``tenant``'s scope."""
    scope_of(tenant)
    now = now or timezone.now()
    recent_start = now - timedelta(days=7)
    baseline_start = recent_start - timedelta(days=28)
    sums = VolumeHourly.objects.filter(bucket__gte=baseline_start, bucket__lt=now).aggregate(
        recent=Sum("mentions", filter=Q(bucket__gte=recent_start)),
        before=Sum("mentions", filter=Q(bucket__lt=recent_start)),
    )
    recent, before = sums["recent"] or 0, sums["before"] or 0
    baseline = before / 4
    unhealthy = [s.name for s in Source.objects.all() if s.health in ("failing", "paused")]
    if baseline < MIN_WEEKLY_BASELINE:
        return VolumeChange(
            recent, baseline, None, False, False,
            f"{recent} mentions in the last 7 days; not enough history yet to compare "
            f"(a weekly mean of {baseline:.0f} over the 4 weeks before).",
            unhealthy,
        )
    change = recent / baseline - 1
    declining = change <= -tenant.volume_drop_threshold
    surging = recent / baseline >= SURGE_RATIO
    explanation = (
        f"{recent} mentions in the last 7 days against a weekly mean of {baseline:.0f} "
        f"in the 4 weeks before ({change:+.0%})."
    )
    if declining and unhealthy:
        explanation += (
            f" Source(s) {', '.join(unhealthy)} are failing or paused: the fall may be the "
            "collector, not the conversation."
        )
        declining = False
    return VolumeChange(recent, baseline, change, declining, surging, explanation, unhealthy)


@dataclass(frozen=True)
class TenantFlags:
    """What needs attention on one tenant: overdue complaints, the week's volume against the
    usual week, and the alerts the sweeps hold open now (by kind). The week's comparison is slow
    by design; a fall or surge of the last hours shows as a live decline or surge alert."""

    tenant: Tenant
    unanswered_count: int
    oldest_unanswered_at: datetime | None
    volume: VolumeChange
    live_alerts: dict[str, int] = field(default_factory=dict)
    # The live complaint storms, in their own words (the figures a person acts on).
    storms: list[AlertHeadline] = field(default_factory=list)

    @property
    def live_alert_total(self) -> int:
        return sum(self.live_alerts.values())

    @property
    def falling_now(self) -> bool:
        return bool(self.live_alerts.get("decline"))

    @property
    def surging_now(self) -> bool:
        return bool(self.live_alerts.get("surge"))

    @property
    def storming_now(self) -> bool:
        return bool(self.live_alerts.get("complaint_storm"))

    @property
    def flagged(self) -> bool:
        return bool(self.unanswered_count or self.volume.declining or self.volume.surging
                    or self.volume.unhealthy_sources or self.live_alert_total)


def tenant_flags(*, tenant: Tenant, now: datetime | None = None,
                 live_alerts: dict[str, int] | None = None,
                 storms: list[AlertHeadline] | None = None) -> TenantFlags:
    """Inside ``tenant``'s scope. ``live_alerts`` (the tenant's live alerts by kind) and
    ``storms`` (its live complaint storms): when the caller read them for many tenants at once;
    read here otherwise."""
    now = now or timezone.now()
    overdue = unanswered_complaints(tenant=tenant, now=now).aggregate(
        n=Count("id"), oldest=Min("published_at")
    )
    if live_alerts is None:
        live_alerts = tenant_live_alert_counts(tenant=tenant)
    if storms is None:
        storms = tenant_live_alert_headlines(tenant=tenant) if live_alerts.get("complaint_storm") else []
    return TenantFlags(
        tenant=tenant,
        unanswered_count=overdue["n"],
        oldest_unanswered_at=overdue["oldest"],
        volume=volume_change(tenant=tenant, now=now),
        live_alerts=live_alerts,
        storms=storms,
    )
