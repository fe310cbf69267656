"""Polling tasks: thin, idempotent; the work is in listening.services.sources."""

from __future__ import annotations

import logging
from contextlib import nullcontext
from datetime import datetime
from typing import Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction

from listening.models import Source
from listening.scoping import tenant_scope
from listening.services.ingestion import StaleCursor
from listening.services.sources import (
    ClaimHeartbeat,
    source_claim_confirm,
    source_poll_once,
    source_record_failure,
    source_record_time_limit,
    sources_claim_due,
)

logger = logging.getLogger("dengar.tasks")


@shared_task(name="workers.tasks.polling.sources_poll_due", ignore_result=True)
def sources_poll_due() -> int:
    """Beat's fan-out: claim due sources and queue one poll per source, with its claim."""
    with transaction.atomic():
        claimed = sources_claim_due()
        for claim in claimed:
            source_poll.delay_on_commit(claim.source_id, claim.token.isoformat())
    return len(claimed)


@shared_task(
    bind=True,
    name="workers.tasks.polling.source_poll",
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.DENGAR["POLL_SOFT_TIME_LIMIT"],
    time_limit=settings.DENGAR["POLL_TIME_LIMIT"],
)
def source_poll(self: Any, source_id: int, claim: str | None = None) -> int:
    """Poll one source once under its claim; if it has more waiting, queue the next poll.

    A message whose claim the source no longer shows (a redelivered copy, a poll superseded after
    its claim lapsed) does nothing. A poll that fails is not retried by the task: the failure is
    recorded on the source's health, its claim let go and the source backed off, and beat claims
    it again when it is due (or once the lease lapses, if even that could not be written). A poll queued
    without a claim (by hand, by the benchmark) claims the source and queues the poll with it, so
    that every message that works carries its claim and a redelivered copy can tell.
    """
    token = source_claim_confirm(source_id=source_id, token=datetime.fromisoformat(claim) if claim else None)
    if token is None:
        logger.info("source %s: claimed by another poll, done or paused; skipped", source_id)
        return 0
    if claim is None:
        source_poll.delay(source_id, token.isoformat())
        return 0
    source = Source.all_tenants.select_related("tenant").filter(id=source_id).first()
    if source is None:
        return 0
    # Eager runs (tests) finish before a renewal would be due, and share the test's transaction.
    heartbeat = nullcontext() if self.request.is_eager else ClaimHeartbeat(source_id=source_id, token=token)
    with tenant_scope(source.tenant):
        try:
            with heartbeat:
                outcome = source_poll_once(source=source)
        except StaleCursor:
            # Another poll already stored this batch (this one's claim had lapsed meanwhile).
            logger.info("source %s: skipped a stale poll", source_id)
            return 0
        except SoftTimeLimitExceeded:
            source_record_time_limit(source=source, seconds=settings.DENGAR["POLL_SOFT_TIME_LIMIT"])
            return 0
        except Exception as exc:
            # A failure past the adapter (the pipeline, the database): backed off and shown on the
            # source's health like an adapter's, so that it does not fail again at every tick.
            source_record_failure(source=source, error=exc)
            raise
    if outcome.has_more and source.claimed_until is not None:
        source_poll.delay(source_id, source.claimed_until.isoformat())
    return outcome.report.stored if outcome.report else 0
