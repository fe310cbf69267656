"""Agencies, tenants (client workspaces) and who may see them."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    ANALYST = "analyst", "Analyst"
    VIEWER = "viewer", "Viewer"


# Higher ranks may do everything lower ranks may.
ROLE_RANK = {Role.VIEWER: 0, Role.ANALYST: 1, Role.ADMIN: 2, Role.OWNER: 3}


class Agency(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AnswerPolicy(models.TextChoices):
    BRAND_REPLY = "brand_reply", "Only a reply from one of the brand's accounts"
    BRAND_REPLY_OR_MARKED = "brand_reply_or_marked", (
        "A brand reply, or a team member marking it answered (e.g. by private message)"
    )


class OverdueCounts(models.TextChoices):
    """What a tenant's overdue flag (and its response figures) counts as waiting for a reply."""

    COMPLAINTS = "complaints", _("Complaints only")
    COMPLAINTS_AND_QUESTIONS = "complaints_questions", _("Complaints and questions")
    ALL = "all", _("Everything that needs a reply: complaints, questions and requests")


# The reply kinds (Mention.reply_kind) each choice counts.
OVERDUE_REPLY_KINDS: dict[str, tuple[str, ...]] = {
    OverdueCounts.COMPLAINTS: ("complaint",),
    OverdueCounts.COMPLAINTS_AND_QUESTIONS: ("complaint", "question"),
    OverdueCounts.ALL: ("complaint", "question", "request"),
}


def default_business_weekdays() -> list[int]:
    return [0, 1, 2, 3, 4]  # Monday to Friday, as date.weekday() numbers them


class Tenant(models.Model):
    """One client workspace. Everything a brand team watches belongs to exactly one tenant."""

    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="tenants"
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    timezone = models.CharField(max_length=64, default="Asia/Jakarta")
    # A complaint with no brand reply after this long is flagged.
    response_target_minutes = models.PositiveIntegerField(default=120)
    # What the overdue flag counts: complaints, or also questions (and requests) put to the brand.
    overdue_counts = models.CharField(
        max_length=24, choices=OverdueCounts.choices, default=OverdueCounts.COMPLAINTS
    )
    # What counts as answering a complaint.
    answer_policy = models.CharField(
        max_length=24, choices=AnswerPolicy.choices, default=AnswerPolicy.BRAND_REPLY
    )
    # The response target runs only in business hours, in ``timezone``: on the working weekdays
    # (0 = Monday), from start to end (an end at or before the start runs past midnight), and not
    # on the tenant's holidays.
    business_day_start = models.TimeField(default=time(9, 0))
    business_day_end = models.TimeField(default=time(18, 0))
    business_weekdays = models.JSONField(default=default_business_weekdays, blank=True)
    # The dates of the tenant's TenantHoliday rows, kept in step by the holiday services, so that
    # the overdue flag (computed per tenant on the portfolio) costs no extra query.
    holiday_dates = models.JSONField(default=list, blank=True, editable=False)
    # A backlog the team will not work: complaints published before this day (in ``timezone``)
    # are never overdue and stay out of the response figures. Null: every complaint counts.
    complaints_counted_from = models.DateField(null=True, blank=True)
    # Last 7 days against the weekly mean of the 4 weeks before: flagged when the fall is at
    # least this share (0.4 = 40 % fewer mentions than usual).
    volume_drop_threshold = models.FloatField(default=0.4)
    # Alerts: how readily the volume detector fires (its presets), and how long a resolved
    # alert's key stays quiet before the same condition may open it again.
    alert_sensitivity = models.CharField(
        max_length=8,
        choices=[("low", "Low"), ("normal", "Normal"), ("high", "High")],
        default="normal",
    )
    alert_cooldown_minutes = models.PositiveIntegerField(default=360)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A role on one tenant."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tenant_memberships"
    )
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "user"], name="membership_unique_per_tenant")
        ]
        indexes = [models.Index(fields=["user", "tenant"], name="membership_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} is {self.role} of {self.tenant}"


class AgencyMembership(models.Model):
    """A role on every tenant of one agency, present and future."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agency_memberships"
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "user"], name="agency_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} is {self.role} of agency {self.agency}"
