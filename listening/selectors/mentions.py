"""Reading a tenant's mentions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from listening.models import Mention
from listening.scoping import current_tenant
from listening.selectors.overdue import unanswered_complaints


@dataclass(frozen=True, kw_only=True)
class MentionFilters:
    """Which mentions a list shows: the one definition the API's filter parameters and the
    dashboard's filter form both parse into. None means "don't filter on this", except ``spam``,
    whose default hides spam: what a brand team expects of a list of what was said about it."""

    brand: int | None = None
    source: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    complaint: bool | None = None
    # False (the default): no spam; True: only spam; None: both.
    spam: bool | None = False
    lang: str | None = None
    sentiment: str | None = None
    # True: only complaints still unanswered past the tenant's response target; False: all others.
    unanswered: bool | None = None
    # The text or the author's handle contains it, case-insensitively.
    q: str | None = None
    # The complaint's lifecycle status (open, answered, resolved, dismissed).
    status: str | None = None
    # Assigned to this user id; ``unassigned`` instead: assigned to nobody.
    assigned_to: int | None = None
    unassigned: bool = False
    platform: str | None = None
    # True: has had a first response (a brand reply or a mark); False: has not.
    answered: bool | None = None
    # True: waits for a reply of some kind (complaint, question, request); False: needs none.
    needs_reply: bool | None = None
    # Waits for this kind of reply: complaint, question or request.
    reply_kind: str | None = None
    # False (the default): only what is still on the platform; True: only what its author
    # deleted there; None: both.
    deleted: bool | None = False


# The orders a list may take: newest first (the default), oldest first, and "waiting longest":
# those still waiting for a first response, the longest-waiting first, then the answered ones.
MENTION_ORDERS = ("newest", "oldest", "waiting")


def mention_list(
    *, filters: MentionFilters | None = None, now: datetime | None = None, order: str = "newest"
) -> QuerySet[Mention]:
    """The current tenant's mentions that ``filters`` select (by default every one but spam),
    in ``order`` (one of MENTION_ORDERS), with their source and brand: the API's list and the
    dashboard's alike. Uses the scoped manager: raises TenantScopeMissing outside
    ``tenant_scope``."""
    qs = _narrowed(mention_feed(), filters=filters or MentionFilters(), now=now)
    if order == "oldest":
        return qs.order_by("published_at", "id")
    if order == "waiting":
        waiting = Case(When(answered_at__isnull=True, then=Value(0)), default=Value(1),
                       output_field=IntegerField())
        return qs.order_by(waiting, "published_at", "id")
    if order != "newest":
        raise ValueError(f"unknown order {order!r}")
    return qs


def mention_feed() -> QuerySet[Mention]:
    """Every mention of the current tenant, spam included, with its source and brand, newest
    first (scoped manager): the tenant page's newest, and a mention fetched by id."""
    return Mention.objects.select_related("source", "brand").order_by("-published_at", "-id")


def mention_languages() -> list[str]:
    """The languages the current tenant's mentions are in, sorted (scoped manager)."""
    return sorted(Mention.objects.exclude(lang="").values_list("lang", flat=True).distinct())


def mention_platforms() -> list[str]:
    """The platforms the current tenant's mentions come from, sorted (scoped manager)."""
    return sorted(
        Mention.objects.exclude(platform="").values_list("platform", flat=True).distinct()
    )


def mention_get(*, mention_id: int) -> Mention | None:
    """One mention of the current tenant with its source, brand and assignee (scoped manager):
    another tenant's id is simply not found."""
    return Mention.objects.select_related("source", "brand", "assigned_to").filter(pk=mention_id).first()


def mention_thread(*, mention: Mention, limit: int = 100) -> list[Mention]:
    """The other mentions of ``mention``'s conversation on its source, oldest first: its thread,
    its parent and its replies."""
    thread_id = mention.thread_external_id or mention.external_id
    return list(
        Mention.objects.filter(source=mention.source_id)
        .filter(
            Q(thread_external_id=thread_id)
            | Q(external_id=thread_id)
            | Q(parent_external_id=mention.external_id)
            | Q(external_id=mention.parent_external_id or None)
        )
        .exclude(pk=mention.pk)
        .select_related("source", "brand")
        .order_by("published_at", "id")[:limit]
    )


# The filters that ask for one column to equal the value given (None or "": not filtered on).
_EQUALS = {
    "brand": "brand_id", "source": "source_id", "complaint": "is_complaint", "spam": "is_spam",
    "lang": "lang", "sentiment": "sentiment", "status": "complaint_status", "platform": "platform",
    "reply_kind": "reply_kind",
}


def _narrowed(qs: QuerySet[Mention], *, filters: MentionFilters, now: datetime | None) -> QuerySet[Mention]:
    f = filters
    for name, column in _EQUALS.items():
        value = getattr(f, name)
        if value is not None and value != "":
            qs = qs.filter(**{column: value})
    if f.since is not None:
        qs = qs.filter(published_at__gte=f.since)
    if f.until is not None:
        qs = qs.filter(published_at__lt=f.until)
    if f.q:
        qs = qs.filter(Q(text__icontains=f.q) | Q(author_handle__icontains=f.q))
    if f.unassigned:
        qs = qs.filter(assigned_to__isnull=True)
    elif f.assigned_to is not None:
        qs = qs.filter(assigned_to_id=f.assigned_to)
    if f.answered is not None:
        qs = qs.filter(answered_at__isnull=not f.answered)
    if f.needs_reply is not None:
        qs = qs.exclude(reply_kind="") if f.needs_reply else qs.filter(reply_kind="")
    if f.deleted is not None:
        qs = qs.filter(deleted_at__isnull=not f.deleted)
    if f.unanswered is not None:
        # One definition of "overdue", the flag's, so the list and the count always agree.
        overdue = (
            unanswered_complaints(tenant=current_tenant(), now=now or timezone.now())
            .order_by()
            .values("id")
        )
        qs = qs.filter(id__in=overdue) if f.unanswered else qs.exclude(id__in=overdue)
    return qs
