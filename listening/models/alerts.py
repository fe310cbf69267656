"""Alerts: what the sweeps found, who saw and closed it, and where it was sent.

An alert is identified per tenant by a ``key`` ("decline:tenant", "decline:brand:5",
"source_health:source:7"). At most one alert per (tenant, key) is live (open or acknowledged):
a partial unique constraint enforces it, so two concurrent sweeps cannot both open one. A resolved
alert stays as history; the same key may open a new alert after the tenant's cool-down.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from listening.scoping import TenantOwned


class AlertKind(models.TextChoices):
    DECLINE = "decline", "Volume decline"
    SURGE = "surge", "Volume surge"
    UNANSWERED = "unanswered", "Unanswered complaints"
    SOURCE_HEALTH = "source_health", "Source health"
    COMPLAINT_STORM = "complaint_storm", "Complaint storm"


class AlertStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"


LIVE_STATUSES = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)


class AlertSeverity(models.TextChoices):
    INFO = "info", "Info"
    WARNING = "warning", "Warning"
    CRITICAL = "critical", "Critical"


class Alert(TenantOwned):
    kind = models.CharField(max_length=16, choices=AlertKind.choices)
    key = models.CharField(max_length=120)
    status = models.CharField(max_length=16, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    severity = models.CharField(
        max_length=8, choices=AlertSeverity.choices, default=AlertSeverity.WARNING
    )
    title = models.CharField(max_length=200)
    explanation = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    # None with a resolved_at: resolved by the sweep, because the condition cleared.
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(TenantOwned.Meta):
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "key"],
                condition=~Q(status="resolved"),
                name="alert_one_live_per_key",
            )
        ]
        indexes = [
            models.Index(fields=["tenant", "status", "-opened_at"], name="alert_tenant_status_idx"),
            # The cool-down looks up the last resolution of a key.
            models.Index(fields=["tenant", "key", "-resolved_at"], name="alert_tenant_key_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"

    @property
    def live(self) -> bool:
        return self.status in LIVE_STATUSES


class AlertEventAction(models.TextChoices):
    OPENED = "opened", "Opened"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"
    FEEDBACK = "feedback", "Feedback"


class AlertEvent(TenantOwned):
    """One state change of one alert: what, who (None for the sweep) and when."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16, choices=AlertEventAction.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=200, blank=True)

    class Meta(TenantOwned.Meta):
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["tenant", "alert", "at"], name="alert_event_alert_idx")]

    def __str__(self) -> str:
        return f"alert {self.alert_id} {self.action} at {self.at:%Y-%m-%d %H:%M}"


class FeedbackVerdict(models.TextChoices):
    USEFUL = "useful", _("Useful")
    NOT_USEFUL = "not_useful", _("Not useful")
    # The condition was not true: a false alarm.
    WRONG = "wrong", _("Wrong")


class AlertFeedback(TenantOwned):
    """One person's verdict on one alert (the latest they gave). Each change is also an
    AlertEvent, so the alert's history keeps every verdict; these rows are what the sweep's
    sensitivity rule counts (``alert_feedback.feedback_steps``)."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="feedback")
    # Copied from the alert, so that the rule counts a key's verdicts without a join.
    alert_key = models.CharField(max_length=120)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(max_length=12, choices=FeedbackVerdict.choices)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta(TenantOwned.Meta):
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "alert", "user"], name="alert_feedback_one_per_user")
        ]
        indexes = [
            models.Index(fields=["tenant", "alert_key", "-updated_at"], name="alert_feedback_key_idx"),
        ]

    def __str__(self) -> str:
        return f"alert {self.alert_id}: {self.verdict} by {self.user_id}"


class ChannelKind(models.TextChoices):
    EMAIL = "email", "Email"
    WEBHOOK = "webhook", "Webhook"


class PayloadFormat(models.TextChoices):
    GENERIC = "generic", "Generic JSON"
    SLACK = "slack", "Slack-compatible"


class AlertChannel(TenantOwned):
    """Where a tenant's alerts go: email addresses or a webhook URL."""

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=8, choices=ChannelKind.choices)
    # Comma-separated addresses for email; the URL for a webhook.
    target = models.CharField(max_length=500)
    # Signs webhook bodies (HMAC-SHA256); never shown back through the API.
    secret = models.CharField(max_length=200, blank=True)
    payload_format = models.CharField(
        max_length=8, choices=PayloadFormat.choices, default=PayloadFormat.GENERIC
    )
    active = models.BooleanField(default=True)
    # The alert kinds this channel receives; empty means every kind.
    events = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwned.Meta):
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="alert_channel_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"

    def wants(self, kind: str) -> bool:
        return self.active and (not self.events or kind in self.events)


class DeliveryEvent(models.TextChoices):
    OPENED = "opened", "Opened"
    RESOLVED = "resolved", "Resolved"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class AlertDelivery(TenantOwned):
    """One notification of one alert event through one channel, and its attempts."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.ForeignKey(AlertChannel, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=8, choices=DeliveryEvent.choices)
    status = models.CharField(
        max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta(TenantOwned.Meta):
        ordering = ["-created_at", "-id"]
        constraints = [
            # An event goes through a channel once, however often the sweep runs.
            models.UniqueConstraint(
                fields=["tenant", "alert", "channel", "event"], name="alert_delivery_unique"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="alert_delivery_due_idx"),
        ]

    def __str__(self) -> str:
        return f"alert {self.alert_id} {self.event} via {self.channel_id}: {self.status}"
