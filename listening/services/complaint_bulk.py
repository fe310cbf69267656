"""Acting on many complaints at once, and undoing it.

A bulk action covers a selection or a whole filter result. It changes only the complaints it
would change (a resolved one is not resolved again), in batches of set-based UPDATEs with one
ComplaintEvent each (bulk-inserted), and keeps what every changed row was before (its status,
assignee and complaint label) on its BulkAction row, so that an undo puts back exactly that, once,
and leaves alone any row someone changed again meanwhile.

"Dismiss" and "mark not a complaint" also teach the classifier: each row they relabel records a
correction through ``correction_create``, as a relabel on one mention does, so the tenant's
learner sees bulk corrections like single ones. That is one write per row, so those two take
fewer rows at a time (RELABEL_LIMIT) than the set-based ones (BULK_LIMIT).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from listening.models import BulkAction, BulkActionKind, ComplaintEvent, Mention, Tenant
from listening.models.complaints import ComplaintAction
from listening.models.mentions import ComplaintStatus
from listening.scoping import TenantScopeMissing, current_tenant, scope_of
from listening.selectors.complaint_queue import bulk_changes
from listening.selectors.response import is_tenant_member
from listening.services.corrections import correction_create

S = ComplaintStatus
K = BulkActionKind

# At most this many complaints change in one bulk action; a larger result is refused with the
# advice to narrow it, so that one click never rewrites a tenant's whole history.
BULK_LIMIT = 5000
# Dismissing and relabelling record one correction per row: fewer at a time.
RELABEL_LIMIT = 1000
BATCH_SIZE = 500

# The status each action leads to; an assignment and a relabel move none by themselves.
_TARGET: dict[str, str] = {K.RESOLVE: S.RESOLVED, K.DISMISS: S.DISMISSED}
# The lifecycle action that records a move to a status, for the history an undo writes.
_ACTION_INTO: dict[str, str] = {S.OPEN: ComplaintAction.REOPENED, S.ANSWERED: ComplaintAction.ANSWERED,
                S.RESOLVED: ComplaintAction.RESOLVED, S.DISMISSED: ComplaintAction.DISMISSED}
_RELABELS = (K.DISMISS, K.NOT_COMPLAINT)


class BulkError(Exception):
    """A bulk action or undo refused; the message says why, for people."""


class BulkTooLarge(BulkError):
    pass


class BulkAssigneeNotMember(BulkError):
    pass


class BulkAlreadyUndone(BulkError):
    pass


def bulk_limit(action: str) -> int:
    return RELABEL_LIMIT if action in _RELABELS else BULK_LIMIT


@dataclass(frozen=True, slots=True)
class BulkPreview:
    """What a bulk action would do now: how many of the mentions asked for it would change."""

    action: str
    requested: int
    will_change: int
    limit: int

    @property
    def too_large(self) -> bool:
        return self.will_change > self.limit


def complaints_bulk_preview(
    *, action: str, selection: QuerySet[Mention], requested: int | None = None,
    assignee: User | None = None,
) -> BulkPreview:
    """Count, change nothing: the confirmation step. ``requested``: how many were asked for, when
    that is not the selection's size (ids that were not found count as asked for)."""
    will_change = selection.filter(bulk_changes(action=action, assignee_id=_pk(assignee))).count()
    return BulkPreview(
        action=action, requested=selection.count() if requested is None else requested,
        will_change=will_change, limit=bulk_limit(action),
    )


def _pk(user: User | None) -> int | None:
    return None if user is None else user.pk


def _batches(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH_SIZE):
        yield list(ids[start:start + BATCH_SIZE])


def _label(is_complaint: bool) -> str:
    return "complaint" if is_complaint else "not_complaint"


