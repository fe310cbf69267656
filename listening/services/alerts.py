"""Alert state: open, refresh and resolve from the sweeps; acknowledge and resolve by people.

Safe under concurrent sweeps: an alert is opened by an INSERT that the partial unique
constraint (one live alert per tenant and key) lets through once, and every state change is a
compare-and-set (``filter(pk=…, status=…).update(…)``) that proceeds only if it changed a row.
Each opening and resolution queues its notifications (``alert_delivery.deliveries_queue``) in
the same transaction; how they reach people is alert_delivery's business.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from listening.jsonsafe import json_safe
from listening.models import Alert, AlertEvent, Tenant
from listening.models.alerts import LIVE_STATUSES, AlertEventAction, AlertStatus, DeliveryEvent
from listening.scoping import TenantScopeMissing, current_tenant
from listening.services.alert_delivery import deliveries_queue


class AlertStateError(Exception):
    """The alert is not in a state that allows this change (already acknowledged, resolved…)."""


@dataclass(frozen=True)
class Condition:
    """Something a sweep found true now, for one tenant: the alert it keeps open."""

    key: str
    kind: str
    title: str
    explanation: str
    severity: str = "warning"
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class SyncReport:
    opened: list[int] = field(default_factory=list)
    refreshed: list[int] = field(default_factory=list)
    resolved: list[int] = field(default_factory=list)
    cooling_down: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # slugs of the tenants whose sweep failed


# --- the sweeps' side ------------------------------------------------------------------------


def alerts_sync(
    *,
    conditions: Mapping[int, Iterable[Condition]],
    tenants: Iterable[Tenant],
    kinds: Iterable[str],
    now: datetime | None = None,
) -> SyncReport:
    """Make the live alerts of ``kinds`` for ``tenants`` match ``conditions`` (by tenant id).

    A condition with a live alert refreshes it (explanation, numbers, last seen); one without
    opens an alert unless the same key was resolved within the tenant's cool-down; a live alert
    whose condition is gone is resolved by the system. Two queries read the state of every
    tenant at once; writes happen only where something changed, each kind in one batch. The
    sweep's: it crosses tenants on purpose, so it and the helpers below read and write
    ``all_tenants`` by the tenant ids of ``tenants``.
    """
    now = now or timezone.now()
    by_id = {t.pk: t for t in tenants}
    kinds = list(kinds)
    wanted = {tid: {c.key: c for c in conditions.get(tid, ())} for tid in by_id}
    live: dict[int, dict[str, Alert]] = defaultdict(dict)
    for live_alert in Alert.all_tenants.filter(
        tenant_id__in=list(by_id), kind__in=kinds, status__in=LIVE_STATUSES
    ):
        live[live_alert.tenant_id][live_alert.key] = live_alert
    longest = max((t.alert_cooldown_minutes for t in by_id.values()), default=0)
    candidates = [(tid, key) for tid, by_key in wanted.items() for key in by_key
                  if key not in live[tid]]
    recently_resolved = _recently_resolved(candidates, kinds=kinds, minutes=longest, now=now)

    report = SyncReport()
    to_refresh: list[Alert] = []
    to_open: list[tuple[Tenant, Condition]] = []
    to_resolve: list[Alert] = []
    for tid, tenant in by_id.items():
        for key, cond in wanted[tid].items():
            alert = live[tid].get(key)
            if alert is not None:
                alert.title, alert.explanation, alert.severity = cond.title, cond.explanation, cond.severity
                alert.data, alert.last_seen_at = _data(cond), now
                to_refresh.append(alert)
                continue
            resolved_at = recently_resolved.get((tid, key))
            if resolved_at and resolved_at > now - timedelta(minutes=tenant.alert_cooldown_minutes):
                report.cooling_down.append(f"{tenant.slug}:{key}")
                continue
            to_open.append((tenant, cond))
        to_resolve += [alert for key, alert in live[tid].items() if key not in wanted[tid]]
    report.resolved += _resolve_all(to_resolve, user=None, now=now, note="the condition cleared")
    if to_refresh:
        # Only these fields: a person acknowledging or resolving meanwhile keeps their change.
        Alert.all_tenants.bulk_update(
            to_refresh, ["title", "explanation", "severity", "data", "last_seen_at"], batch_size=500
        )
        report.refreshed += [a.pk for a in to_refresh]
    if to_open:
        opened = _open_all(to_open, now=now)
        if opened is not None:
            report.opened += opened
        else:
            # A concurrent sweep opened some of them first: one by one, refreshing theirs.
            for tenant, cond in to_open:
                alert, created = _open(tenant=tenant, cond=cond, now=now)
                (report.opened if created else report.refreshed).append(alert.pk)
    return report


def _recently_resolved(candidates: list[tuple[int, str]], *, kinds: list[str], minutes: int, now: datetime
                       ) -> dict[tuple[int, str], datetime]:
    """When each (tenant id, key) of ``candidates`` was last resolved, if within ``minutes``."""
    latest: dict[tuple[int, str], datetime] = {}
    if not candidates or not minutes:
        return latest
    rows = Alert.all_tenants.filter(
        tenant_id__in={tid for tid, _ in candidates}, kind__in=kinds,
        status=AlertStatus.RESOLVED, resolved_at__gte=now - timedelta(minutes=minutes),
    ).values_list("tenant_id", "key", "resolved_at")
    for tid, key, resolved_at in rows:
        if resolved_at is None:  # never: the filter asks for one (the column is nullable)
            continue
        mark = (tid, key)
        latest[mark] = max(resolved_at, latest.get(mark, resolved_at))
    return latest


def _data(cond: Condition) -> dict[str, Any]:
    # A figure of the detector can be inf or nan, which PostgreSQL refuses in JSON: null instead.
    return json_safe(dict(cond.data))


def _new_alert(tenant: Tenant, cond: Condition, now: datetime) -> Alert:
    return Alert(tenant=tenant, kind=cond.kind, key=cond.key, severity=cond.severity, title=cond.title,
                 explanation=cond.explanation, data=_data(cond), opened_at=now, last_seen_at=now)


def _open_all(pending: list[tuple[Tenant, Condition]], *, now: datetime) -> list[int] | None:
    """Open every alert in one transaction, a few queries in all; None if one already exists."""
    try:
        with transaction.atomic():
            alerts = Alert.all_tenants.bulk_create([_new_alert(t, c, now) for t, c in pending], batch_size=500)
            AlertEvent.all_tenants.bulk_create(
                [AlertEvent(tenant_id=a.tenant_id, alert=a, action=AlertEventAction.OPENED, at=now) for a in alerts],
                batch_size=500)
            deliveries_queue(alerts=alerts, event=DeliveryEvent.OPENED, now=now)
    except IntegrityError:
        return None
    return [a.pk for a in alerts]


def _open(*, tenant: Tenant, cond: Condition, now: datetime) -> tuple[Alert, bool]:
    try:
        with transaction.atomic():
            alert = _new_alert(tenant, cond, now)
            alert.save(force_insert=True)
            AlertEvent.all_tenants.create(tenant=tenant, alert=alert,
                                          action=AlertEventAction.OPENED, at=now)
            deliveries_queue(alerts=[alert], event=DeliveryEvent.OPENED, now=now)
    except IntegrityError:
        # A concurrent sweep opened it first: refresh theirs instead.
        alert = Alert.all_tenants.get(tenant=tenant, key=cond.key, status__in=LIVE_STATUSES)
        Alert.all_tenants.filter(pk=alert.pk).update(
            explanation=cond.explanation, data=_data(cond), last_seen_at=now)
        return alert, False
    return alert, True


def _resolve(*, alert: Alert, user: User | None, now: datetime, note: str = "") -> bool:
    return bool(_resolve_all([alert], user=user, now=now, note=note))


def _resolve_all(alerts: list[Alert], *, user: User | None, now: datetime, note: str) -> list[int]:
    """Resolve those of ``alerts`` still live (a compare-and-set under row locks, taken in id
    order so that concurrent sweeps cannot deadlock); returns the ids this call resolved."""
    if not alerts:
        return []
    with transaction.atomic():
        ids = set(
            Alert.all_tenants.select_for_update().filter(pk__in=[a.pk for a in alerts], status__in=LIVE_STATUSES)
            .order_by("pk").values_list("pk", flat=True)
        )
        if not ids:
            return []
        Alert.all_tenants.filter(pk__in=ids).update(status=AlertStatus.RESOLVED, resolved_at=now, resolved_by=user)
        done = [a for a in alerts if a.pk in ids]
        for alert in done:
            alert.status, alert.resolved_at, alert.resolved_by = AlertStatus.RESOLVED, now, user
        AlertEvent.all_tenants.bulk_create([
            AlertEvent(tenant_id=a.tenant_id, alert=a, action=AlertEventAction.RESOLVED, by=user, at=now, note=note)
            for a in done
        ], batch_size=500)
        deliveries_queue(alerts=done, event=DeliveryEvent.RESOLVED, now=now)
    return [a.pk for a in done]


# --- people's side ---------------------------------------------------------------------------


def _check_scope(alert: Alert) -> None:
    if alert.tenant_id != current_tenant().pk:
        raise TenantScopeMissing("The alert is not the scope's tenant's")


def alert_acknowledge(*, alert: Alert, user: User, now: datetime | None = None) -> Alert:
    """A person acknowledges ``alert``, in its tenant's scope."""
    _check_scope(alert)
    now = now or timezone.now()
    with transaction.atomic():
        changed = Alert.objects.filter(pk=alert.pk, status=AlertStatus.OPEN).update(
            status=AlertStatus.ACKNOWLEDGED, acknowledged_at=now, acknowledged_by=user)
        if not changed:
            raise AlertStateError("Only an open alert can be acknowledged.")
        AlertEvent.objects.create(alert=alert, action=AlertEventAction.ACKNOWLEDGED, by=user, at=now)
    alert.status, alert.acknowledged_at, alert.acknowledged_by = AlertStatus.ACKNOWLEDGED, now, user
    return alert


def alert_resolve(*, alert: Alert, user: User, now: datetime | None = None) -> Alert:
    """A person resolves ``alert``, in its tenant's scope (through the sweep's resolution, so
    that both queue the same deliveries)."""
    _check_scope(alert)
    if not _resolve(alert=alert, user=user, now=now or timezone.now(), note="resolved by hand"):
        raise AlertStateError("This alert is already resolved.")
    return alert
