"""Working the complaint queue: a person's saved views of it, and the bulk actions taken on it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from listening.scoping import TenantOwned


class SavedView(TenantOwned):
    """One person's named set of filters and sort order for one tenant's mention list. Stored as
    the list's own query parameters, so a view opens exactly the page that was saved."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=80)
    # The mention list's query parameters ({"status": "open", "sort": "waiting"}), validated
    # through the same filter form when the view is opened.
    query = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta(TenantOwned.Meta):
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "user", "name"], name="saved_view_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class BulkActionKind(models.TextChoices):
    ASSIGN = "assign", _("Assign")
    RESOLVE = "resolve", _("Resolve")
    DISMISS = "dismiss", _("Dismiss")
    NOT_COMPLAINT = "not_complaint", _("Mark not a complaint")


class BulkAction(TenantOwned):
    """One action over many complaints, with what each changed row was before, so that it can be
    undone exactly, once: ``previous`` maps a mention id (as a string: JSON keys) to
    ``[complaint_status, assigned_to_id, complaint_label]`` as they were."""

    action = models.CharField(max_length=16, choices=BulkActionKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # For an assignment: who the complaints were given to (null: unassigned).
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    # How many mentions were asked for, and how many of them changed (the rest were already so,
    # or not complaints, or not found).
    requested = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    previous = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # How many rows the undo restored (the others had been changed again since).
    restored = models.PositiveIntegerField(default=0)

    class Meta(TenantOwned.Meta):
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["tenant", "-created_at"], name="bulk_action_tenant_time_idx")]

    def __str__(self) -> str:
        return f"{self.action} of {self.changed} complaint(s)"
