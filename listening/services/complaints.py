"""Writing the complaint lifecycle, and the tenant's response settings and holidays.

open -> answered (a brand reply at ingestion, or by hand when the answer policy allows) ->
resolved; any of those -> dismissed ("not a complaint", which also teaches the classifier through
a correction); answered, resolved or dismissed -> open again. Every change is a ComplaintEvent.

Each transition is a compare-and-set: the row is updated only if its status is still the one the
caller saw, so of two people acting at once one wins and the other gets ComplaintConflict, and
the history never records a transition from a status the complaint no longer had.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import DateTimeField, F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from listening.models import ComplaintEvent, Mention, Tenant, TenantHoliday
from listening.models.complaints import ComplaintAction
from listening.models.mentions import ComplaintStatus
from listening.models.tenancy import AnswerPolicy
from listening.scoping import tenant_scope_of
from listening.selectors.response import is_tenant_member
from listening.services.complaint_transitions import (
    TRANSITIONS,
    AnswerPolicyForbids,
    AssigneeNotMember,
    ComplaintConflict,
    TransitionNotAllowed,
    complaint_transition,
)
from listening.services.complaint_transitions import (
    ComplaintError as ComplaintError,  # the base of the lifecycle errors, for callers
)
from listening.services.corrections import correction_create

S = ComplaintStatus


def allowed_actions(*, mention: Mention) -> list[str]:
    """The transitions open to this complaint now (the policy decides about answering)."""
    if mention.complaint_status == S.NONE:
        return []
    actions = [a for a, (sources, _) in TRANSITIONS.items() if mention.complaint_status in sources]
    if mention.tenant.answer_policy != AnswerPolicy.BRAND_REPLY_OR_MARKED:
        actions = [a for a in actions if a != ComplaintAction.ANSWERED]
    return actions


@transaction.atomic
def complaint_mark_answered(
    *, mention: Mention, actor: User, note: str = "", now: datetime | None = None
) -> ComplaintEvent:
    """A person says the complaint was answered elsewhere (a private message, a call). Only under
    the "brand_reply_or_marked" policy; the mark is then the first response if none came before."""
    if mention.tenant.answer_policy != AnswerPolicy.BRAND_REPLY_OR_MARKED:
        raise AnswerPolicyForbids(
            "This tenant counts only replies from the brand's accounts as answers; a complaint "
            "is marked answered when such a reply is collected."
        )
    at = now or timezone.now()
    event = complaint_transition(
        mention=mention, action=ComplaintAction.ANSWERED, actor=actor, note=note,
        changes={"answered_at": Coalesce(F("answered_at"), Value(at, output_field=DateTimeField()))},
    )
    mention.answered_at = mention.answered_at or at
    return event


@transaction.atomic
def complaint_resolve(*, mention: Mention, actor: User, note: str = "") -> ComplaintEvent:
    return complaint_transition(mention=mention, action=ComplaintAction.RESOLVED, actor=actor, note=note)


@transaction.atomic
def complaint_dismiss(
    *, mention: Mention, actor: User | None, note: str = ""
) -> ComplaintEvent:
    """Not a complaint after all: closes it and records a correction, so the classifier learns
    (unless its label says so already). The correction finds the complaint dismissed already,
    so it moves the status no further."""
    event = complaint_transition(mention=mention, action=ComplaintAction.DISMISSED, actor=actor, note=note)
    if mention.is_complaint:
        correction_create(mention=mention, field="complaint", value="not_complaint", user=actor)
    return event


@transaction.atomic
def complaint_reopen(
    *, mention: Mention, actor: User | None, note: str = ""
) -> ComplaintEvent:
    """Back to open. Reopening a dismissed one says it is a complaint after all: corrected too
    (unless its label says so already)."""
    event = complaint_transition(mention=mention, action=ComplaintAction.REOPENED, actor=actor, note=note)
    if not mention.is_complaint:
        correction_create(mention=mention, field="complaint", value="complaint", user=actor)
    return event


@transaction.atomic
def complaint_assign(
    *, mention: Mention, assignee: User | None, actor: User, note: str = ""
) -> ComplaintEvent:
    """Give the complaint to a member of its tenant (directly or through the agency); None
    unassigns. Compare-and-set on the previous assignee, like the status."""
    if mention.complaint_status == S.NONE:
        raise TransitionNotAllowed("This mention is not a complaint.")
    if assignee is not None and not is_tenant_member(tenant=mention.tenant, user_id=assignee.pk):
        raise AssigneeNotMember("Not a member of this tenant.")
    seen = mention.assigned_to_id
    with tenant_scope_of(mention.tenant):
        changed = Mention.objects.filter(pk=mention.pk, assigned_to_id=seen).update(assigned_to=assignee)
        if changed != 1:
            raise ComplaintConflict("Someone else reassigned this complaint meanwhile.")
        mention.assigned_to = assignee
        return ComplaintEvent.objects.create(
            mention=mention, action=ComplaintAction.ASSIGNED,
            from_status=mention.complaint_status, to_status=mention.complaint_status,
            actor=actor, assignee=assignee, note=note,
        )


# --- response settings and holidays --------------------------------------------------------------

def tenant_response_settings_update(
    *, tenant: Tenant, answer_policy: str | None = None, timezone: str | None = None,
    response_target_minutes: int | None = None, business_day_start: time | None = None,
    business_day_end: time | None = None, business_weekdays: Iterable[int] | None = None,
    overdue_counts: str | None = None,
) -> Tenant:
    """Change what counts as an answer and when the response clock runs (validated by the caller:
    the API's input serializer)."""
    changes: dict[str, Any] = {
        "answer_policy": answer_policy, "timezone": timezone,
        "response_target_minutes": response_target_minutes,
        "business_day_start": business_day_start, "business_day_end": business_day_end,
        "business_weekdays": sorted(set(business_weekdays)) if business_weekdays is not None else None,
        "overdue_counts": overdue_counts,
    }
    changes = {k: v for k, v in changes.items() if v is not None}
    for name, value in changes.items():
        setattr(tenant, name, value)
    if changes:
        tenant.save(update_fields=list(changes))
    return tenant


def _refresh_holiday_dates(tenant: Tenant) -> None:
    """The tenant's holiday dates, denormalised onto it; in its scope."""
    dates = [
        d.isoformat()
        for d in TenantHoliday.objects.order_by("date")
        .values_list("date", flat=True)
    ]
    Tenant.objects.filter(pk=tenant.pk).update(holiday_dates=dates)
    tenant.holiday_dates = dates


def _lock(tenant: Tenant) -> None:
    # Holiday writes for one tenant take turns, so the denormalised list is never stale.
    Tenant.objects.select_for_update().filter(pk=tenant.pk).values_list("pk").first()


@transaction.atomic
def holiday_create(*, tenant: Tenant, date: date, name: str = "") -> TenantHoliday:
    with tenant_scope_of(tenant):
        _lock(tenant)
        holiday = TenantHoliday.objects.create(date=date, name=name)
        _refresh_holiday_dates(tenant)
        return holiday


@transaction.atomic
def holiday_update(
    *, holiday: TenantHoliday, date: date | None = None, name: str | None = None
) -> TenantHoliday:
    with tenant_scope_of(holiday.tenant):
        _lock(holiday.tenant)
        fields: list[str] = []
        if date is not None:
            holiday.date, fields = date, [*fields, "date"]
        if name is not None:
            holiday.name, fields = name, [*fields, "name"]
        if fields:
            holiday.save(update_fields=fields)
        _refresh_holiday_dates(holiday.tenant)
        return holiday


@transaction.atomic
def holiday_delete(*, holiday: TenantHoliday) -> None:
    tenant = holiday.tenant
    with tenant_scope_of(tenant):
        _lock(tenant)
        holiday.delete()
        _refresh_holiday_dates(tenant)
