"""The complaint lifecycle's transitions: each a compare-and-set on the status, recorded as a
ComplaintEvent. Nothing else: no correction is recorded here.

Below both the lifecycle (services.complaints, whose dismiss and reopen also record a correction)
and the corrections (services.corrections, whose complaint labels move the status through these
transitions), so neither of those two calls the other back: a correction moves the status here,
and a transition here never records a correction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User

from listening.models import ComplaintEvent, Mention
from listening.models.complaints import ComplaintAction
from listening.models.mentions import ComplaintStatus
from listening.scoping import tenant_scope_of

S = ComplaintStatus


class ComplaintError(Exception):
    """Base for a lifecycle change that was refused; the message says why, for people."""


class TransitionNotAllowed(ComplaintError):
    pass


class ComplaintConflict(ComplaintError):
    """Someone else changed the complaint between reading it and acting on it."""


class AnswerPolicyForbids(ComplaintError):
    pass


class AssigneeNotMember(ComplaintError):
    pass


# action -> (the statuses it may start from, the status it leads to)
# (Opening starts from "not a complaint": never offered as an action, see allowed_actions.)
TRANSITIONS: Mapping[str, tuple[frozenset[str], str]] = {
    ComplaintAction.OPENED: (frozenset({S.NONE}), S.OPEN),
    ComplaintAction.ANSWERED: (frozenset({S.OPEN}), S.ANSWERED),
    ComplaintAction.RESOLVED: (frozenset({S.OPEN, S.ANSWERED}), S.RESOLVED),
    ComplaintAction.DISMISSED: (frozenset({S.OPEN, S.ANSWERED, S.RESOLVED}), S.DISMISSED),
    ComplaintAction.REOPENED: (frozenset({S.ANSWERED, S.RESOLVED, S.DISMISSED}), S.OPEN),
}


def complaint_transition(
    *, mention: Mention, action: str, actor: User | None, note: str,
    changes: Mapping[str, Any] | None = None,
) -> ComplaintEvent:
    """Move the complaint from the status it was read with, or raise ComplaintConflict if someone
    moved it meanwhile; in the mention's tenant's scope (``tenant_scope_of``)."""
    with tenant_scope_of(mention.tenant):
        return _transition(mention=mention, action=action, actor=actor, note=note, changes=changes)


def _transition(
    *, mention: Mention, action: str, actor: User | None, note: str, changes: Mapping[str, Any] | None,
) -> ComplaintEvent:
    sources, target = TRANSITIONS[action]
    seen = mention.complaint_status
    if seen == S.NONE and seen not in sources:
        raise TransitionNotAllowed("This mention is not a complaint.")
    if seen not in sources:
        raise TransitionNotAllowed(
            f"A {S(seen).label.lower()} complaint cannot be {ComplaintAction(action).label.lower()}."
        )
    changed = Mention.objects.filter(
        pk=mention.pk, complaint_status=seen
    ).update(complaint_status=target, **(changes or {}))
    if changed != 1:
        now_status = (
            Mention.objects.filter(pk=mention.pk)
            .values_list("complaint_status", flat=True).first()
        )
        raise ComplaintConflict(
            f"Someone else changed this complaint meanwhile: it is now {now_status or 'gone'}."
        )
    mention.complaint_status = target
    return ComplaintEvent.objects.create(
        mention=mention, action=action, from_status=seen,
        to_status=target, actor=actor, note=note,
    )
