"""Reads for responding to complaints: the complaint queue and its
history, who may be assigned, and first-response metrics."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, Literal, TypedDict

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Min, OuterRef, Q, QuerySet, Subquery

from listening.analysis.business_hours import BusinessCalendar, business_seconds_between
from listening.models import Brand, ComplaintEvent, Mention, Source, Tenant
from listening.models.mentions import ComplaintStatus
from listening.scoping import scope_of
from listening.selectors.backlog import complaints_counted_since
from listening.selectors.overdue import counted_reply_kinds, tenant_calendar, unanswered_complaints

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

GroupBy = Literal["brand", "source"] | None
# "overdue": what the tenant's overdue flag counts (its complaints, and the questions and
# requests its overdue_counts setting adds), so the figures and the flag speak of the same mentions.
Scope = Literal["overdue", "complaints", "all"]


class FirstReply(TypedDict):
    """What ``first_responses`` annotates each mention with."""

    first_reply_at: datetime | None


# --- the complaint queue -------------------------------------------------------------------------


def complaint_list(
    *, status: str | None = None, assigned_to: int | None = None, unassigned: bool = False,
    overdue: bool | None = None, tenant: Tenant | None = None, now: datetime | None = None,
) -> QuerySet[Mention]:
    """The current tenant's complaints (scoped manager), newest first. Dismissed ones stay listed
    though the classifier no longer calls them complaints."""
    qs = (
        Mention.objects.exclude(complaint_status=ComplaintStatus.NONE)
        .filter(Q(is_complaint=True) | Q(complaint_status=ComplaintStatus.DISMISSED))
        .select_related("brand", "source", "assigned_to")
        .order_by("-published_at", "-id")
    )
    if status:
        qs = qs.filter(complaint_status=status)
    if unassigned:
        qs = qs.filter(assigned_to__isnull=True)
    elif assigned_to is not None:
        qs = qs.filter(assigned_to_id=assigned_to)
    if overdue is not None:
        if tenant is None:
            raise ValueError("filtering on overdue needs the tenant")
        late = unanswered_complaints(tenant=tenant, now=now).order_by().values("id")
        qs = qs.filter(id__in=late) if overdue else qs.exclude(id__in=late)
    return qs


def complaint_events(*, mention: Mention) -> QuerySet[ComplaintEvent]:
    """``mention``'s lifecycle steps, oldest first (scoped manager: in its tenant's scope)."""
    return (
        ComplaintEvent.objects.filter(mention=mention)
        .select_related("actor", "assignee")
        .order_by("at", "id")
    )


def tenant_members(*, tenant: Tenant) -> QuerySet[User]:
    """Everyone with a role on the tenant, directly or through its agency."""
    member = Q(tenant_memberships__tenant=tenant)
    if tenant.agency_id is not None:
        member |= Q(agency_memberships__agency_id=tenant.agency_id)
    return get_user_model().objects.filter(member, is_active=True).distinct().order_by("username")


def is_tenant_member(*, tenant: Tenant, user_id: int) -> bool:
    return tenant_members(tenant=tenant).filter(pk=user_id).exists()


# --- first-response metrics ----------------------------------------------------------------------


@dataclass(frozen=True)
class ResponseMetrics:
    key: int | None  # the brand or source id when grouped; None overall (or "no brand")
    label: str
    count: int
    answered: int
    response_rate: float | None
    median_seconds: float | None
    p90_seconds: float | None
    median_business_seconds: float | None
    p90_business_seconds: float | None
    # Answered within the target in business time, as a share of ``count`` (not of ``answered``):
    # an unanswered conversation is not a response within target.
    within_target: int
    within_target_share: float | None


@dataclass(frozen=True)
class ResponseReport:
    since: datetime
    until: datetime
    scope: Scope
    group_by: GroupBy
    target_minutes: int
    overall: ResponseMetrics
    groups: list[ResponseMetrics]
    # The reply kinds counted (complaint, question, request).
    reply_kinds: tuple[str, ...] = ("complaint",)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default): p50 is the median."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True, slots=True)
class _Item:
    brand_id: int | None
    source_id: int
    published_at: datetime
    first_response_at: datetime | None


def first_responses(
    *, tenant: Tenant, since: datetime, until: datetime, scope: Scope = "overdue",
    source: Source | None = None,
) -> QuerySet[WithAnnotations[Mention, FirstReply]]:
    """The mentions the metrics cover, each annotated with ``first_reply_at`` (the earliest brand
    reply to it). ``answered_at`` also carries a manual mark where the answer policy allows one.
    Inside ``tenant``'s scope."""
    scope_of(tenant)
    first_reply = (
        Mention.objects.filter(
            tenant_id=OuterRef("tenant_id"), parent_external_id=OuterRef("external_id"),
            is_brand_reply=True,
        )
        .order_by()
        .values("parent_external_id")
        .annotate(first=Min("published_at"))
        .values("first")
    )
    qs = Mention.objects.filter(published_at__gte=since, published_at__lt=until, is_brand_reply=False)
    if scope in ("complaints", "overdue"):
        waiting = Q(is_complaint=True, is_spam=False) & ~Q(complaint_status=ComplaintStatus.DISMISSED)
        kinds = counted_reply_kinds(tenant.overdue_counts) if scope == "overdue" else []
        if kinds:
            waiting |= Q(reply_kind__in=kinds, is_spam=False)
        qs = qs.filter(waiting)
        counted_since = complaints_counted_since(tenant)
        if counted_since is not None:  # the tenant's backlog stays out of the figures
            qs = qs.filter(published_at__gte=counted_since)
    elif scope == "all":
        # Every customer post that starts a conversation: what support datasets measure.
        qs = qs.filter(parent_external_id="")
    else:
        raise ValueError(f"unknown scope {scope!r}")
    if source is not None:
        qs = qs.filter(source=source)
    return qs.annotate(first_reply_at=Subquery(first_reply))


