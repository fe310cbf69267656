"""Reads for working the complaint queue: what a bulk action would change, the bulk actions taken,
and a person's saved views."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet

from listening.models import BulkAction, BulkActionKind, Mention, SavedView
from listening.models.mentions import ComplaintStatus
from listening.selectors.mentions import MentionFilters, mention_list

S = ComplaintStatus

# The complaints each kind of bulk action changes; the others in a selection are left as they are.
_CHANGES: dict[str, Q] = {
    BulkActionKind.RESOLVE: Q(complaint_status__in=[S.OPEN, S.ANSWERED]),
    BulkActionKind.DISMISS: Q(complaint_status__in=[S.OPEN, S.ANSWERED, S.RESOLVED]),
    BulkActionKind.NOT_COMPLAINT: Q(is_complaint=True),
}


def bulk_changes(*, action: str, assignee_id: int | None = None) -> Q:
    """The condition a mention meets when ``action`` (to ``assignee_id``, for an assignment)
    would change it: a complaint already resolved is not resolved again."""
    if action == BulkActionKind.ASSIGN:
        others = Q(assigned_to__isnull=False) if assignee_id is None else (
            Q(assigned_to__isnull=True) | ~Q(assigned_to_id=assignee_id)
        )
        return ~Q(complaint_status=S.NONE) & others
    return _CHANGES[action]


def bulk_selection(
    *, ids: Collection[int] | None = None, filters: MentionFilters | None = None
) -> QuerySet[Mention]:
    """The current tenant's mentions a bulk action is asked to cover: the ``ids`` picked (another
    tenant's ids are simply not found), or else every mention ``filters`` select (scoped manager)."""
    if ids is not None:
        return Mention.objects.filter(id__in=list(ids))
    return mention_list(filters=filters).order_by()


def bulk_action_list() -> QuerySet[BulkAction]:
    """The current tenant's bulk actions, newest first, with who took and who undid them."""
    return BulkAction.objects.select_related("actor", "assignee", "undone_by").defer("previous")


def bulk_action_get(*, bulk_action_id: int) -> BulkAction | None:
    """One of the current tenant's bulk actions: another tenant's id is simply not found."""
    return bulk_action_list().filter(pk=bulk_action_id).first()


def saved_view_list(*, user: AbstractBaseUser) -> QuerySet[SavedView]:
    """``user``'s saved views on the current tenant, by name (scoped manager)."""
    return SavedView.objects.filter(user_id=user.pk).order_by("name", "id")


def saved_view_get(*, user: AbstractBaseUser, saved_view_id: int) -> SavedView | None:
    """One of ``user``'s saved views on the current tenant: anyone else's is not found."""
    return saved_view_list(user=user).filter(pk=saved_view_id).first()


# The mention list's query parameters a saved view may hold (the dashboard's filter form's names).
SAVED_VIEW_KEYS = ("q", "complaint", "spam", "lang", "brand", "source", "platform", "sentiment",
                   "status", "assigned_to", "answered", "since", "until", "sort")


def bulk_action_undoable(*, user: AbstractBaseUser, since: datetime) -> BulkAction | None:
    """``user``'s latest bulk action on the current tenant since ``since`` that changed something
    and is not undone: the one the mention list offers to undo."""
    return (bulk_action_list()
            .filter(actor_id=user.pk, undone_at__isnull=True, created_at__gte=since, changed__gt=0)
            .order_by("-created_at", "-id").first())
