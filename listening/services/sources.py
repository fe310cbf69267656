"""Source lifecycle: claiming due sources, polling one, recording failures."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import Q
from django.utils import timezone

from listening.models import Source, Tenant
from listening.scoping import tenant_scope_of
from listening.services.credentials import CredentialError, secrets_split, source_adapter_config
from listening.services.ingestion import IngestReport, mentions_ingest
from listening.serving.logs import redact
from workers.adapters import registry
from workers.adapters.base import PermanentAdapterError, TransientAdapterError

logger = logging.getLogger("dengar.sources")

# A failing source waits poll_interval * 2**failures, up to this long, between attempts.
MAX_BACKOFF_SECONDS = 3600


def poll_lease() -> timedelta:
    return timedelta(seconds=settings.DENGAR["POLL_LEASE_SECONDS"])


def _unclaimed(now: datetime) -> Q:
    """No poll holds the source: never claimed, released, or its claim lapsed before ``now``."""
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)


@dataclass(frozen=True)
class SourceClaim:
    """A poll's right to work on a source. ``token`` is the claim's ``claimed_until`` as set by
    the claimer: whoever holds a message with the token the source still shows holds the claim.
    A renewal (heartbeat, next batch of a backfill) sets a new token."""

    source_id: int
    token: datetime


def sources_claim_due(*, limit: int | None = None) -> list[SourceClaim]:
    """Claim up to ``limit`` due sources across all tenants; return the claims this caller won.

    Each claim is a compare-and-set on one row, so two beat ticks or two workers never both win
    the same source. A claim lapses after the lease unless its poll renews it, so a source whose
    poll was lost (its worker killed, its message dropped) is claimed again by a later tick.
    """
    now = timezone.now()
    limit = limit or settings.DENGAR["POLL_CLAIM_BATCH"]
    token = now + poll_lease()
    due = Source.all_tenants.filter(_unclaimed(now), paused=False, next_poll_at__lte=now)
    candidates = list(due.order_by("next_poll_at").values_list("id", flat=True)[:limit])
    won = []
    for source_id in candidates:
        if due.filter(id=source_id).update(claimed_until=token) == 1:
            won.append(SourceClaim(source_id=source_id, token=token))
    return won


def source_claim_confirm(*, source_id: int, token: datetime | None) -> datetime | None:
    """The start of a poll: the token it may work under, or None if it must do nothing.

    With a token (a message from beat's fan-out or from the previous batch): the claim must still
    be that one; another poll's claim, or none (the work is done), means this message is a
    redelivered or superseded copy. A claim with less than two thirds of its lease left (the
    message waited in the queue) is renewed at once. Without a token (a poll queued by hand):
    the source is claimed now unless a poll holds it.
    """
    now = timezone.now()
    lease = poll_lease()
    unpaused = Source.all_tenants.filter(id=source_id, paused=False)
    if token is None:
        return now + lease if unpaused.filter(_unclaimed(now)).update(claimed_until=now + lease) == 1 else None
    if not unpaused.filter(claimed_until=token).exists():
        return None
    if token - now >= lease * 2 / 3:
        return token
    return source_claim_renew(source_id=source_id, token=token)


def source_claim_renew(*, source_id: int, token: datetime) -> datetime | None:
    """Extend a claim by a lease from now, if it is still ``token``; the new token, or None if
    the claim is no longer this poll's."""
    renewed = timezone.now() + poll_lease()
    changed = Source.all_tenants.filter(id=source_id, claimed_until=token).update(claimed_until=renewed)
    return renewed if changed == 1 else None


class ClaimHeartbeat:
    """Renews a poll's claim every third of the lease while the poll works, so that the lease can
    be short: the poll's own thread is busy in the adapter or the database, so a thread of its
    own does it (with its own database connection, closed when it stops). It stops renewing as
    soon as the claim is no longer the poll's (the batch stored and released or renewed it)."""

    def __init__(self, *, source_id: int, token: datetime, interval: float | None = None) -> None:
        self.source_id = source_id
        self.token = token
        self.interval = interval if interval is not None else poll_lease().total_seconds() / 3
        self.renewals = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"claim-heartbeat-{source_id}", daemon=True)

    def __enter__(self) -> ClaimHeartbeat:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    renewed = source_claim_renew(source_id=self.source_id, token=self.token)
                except Exception:  # a missed renewal costs at most a lease, never the poll
                    logger.exception("source %s: renewing the poll's claim failed", self.source_id)
                    connections.close_all()
                    continue
                if renewed is None:
                    return
                self.token = renewed
                self.renewals += 1
        finally:
            connections.close_all()  # this thread's connections only


