"""Polling tasks: thin, idempotent; the work is in listening.services.sources."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError, transaction

from listening.models import Source
from listening.scoping import tenant_scope
from listening.services.ingestion import StaleCursor
from listening.services.sources import source_poll_once, source_release_claim, sources_claim_due

logger = logging.getLogger("dengar.tasks")


@shared_task(name="workers.tasks.polling.sources_poll_due", ignore_result=True)
def sources_poll_due() -> int:
    """Beat's fan-out: claim due sources and queue one poll per source."""
    with transaction.atomic():
        claimed = sources_claim_due()
        for source_id in claimed:
            source_poll.delay_on_commit(source_id)
    return len(claimed)


@shared_task(
    bind=True,
    name="workers.tasks.polling.source_poll",
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=2,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=8,
)
def source_poll(self: object, source_id: int) -> int:
    """Poll one source once; if it has more waiting, queue the next poll straight away."""
    source = Source.all_tenants.select_related("tenant").filter(id=source_id).first()
    if source is None or source.paused:
        return 0
    with tenant_scope(source.tenant):
        try:
            outcome = source_poll_once(source=source)
        except StaleCursor:
            # A redelivered copy of a poll that another worker already finished: nothing to do.
            logger.info("source %s: skipped a stale poll", source_id)
            return 0
        except Exception:
            source_release_claim(source_id=source_id)
            raise
    if outcome.has_more:
        source_poll.delay(source_id)
    return outcome.report.stored if outcome.report else 0
