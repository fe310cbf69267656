"""The complaint lifecycle's history, and the days a tenant's response clock stands still."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from listening.scoping import TenantOwned


class ComplaintAction(models.TextChoices):
    OPENED = "opened", "Opened"
    ANSWERED = "answered", "Answered"
    RESOLVED = "resolved", "Resolved"
    DISMISSED = "dismissed", "Dismissed"
    REOPENED = "reopened", "Reopened"
    ASSIGNED = "assigned", "Assigned"


class ComplaintEvent(TenantOwned):
    """One change to one complaint: a status transition or an assignment. Never updated."""

    mention = models.ForeignKey(
        "listening.Mention", on_delete=models.CASCADE, related_name="complaint_events"
    )
    action = models.CharField(max_length=12, choices=ComplaintAction.choices)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    # Null for the system (a brand reply linked at ingestion).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # For an assignment: who it was given to (null: unassigned).
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta(TenantOwned.Meta):
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["tenant", "mention", "at"], name="complaint_event_mention_idx"),
        ]

    def __str__(self) -> str:
        return f"mention {self.mention_id}: {self.action} {self.from_status} -> {self.to_status}"


class TenantHoliday(TenantOwned):
    """A day on which the tenant's business-hours clock does not run."""

    date = models.DateField()
    name = models.CharField(max_length=200, blank=True)

    class Meta(TenantOwned.Meta):
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "date"], name="holiday_unique_per_tenant")
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.name}"
