"""Feedback on alerts, and the rule by which it makes a brand's alerts less (or more) eager.

A member answers an alert useful, not useful or wrong (one current verdict per person and
alert; each answer is also an event in the alert's history). The sweep reads the answers of the
last ``WINDOW_DAYS`` days per alert key, that is per kind and subject ("decline:brand:5" is the
declines of brand 5, "decline:tenant" those of the tenant's total, which is its brand when it has
one), and moves that key's sensitivity away from the tenant's setting:

    steps = min(MAX_STEPS, max(0, not_useful + wrong - useful) // ANSWERS_PER_STEP)

Each step is one preset less sensitive (high → normal → low), never past ``low``. So three "not
useful" or "wrong" answers on a brand's declines within 30 days make that brand's declines one
preset harder to raise; each "useful" answer cancels one of them, so a "useful" after three
takes the step back. Only the kinds whose threshold is a setting are adjusted (declines, surges,
complaint storms); feedback on the other kinds is kept and shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from listening.models import Alert, AlertEvent
from listening.models.alerts import AlertEventAction, AlertFeedback, AlertKind, FeedbackVerdict
from listening.scoping import TenantScopeMissing, current_tenant

WINDOW_DAYS = 30
ANSWERS_PER_STEP = 3
MAX_STEPS = 2
# From the most to the least sensitive: a step moves one place to the right.
LADDER = ("high", "normal", "low")
ADJUSTED_KINDS = (AlertKind.DECLINE, AlertKind.SURGE, AlertKind.COMPLAINT_STORM)
NEGATIVE = (FeedbackVerdict.NOT_USEFUL, FeedbackVerdict.WRONG)


def alert_feedback_give(*, alert: Alert, user: AbstractBaseUser | AnonymousUser, verdict: str, note: str = "",
                        now: datetime | None = None) -> AlertFeedback:
    """Record ``user``'s verdict on ``alert`` (replacing their earlier one) and an event in
    the alert's history. Any alert, live or resolved: a false alarm is often known afterwards.
    Runs in the alert's tenant's scope."""
    if alert.tenant_id != current_tenant().pk:
        raise TenantScopeMissing("The alert is not the scope's tenant's")
    if verdict not in FeedbackVerdict.values:
        raise ValueError(f"unknown verdict {verdict!r}")
    if not isinstance(user, AbstractBaseUser):
        raise ValueError("feedback needs a signed-in user")
    now = now or timezone.now()
    with transaction.atomic():
        feedback, created = AlertFeedback.objects.select_for_update().get_or_create(
            alert=alert, user=user,
            defaults={"alert_key": alert.key, "verdict": verdict, "note": note,
                      "created_at": now, "updated_at": now},
        )
        if not created:
            feedback.verdict, feedback.note, feedback.updated_at = verdict, note, now
            feedback.save(update_fields=["verdict", "note", "updated_at"])
        label = FeedbackVerdict(verdict).label
        AlertEvent.objects.create(
            alert=alert, action=AlertEventAction.FEEDBACK,
            by=user,  # type: ignore[misc]  # the stubs type it as the default User model
            at=now,
            note=(f"{label}: {note}" if note else label)[:200],
        )
    return feedback


def feedback_steps(*, tenant_ids: Iterable[int], now: datetime) -> dict[tuple[int, str], int]:
    """For every (tenant, alert key) with answers in the window, how many presets less
    sensitive its alerts are (0 to MAX_STEPS); keys without an entry are at the tenant's own."""
    tally: dict[tuple[int, str], int] = defaultdict(int)
    rows = (AlertFeedback.all_tenants
            .filter(tenant_id__in=list(tenant_ids), updated_at__gte=now - timedelta(days=WINDOW_DAYS))
            .order_by().values("tenant_id", "alert_key", "verdict").annotate(n=Count("id"))
            .values_list("tenant_id", "alert_key", "verdict", "n"))
    for tenant_id, key, verdict, n in rows:
        if key.split(":", 1)[0] not in ADJUSTED_KINDS:
            continue
        tally[(tenant_id, key)] += n if verdict in NEGATIVE else -n
    return {mark: steps for mark, score in tally.items() if (steps := steps_for(score))}


def steps_for(score: int) -> int:
    """Steps for a balance of negative answers over useful ones (the rule above)."""
    return min(MAX_STEPS, max(0, score) // ANSWERS_PER_STEP)


def sensitivity_adjusted(sensitivity: str, steps: int) -> str:
    """``sensitivity`` moved ``steps`` presets towards less sensitive, never past the last."""
    if not steps:
        return sensitivity
    return LADDER[min(LADDER.index(sensitivity) + steps, len(LADDER) - 1)]
