"""Alert tasks: thin; the work is in listening.services.alert_sweep and listening.services.alert_delivery."""

from __future__ import annotations

import logging

from celery import Task, shared_task
from django.db import OperationalError

from listening.services.alert_delivery import alert_delivery_attempt, deliveries_requeue_lost
from listening.services.alert_sweep import flags_sweep

logger = logging.getLogger("dengar.tasks")


@shared_task(name="workers.tasks.alerts.alerts_sweep", ignore_result=True)
def alerts_sweep() -> dict[str, int]:
    """Beat's sweep: volume, source-health and unanswered-complaint alerts for every tenant, and
    the notifications whose delivery task was lost (or whose retry waits longer than the broker
    may hold a task)."""
    report = flags_sweep()
    if report.failed:
        logger.error("flag sweep: failed for %d tenant(s): %s", len(report.failed), ", ".join(report.failed))
    requeued = deliveries_requeue_lost()
    if requeued:
        logger.warning("alert deliveries: %d pending past their time were queued again", requeued)
    return {"opened": len(report.opened), "refreshed": len(report.refreshed),
            "resolved": len(report.resolved), "failed": len(report.failed), "requeued": requeued}


@shared_task(
    bind=True,
    name="workers.tasks.alerts.alert_deliver",
    ignore_result=True,
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=2,
    max_retries=20,  # the service decides when to give up (ALERT_DELIVERY_MAX_ATTEMPTS)
)
def alert_deliver(self: Task, delivery_id: int, attempt: int | None = None) -> str:
    """Make one attempt at one alert notification; on a transient failure, queue the next one.

    ``attempt`` numbers the attempt this task is for: a copy of a task whose attempt was made
    already sends nothing (see alert_delivery_attempt)."""
    outcome = alert_delivery_attempt(delivery_id=delivery_id, attempt=attempt)
    if outcome.retry_in is not None:
        logger.info("alert delivery %s: retrying in %.0f s", delivery_id, outcome.retry_in)
        raise self.retry(
            countdown=outcome.retry_in, args=(delivery_id,), kwargs={"attempt": outcome.next_attempt})
    return outcome.status