@dataclass
class PollOutcome:
    report: IngestReport | None
    has_more: bool = False
    error: str = ""


def source_poll_once(*, source: Source) -> PollOutcome:
    """Fetch one batch from the adapter and store it. Adapter errors are recorded, not raised.

    Whatever an adapter raises, typed or not, backs the source off and says why on its health;
    only what the adapter declares permanent (or a kind or config it no longer accepts) pauses it:
    an adapter's bug or a library's own error must neither fail the poll at every tick nor stop a
    source for good."""
    try:
        adapter = registry.build(source.kind, source_adapter_config(source=source))
    except (registry.UnknownAdapter, ValueError, CredentialError) as exc:
        # The kind is gone, refuses the config, or its secrets cannot be read here.
        source_record_failure(source=source, error=exc, permanent=True)
        return PollOutcome(report=None, error=str(exc))
    try:
        result = adapter.fetch(cursor=source.cursor)
    except TransientAdapterError as exc:
        source_record_failure(source=source, error=exc, retry_after=exc.retry_after)
        return PollOutcome(report=None, error=str(exc))
    except PermanentAdapterError as exc:
        source_record_failure(source=source, error=exc, permanent=True)
        return PollOutcome(report=None, error=str(exc))
    except SoftTimeLimitExceeded:
        raise  # the task records it as the poll's time limit
    except Exception as exc:
        logger.exception("source %s (%s): the adapter raised an error it does not declare", source.pk, source.kind)
        source_record_failure(source=source, error=exc)
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
    with tenant_scope_of(source.tenant), transaction.atomic():
        locked = Source.objects.select_for_update().get(pk=source.pk)
        locked.consecutive_failures += 1
        locked.last_polled_at = now
        locked.last_error = error_for_health(error)
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
        ", paused" if permanent else f", next try at {locked.next_poll_at:%H:%M:%S}", locked.last_error,
    )
    source.refresh_from_db()


class PollTimeLimit(Exception):
    """The poll ran past its soft time limit and was stopped."""


def source_record_time_limit(*, source: Source, seconds: float) -> None:
    """A poll stopped at its soft time limit: a transient failure of the source (backed off and
    shown on its health), the claim released. The database connection may have been cut in the
    middle of a query: it is dropped if it no longer answers."""
    if connection.connection is not None and not connection.in_atomic_block and not connection.is_usable():
        connection.close()
    source_record_failure(
        source=source,
        error=PollTimeLimit(f"the poll did not finish within {seconds:g} s and was stopped; it will be retried"),
    )


def error_for_health(error: BaseException) -> str:
    """What a source's health says about a failure: its kind and message, without credentials
    (nor a URL's user name: the tenant reads it)."""
    return redact(f"{type(error).__name__}: {error}", userinfo=True)[:2000]


def source_create(*, tenant: Tenant, name: str, kind: str, config: Any, **fields: Any) -> Source:
    """Create a source after its adapter accepted the config (raises ConfigError otherwise). Its
    secret settings are stored encrypted (CredentialError if this deployment cannot)."""
    clean = registry.validate_config(kind, config)
    public, secrets = secrets_split(kind=kind, config=clean)
    with tenant_scope_of(tenant):
        return Source.objects.create(name=name, kind=kind, config=public, secrets=secrets, **fields)


def source_update(*, source: Source, **fields: Any) -> Source:
    """Change a source's settings. Resuming a paused source clears its failures and polls it soon.
    A new ``config`` is the whole config, secrets included: they are stored encrypted."""
    if "config" in fields:
        fields["config"], fields["secrets"] = secrets_split(
            kind=fields.get("kind", source.kind), config=fields["config"])
    if source.paused and fields.get("paused") is False:
        fields.update(consecutive_failures=0, next_poll_at=timezone.now(), claimed_until=None)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(source, name, value)
        if fields:
            source.save(update_fields=list(fields))
    return source
