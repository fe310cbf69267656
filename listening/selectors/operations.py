"""Reading the state of the whole deployment, across tenants, for an operator (``manage.py status``).

A handful of aggregate queries whatever the number of tenants or sources; nothing counts mentions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from listening.models import Alert, AlertDelivery, Source
from listening.models.alerts import LIVE_STATUSES, DeliveryStatus

# A source whose poll is this late is "behind": beat ticks every few seconds, so a healthy
# deployment has none.
BEHIND_AFTER = dt.timedelta(minutes=5)


def sources_status(*, now: dt.datetime | None = None) -> dict[str, Any]:
    """How many sources are active, paused, being polled, due, behind, failing; the worst lag.
    Across tenants on purpose: the operator's status."""
    now = now or timezone.now()
    active = Q(paused=False)
    due = active & Q(next_poll_at__lte=now) & (Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
    # Aggregate names may not be field names ("paused"): n_… here, plain names in the answer.
    figures = Source.all_tenants.aggregate(
        n_total=Count("id"),
        n_paused=Count("id", filter=Q(paused=True)),
        n_polling=Count("id", filter=active & Q(claimed_until__gt=now)),
        n_due=Count("id", filter=due),
        n_behind=Count("id", filter=due & Q(next_poll_at__lte=now - BEHIND_AFTER)),
        n_failing=Count("id", filter=active & Q(consecutive_failures__gt=0)),
        oldest_due=Min("next_poll_at", filter=due),
        last_success=Max("last_success_at"),
    )
    oldest = figures.pop("oldest_due")
    answer: dict[str, Any] = {k.removeprefix("n_"): v for k, v in figures.items()}
    answer["worst_lag_seconds"] = round((now - oldest).total_seconds()) if oldest else 0
    return answer


def alerts_status(*, now: dt.datetime | None = None) -> dict[str, Any]:
    """Live alerts, and notifications waiting, overdue (a lost delivery task) or failed today;
    across tenants on purpose (the operator's status)."""
    now = now or timezone.now()
    live = Alert.all_tenants.filter(status__in=LIVE_STATUSES).count()
    deliveries = AlertDelivery.all_tenants.aggregate(
        pending=Count("id", filter=Q(status=DeliveryStatus.PENDING)),
        overdue=Count(
            "id", filter=Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now - dt.timedelta(minutes=15))
        ),
        failed_last_24h=Count(
            "id", filter=Q(status=DeliveryStatus.FAILED, created_at__gte=now - dt.timedelta(hours=24))
        ),
    )
    return {"live_alerts": live, "deliveries": deliveries}