def _first_of(*values: datetime | None) -> datetime | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None


def _measure(
    items: list[_Item], *, key: int | None, label: str, calendar: BusinessCalendar, target_seconds: float
) -> ResponseMetrics:
    plain: list[float] = []
    business: list[float] = []
    for item in items:
        if item.first_response_at is None:
            continue
        plain.append(max(0.0, (item.first_response_at - item.published_at).total_seconds()))
        business.append(business_seconds_between(item.published_at, item.first_response_at, calendar))
    count = len(items)
    within = sum(1 for b in business if b <= target_seconds)
    return ResponseMetrics(
        key=key, label=label, count=count, answered=len(plain),
        response_rate=len(plain) / count if count else None,
        median_seconds=percentile(plain, 0.5), p90_seconds=percentile(plain, 0.9),
        median_business_seconds=percentile(business, 0.5),
        p90_business_seconds=percentile(business, 0.9),
        within_target=within, within_target_share=within / count if count else None,
    )


def response_metrics(
    *, tenant: Tenant, since: datetime, until: datetime, group_by: GroupBy = None,
    scope: Scope = "overdue", source: Source | None = None,
) -> ResponseReport:
    """Count, response rate, median and p90 first-response time (plain and in business hours)
    and the share answered within the target, for mentions published in ``[since, until)``.

    ``scope="overdue"`` (the default): what the tenant's overdue flag counts, its complaints and
    the questions and requests its ``overdue_counts`` setting adds; as for complaints, their
    first response is the earliest of a brand reply and a mark.
    ``scope="complaints"``: the tenant's complaints (not spam, not dismissed); their first
    response is the brand's first reply or, under the "marked" answer policy, a person's mark.
    ``scope="all"``: every customer mention that starts a conversation; first response is the
    brand's first direct reply. One query for the rows, one more for group labels. Inside
    ``tenant``'s scope.
    """
    if group_by not in (None, "brand", "source"):
        raise ValueError(f"unknown group_by {group_by!r}")
    rows = first_responses(tenant=tenant, since=since, until=until, scope=scope, source=source)
    items = [
        _Item(brand_id, source_id, published_at,
              _first_of(first_reply_at, answered_at) if scope != "all" else first_reply_at)
        for brand_id, source_id, published_at, answered_at, first_reply_at in rows.values_list(
            "brand_id", "source_id", "published_at", "answered_at", "first_reply_at"
        )
    ]
    calendar = tenant_calendar(tenant)
    target = tenant.response_target_minutes * 60
    measure = partial(_measure, calendar=calendar, target_seconds=target)
    groups: list[ResponseMetrics] = []
    if group_by is not None:
        attr = "brand_id" if group_by == "brand" else "source_id"
        by_key: dict[int | None, list[_Item]] = defaultdict(list)
        for item in items:
            by_key[getattr(item, attr)].append(item)
        model: Any = Brand if group_by == "brand" else Source
        names = dict(
            model.objects.filter(pk__in=[k for k in by_key if k is not None])
            .values_list("pk", "name")
        ) if by_key else {}
        groups = sorted(
            (measure(group, key=key, label=names.get(key, "No brand") if key else "No brand")
             for key, group in by_key.items()),
            key=lambda m: (-m.count, m.label.lower()),
        )
    return ResponseReport(
        since=since, until=until, scope=scope, group_by=group_by,
        target_minutes=tenant.response_target_minutes,
        overall=measure(items, key=None, label="All"), groups=groups,
        reply_kinds=(("complaint", *counted_reply_kinds(tenant.overdue_counts)) if scope == "overdue"
                     else ("complaint",) if scope == "complaints" else ()),
    )
