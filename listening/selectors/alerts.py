"""Reading alerts: a tenant's list, one alert's history, and live counts for the portfolio."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When

from listening.models import Alert, AlertChannel, AlertEvent, Tenant
from listening.models.alerts import LIVE_STATUSES, AlertKind
from listening.scoping import scope_of


def alert_list(*, status: str | None = None, kind: str | None = None) -> QuerySet[Alert]:
    """The current tenant's alerts (scoped manager), newest first."""
    qs = Alert.objects.select_related("acknowledged_by", "resolved_by").order_by("-opened_at", "-id")
    if status == "live":
        qs = qs.filter(status__in=LIVE_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def alerts_live() -> QuerySet[Alert]:
    """Open and acknowledged alerts of the current tenant, the most severe first."""
    rank = Case(When(severity="critical", then=Value(0)), When(severity="warning", then=Value(1)),
                default=Value(2), output_field=IntegerField())
    # Open before acknowledged ("a" < "o" reversed), then the most severe, then the newest.
    return alert_list(status="live").order_by("-status", rank, "-opened_at", "-id")


def alert_get(*, alert_id: int) -> Alert | None:
    """One alert of the current tenant (scoped manager): another tenant's id is simply not found."""
    return Alert.objects.filter(pk=alert_id).first()


def alert_history(*, alert: Alert) -> QuerySet[AlertEvent]:
    return AlertEvent.objects.filter(alert=alert).select_related("by").order_by("at", "id")


def alert_channel_list() -> QuerySet[AlertChannel]:
    return AlertChannel.objects.order_by("name", "id")


def live_alert_counts(*, tenant_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Open and acknowledged alerts per tenant and kind, in one query (crosses tenants on
    purpose: the caller passes only tenants the user may see)."""
    out: dict[int, dict[str, int]] = {}
    rows = (Alert.all_tenants.filter(tenant_id__in=list(tenant_ids), status__in=LIVE_STATUSES)
            .values("tenant_id", "kind").annotate(n=Count("id")).order_by("tenant_id", "kind")
            .values_list("tenant_id", "kind", "n"))
    for tenant_id, kind, n in rows:
        out.setdefault(tenant_id, {})[kind] = n
    return out


@dataclass(frozen=True)
class AlertHeadline:
    """A live alert as a flag quotes it: what, and the explanation a person acts on."""

    kind: str
    title: str
    explanation: str
    severity: str


# The live alerts the flags quote (the others are counted): a storm is said in its own figures.
QUOTED_KINDS = (AlertKind.COMPLAINT_STORM,)
_SEVERITY_RANK = Case(When(severity="critical", then=Value(0)), When(severity="warning", then=Value(1)),
                      default=Value(2), output_field=IntegerField())


def live_alert_headlines(*, tenant_ids: Iterable[int]) -> dict[int, list[AlertHeadline]]:
    """The quoted live alerts of each tenant, the most severe first, in one query (crosses
    tenants on purpose: the caller passes only tenants the user may see)."""
    out: dict[int, list[AlertHeadline]] = {}
    rows = (Alert.all_tenants.filter(tenant_id__in=list(tenant_ids), status__in=LIVE_STATUSES,
                                     kind__in=QUOTED_KINDS)
            .order_by("tenant_id", _SEVERITY_RANK, "key")
            .values_list("tenant_id", "kind", "title", "explanation", "severity"))
    for tenant_id, kind, title, explanation, severity in rows:
        out.setdefault(tenant_id, []).append(AlertHeadline(kind, title, explanation, severity))
    return out


def tenant_live_alert_headlines(*, tenant: Tenant) -> list[AlertHeadline]:
    """The quoted live alerts of one tenant. Inside ``tenant``'s scope."""
    scope_of(tenant)
    rows = (Alert.objects.filter(status__in=LIVE_STATUSES, kind__in=QUOTED_KINDS)
            .order_by(_SEVERITY_RANK, "key").values_list("kind", "title", "explanation", "severity"))
    return [AlertHeadline(*row) for row in rows]


def tenant_live_alert_counts(*, tenant: Tenant) -> dict[str, int]:
    """Open and acknowledged alerts of one tenant, by kind, in one query. Inside ``tenant``'s
    scope."""
    scope_of(tenant)
    rows = (Alert.objects.filter(status__in=LIVE_STATUSES).values("kind").annotate(n=Count("id"))
            .order_by("kind").values_list("kind", "n"))
    return dict(rows)
