"""Reading the feedback on alerts: one alert's verdicts, and a page of alerts with theirs."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from listening.models import Alert, AlertEvent
from listening.models.alerts import AlertFeedback


def alert_feedback_list(*, alert: Alert) -> QuerySet[AlertFeedback]:
    """The current verdicts on ``alert`` (one per person), the newest first. Scoped manager."""
    return AlertFeedback.objects.filter(alert=alert).select_related("user").order_by("-updated_at", "-id")


def alert_history_page(*, before_id: int | None = None, size: int = 25) -> list[Alert]:
    """A page of the current tenant's alerts, newest first (keyset on the id: an alert's id
    grows with its opening), each with its events and verdicts, in three queries."""
    qs = Alert.objects.select_related("acknowledged_by", "resolved_by").order_by("-id")
    if before_id is not None:
        qs = qs.filter(pk__lt=before_id)
    return list(qs.prefetch_related(
        Prefetch("events", queryset=AlertEvent.objects.select_related("by").order_by("at", "id")),
        Prefetch("feedback", queryset=AlertFeedback.objects.select_related("user")
                 .order_by("-updated_at", "-id")),
    )[:size])