@transaction.atomic
def complaints_bulk_apply(
    *, tenant: Tenant, actor: User, action: str, selection: QuerySet[Mention],
    requested: int | None = None, assignee: User | None = None, note: str = "",
) -> BulkAction:
    """Apply ``action`` to every mention of ``selection`` (the tenant's) it would change, and
    record it. Raises BulkTooLarge past the action's limit, BulkAssigneeNotMember for an assignee
    outside the tenant. Runs in ``tenant``'s scope."""
    scope_of(tenant)
    if action not in K.values:
        raise ValueError(f"unknown bulk action {action!r}")
    if action == K.ASSIGN and assignee is not None and not is_tenant_member(
            tenant=tenant, user_id=assignee.pk):
        raise BulkAssigneeNotMember(_("Not a member of this tenant."))
    condition = bulk_changes(action=action, assignee_id=_pk(assignee))
    limit = bulk_limit(action)
    ids = list(selection.filter(condition).order_by("id").values_list("id", flat=True)[:limit + 1])
    if len(ids) > limit:
        raise BulkTooLarge(ngettext(
            "At most %(limit)d complaint can change in one action: narrow the filters.",
            "At most %(limit)d complaints can change in one action: narrow the filters.", limit,
        ) % {"limit": limit})
    bulk = BulkAction.objects.create(
        action=action, actor=actor, assignee=assignee, note=note,
        requested=selection.count() if requested is None else requested,
    )
    # Each complaint's history names the bulk action that changed it.
    event_note = _("Bulk action #%(id)d") % {"id": bulk.pk} + (f": {note}" if note else "")
    previous: dict[str, list[Any]] = {}
    for batch in _batches(ids):
        # Locked, and checked again: a row someone changed since it was counted is left alone.
        rows = list(
            Mention.objects.select_for_update()
            .filter(condition, id__in=batch).order_by("id")
            .values_list("id", "complaint_status", "assigned_to_id", "is_complaint")
        )
        _apply_batch(tenant=tenant, actor=actor, action=action, rows=rows, assignee=assignee,
                     note=event_note)
        previous.update({str(i): [status, assigned, _label(is_c)] for i, status, assigned, is_c in rows})
    bulk.changed, bulk.previous = len(previous), previous
    bulk.save(update_fields=["changed", "previous"])
    return bulk


def _apply_batch(*, tenant: Tenant, actor: User, action: str,
                 rows: Sequence[tuple[int, str, int | None, bool]], assignee: User | None,
                 note: str) -> None:
    if not rows:
        return
    events: list[ComplaintEvent] = []
    if action == K.ASSIGN:
        Mention.objects.filter(id__in=[r[0] for r in rows]).update(
            assigned_to=assignee)
        events = [ComplaintEvent(tenant_id=tenant.pk, mention_id=i, action=ComplaintAction.ASSIGNED,
                                 from_status=status, to_status=status, actor=actor,
                                 assignee=assignee, note=note)
                  for i, status, _assigned, _c in rows]
    elif action in _TARGET:
        target = _TARGET[action]
        by_status: dict[str, list[int]] = defaultdict(list)
        for i, status, _assigned, _c in rows:
            by_status[status].append(i)
        for status, ids in by_status.items():
            Mention.objects.filter(id__in=ids, complaint_status=status).update(
                complaint_status=target)
        events = [ComplaintEvent(tenant_id=tenant.pk, mention_id=i, action=_ACTION_INTO[target],
                                 from_status=status, to_status=target, actor=actor, note=note)
                  for i, status, _assigned, _c in rows]
    ComplaintEvent.objects.bulk_create(events)
    if action in _RELABELS:
        # As complaint_dismiss and a relabel on one mention: a correction per complaint label,
        # which (for "not a complaint") also dismisses an open or answered one.
        relabel = [i for i, _status, _assigned, is_complaint in rows if is_complaint]
        for mention in Mention.objects.filter(id__in=relabel).order_by("id"):
            correction_create(mention=mention, field="complaint", value="not_complaint", user=actor)


@dataclass(frozen=True, slots=True)
class UndoResult:
    bulk_action: BulkAction
    restored: int
    skipped: int


