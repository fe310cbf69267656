"""Which complaints are overdue: the response target counted in the tenant's business hours.

Below both the flags and the complaint queue (and the alert sweep), which all count the same
complaints as late.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from listening.analysis.business_hours import BusinessCalendar, business_cutoff
from listening.models import Mention, Tenant
from listening.models.mentions import ComplaintStatus
from listening.models.tenancy import OVERDUE_REPLY_KINDS
from listening.scoping import scope_of
from listening.selectors.backlog import complaints_counted_since

# A complaint still waiting for its first response ('' too: a complaint written without a
# status, before the lifecycle, is still open).
AWAITING_RESPONSE = Q(
    is_complaint=True,
    is_spam=False,
    is_brand_reply=False,
    answered_at__isnull=True,
    complaint_status__in=[ComplaintStatus.OPEN, ComplaintStatus.NONE],
    # A complaint its author deleted waits for nothing.
    deleted_at__isnull=True,
)


def counted_reply_kinds(overdue_counts: str) -> list[str]:
    """The kinds besides complaints (questions, requests) that a tenant's ``overdue_counts``
    setting counts as waiting for a reply."""
    return [k for k in OVERDUE_REPLY_KINDS.get(overdue_counts, ()) if k != "complaint"]


def awaiting_reply(*, overdue_counts: str) -> Q:
    """What a tenant's overdue flag counts as waiting for a first response: its complaints
    (AWAITING_RESPONSE) and, as its ``overdue_counts`` setting chooses, the questions and requests
    put to the brand that have had no reply. One definition, for the flags, the complaint queue,
    the mention list and the alert sweep."""
    kinds = counted_reply_kinds(overdue_counts)
    if not kinds:
        return AWAITING_RESPONSE
    return AWAITING_RESPONSE | Q(
        reply_kind__in=kinds, is_spam=False, is_brand_reply=False, answered_at__isnull=True
    )


def tenant_calendar(tenant: Tenant) -> BusinessCalendar:
    """The tenant's business hours and holidays, without a query (holidays are denormalised)."""
    return BusinessCalendar.build(
        tz=tenant.timezone, start=tenant.business_day_start, end=tenant.business_day_end,
        weekdays=tenant.business_weekdays or (), holidays=tenant.holiday_dates or (),
    )


def overdue_cutoff(*, tenant: Tenant, now: datetime) -> datetime | None:
    """The publication time before which a waiting complaint is overdue: the response target
    counted back from ``now`` in the tenant's business hours. None where no time is working time."""
    return business_cutoff(now, tenant.response_target_minutes * 60, tenant_calendar(tenant))


def unanswered_complaints(*, tenant: Tenant, now: datetime | None = None) -> QuerySet[Mention]:
    """Open complaints with no response (and the questions and requests the tenant's overdue
    setting counts: ``awaiting_reply``) whose age in the tenant's business hours (working
    weekdays, start to end in its time zone, holidays off) exceeds its response target, oldest
    first. The target is turned into a cutoff instant once, so this stays one filter. Inside
    ``tenant``'s scope."""
    now = now or timezone.now()
    overdue_before = overdue_cutoff(tenant=scope_of(tenant), now=now)
    complaints = Mention.objects.filter(awaiting_reply(overdue_counts=tenant.overdue_counts))
    counted_since = complaints_counted_since(tenant)
    if counted_since is not None:  # the tenant's backlog is never overdue
        complaints = complaints.filter(published_at__gte=counted_since)
    # None: a calendar without any working time, in which nothing is ever late.
    complaints = (complaints.none() if overdue_before is None
                  else complaints.filter(published_at__lte=overdue_before))
    return complaints.select_related("brand", "source").order_by("published_at")
