"""Source lifecycle: claiming due sources, polling one, recording failures."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from listening.models import Source, Tenant
from listening.services.ingestion import IngestReport, mentions_ingest
from workers.adapters import registry
from workers.adapters.base import PermanentAdapterError, TransientAdapterError

logger = logging.getLogger("dengar.sources")

# A failing source waits poll_interval * 2**failures, up to this long, between attempts.
MAX_BACKOFF_SECONDS = 3600


def sources_claim_due(*, limit: int | None = None) -> list[int]:
    """Claim up to ``limit`` due sources across all tenants; return the ids this caller won.

    Each claim is a compare-and-set on one row, so two beat ticks or two workers never both win
    the same source. A claim lapses after the lease, so a source whose worker died is polled again.
    """
    now = timezone.now()
    limit = limit or settings.DENGAR["POLL_CLAIM_BATCH"]
    lease = timedelta(seconds=settings.DENGAR["POLL_LEASE_SECONDS"])
    claimable = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    due = Source.all_tenants.filter(claimable, paused=False, next_poll_at__lte=now)
    candidates = list(due.order_by("next_poll_at").values_list("id", flat=True)[:limit])
    won = []
    for source_id in candidates:
        if due.filter(id=source_id).update(claimed_until=now + lease) == 1:
            won.append(source_id)
    return won


@dataclass
class PollOutcome:
    report: IngestReport | None
    has_more: bool = False
    error: str = ""


def source_poll_once(*, source: Source) -> PollOutcome:
    """Fetch one batch from the adapter and store it. Adapter errors are recorded, not raised."""
    try:
        adapter = registry.build(source.kind, source.config)
        result = adapter.fetch(cursor=source.cursor)
    except TransientAdapterError as exc:
        source_record_failure(source=source, error=exc, retry_after=exc.retry_after)
        return PollOutcome(report=None, error=str(exc))
    except (PermanentAdapterError, registry.UnknownAdapter, ValueError) as exc:
        source_record_failure(source=source, error=exc, permanent=True)
        return PollOutcome(report=None, error=str(exc))
    report = mentions_ingest(
        source=source,
        batch=result.mentions,
        expected_cursor=source.cursor,
        next_cursor=result.next_cursor,
        has_more=result.has_more,
    )
    return PollOutcome(report=report, has_more=result.has_more)


def source_record_failure(
    *, source: Source, error: BaseException, permanent: bool = False, retry_after: float | None = None
) -> None:
    """Back the source off (or pause it, when retrying cannot help) and say why on its health."""
    now = timezone.now()
    with transaction.atomic():
        locked = Source.all_tenants.select_for_update().get(pk=source.pk)
        locked.consecutive_failures += 1
        locked.last_polled_at = now
        locked.last_error = f"{type(error).__name__}: {error}"[:2000]
        locked.last_error_at = now
        locked.claimed_until = None
        if permanent:
            locked.paused = True
        backoff = min(
            MAX_BACKOFF_SECONDS, locked.poll_interval_seconds * 2 ** min(locked.consecutive_failures, 12)
        )
        locked.next_poll_at = now + timedelta(seconds=max(backoff, retry_after or 0))
        locked.save(
            update_fields=[
                "consecutive_failures", "last_polled_at", "last_error", "last_error_at",
                "claimed_until", "paused", "next_poll_at",
            ]
        )
    logger.warning(
        "source %s (%s) failed %d time(s) in a row%s: %s",
        source.pk, source.kind, locked.consecutive_failures,
        ", paused" if permanent else f", next try at {locked.next_poll_at:%H:%M:%S}", error,
    )
    source.refresh_from_db()


def source_release_claim(*, source_id: int) -> None:
    Source.all_tenants.filter(id=source_id).update(claimed_until=None)


def source_create(*, tenant: Tenant, name: str, kind: str, config: Any, **fields: Any) -> Source:
    """Create a source after its adapter accepted the config (raises ConfigError otherwise)."""
    clean = registry.validate_config(kind, config)
    return Source.all_tenants.create(tenant=tenant, name=name, kind=kind, config=clean, **fields)


def source_update(*, source: Source, **fields: Any) -> Source:
    """Change a source's settings. Resuming a paused source clears its failures and polls it soon."""
    if source.paused and fields.get("paused") is False:
        fields.update(consecutive_failures=0, next_poll_at=timezone.now(), claimed_until=None)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(source, name, value)
        if fields:
            source.save(update_fields=list(fields))
    return source