@transaction.atomic
def bulk_action_undo(*, bulk_action: BulkAction, actor: User) -> UndoResult:
    """Put back what ``bulk_action`` changed, once. A row changed again since (its status,
    assignee or label is no longer what the action left) is left as it is and counted as skipped.
    Raises BulkAlreadyUndone when it was undone already (by anyone). Runs in the bulk action's
    tenant's scope."""
    if bulk_action.tenant_id != current_tenant().pk:
        raise TenantScopeMissing("The bulk action is not the scope's tenant's")
    claimed = BulkAction.objects.filter(pk=bulk_action.pk, undone_at__isnull=True).update(
        undone_at=timezone.now(), undone_by=actor)
    if claimed != 1:
        raise BulkAlreadyUndone(_("This bulk action was undone already."))
    previous: dict[str, list[Any]] = (
        BulkAction.objects.filter(pk=bulk_action.pk).values_list("previous", flat=True).get()
    )
    restored: set[int] = set()
    ids = sorted(int(i) for i in previous)
    for batch in _batches(ids):
        restored |= _undo_batch(bulk_action=bulk_action, actor=actor,
                                previous={i: previous[str(i)] for i in batch})
    BulkAction.objects.filter(pk=bulk_action.pk).update(restored=len(restored))
    bulk_action.refresh_from_db()
    return UndoResult(bulk_action=bulk_action, restored=len(restored), skipped=len(ids) - len(restored))


def _undo_batch(*, bulk_action: BulkAction, actor: User,
                previous: dict[int, list[Any]]) -> set[int]:
    """Restore one batch; the ids restored."""
    tenant_id, action = bulk_action.tenant_id, bulk_action.action
    note = _("Undo of bulk action #%(id)d") % {"id": bulk_action.pk}
    current = {
        i: (status, assigned, is_complaint)
        for i, status, assigned, is_complaint in Mention.objects.select_for_update()
        .filter(id__in=list(previous)).order_by("id")
        .values_list("id", "complaint_status", "assigned_to_id", "is_complaint")
    }
    events: list[ComplaintEvent] = []
    restored: set[int] = set()
    if action == K.ASSIGN:
        # Still assigned as the action left them: back to whoever had them before.
        by_assignee: dict[int | None, list[int]] = defaultdict(list)
        for i, (_status, assigned, _c) in current.items():
            if assigned == bulk_action.assignee_id:
                by_assignee[previous[i][1]].append(i)
        for was, ids in by_assignee.items():
            Mention.objects.filter(id__in=ids, assigned_to_id=bulk_action.assignee_id).update(
                assigned_to_id=was)
            events += [ComplaintEvent(tenant_id=tenant_id, mention_id=i, action=ComplaintAction.ASSIGNED,
                                      from_status=current[i][0], to_status=current[i][0], actor=actor,
                                      assignee_id=was, note=note) for i in ids]
            restored.update(ids)
    else:
        restored = _undo_statuses(bulk_action=bulk_action, actor=actor, previous=previous,
                                  current=current, events=events, note=note)
    ComplaintEvent.objects.bulk_create(events)
    return restored


def _undo_statuses(*, bulk_action: BulkAction, actor: User, previous: dict[int, list[Any]],
                   current: Mapping[int, tuple[str, int | None, bool]], events: list[ComplaintEvent],
                   note: str) -> set[int]:
    tenant_id, action = bulk_action.tenant_id, bulk_action.action
    restored: set[int] = set()
    moves: dict[tuple[str, str], list[int]] = defaultdict(list)  # (left, was) -> ids
    relabel: list[int] = []
    for i, (status, _assigned, is_complaint) in current.items():
        was_status, _was_assigned, was_label = previous[i]
        label_left = action not in _RELABELS or was_label == "not_complaint" or not is_complaint
        if not label_left:
            continue  # relabelled a complaint again since: leave it
        if status != was_status:
            left = _TARGET.get(action, S.DISMISSED)
            if status != left:
                continue  # its status moved again since: leave it
            moves[(status, was_status)].append(i)
        if was_label == "complaint" and not is_complaint:
            relabel.append(i)
        restored.add(i)
    for (left, was), ids in moves.items():
        Mention.objects.filter(id__in=ids, complaint_status=left).update(
            complaint_status=was)
        events += [ComplaintEvent(tenant_id=tenant_id, mention_id=i, action=_ACTION_INTO[was],
                                  from_status=left, to_status=was, actor=actor, note=note) for i in ids]
    # The label goes back the way it came, as a correction: the learner sees the team's last word.
    # The status is restored first, so the correction finds it no longer dismissed and moves it
    # no further.
    for mention in Mention.objects.filter(id__in=relabel).order_by("id"):
        correction_create(mention=mention, field="complaint", value="complaint", user=actor)
    return restored
