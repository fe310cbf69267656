"""A real Celery worker process consumes from the broker (Redis under CI) and mentions land in the
database (PostgreSQL under CI): nothing lost, nothing doubled, even with duplicate deliveries."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from listening.models import Mention, Source
from listening.services.mention_validation import Rejected, mention_validate
from tests import factories
from tests.e2e.worker import celery_worker, wait_for
from workers.adapters.mock.adapter import MockAdapter
from workers.tasks.polling import source_poll, sources_poll_due

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SLOT = 300


def expected_ids(config: dict, start_cursor: dict, end_slot: int) -> set[str]:
    """What the adapter delivers from ``start_cursor`` up to ``end_slot``, computed in-process."""
    frozen = datetime.fromtimestamp(end_slot * SLOT, tz=UTC)
    adapter = MockAdapter(config, clock=lambda: frozen)
    ids, cursor = set(), start_cursor
    while True:
        result = adapter.fetch(cursor=cursor)
        for raw in result.mentions:
            with contextlib.suppress(Rejected):
                ids.add(mention_validate(raw, now=timezone.now()).external_id)
        cursor = result.next_cursor
        if not result.has_more:
            return ids


def test_a_real_worker_stores_every_mention_exactly_once(tmp_path):
    tenant = factories.TenantFactory(slug="e2e")
    brand = factories.BrandFactory(tenant=tenant, name="Acme")
    factories.BrandAccountFactory(brand=brand, tenant=tenant, platform="mock", handle="acme_care")
    config = MockAdapter.config_schema.validate({
        "seed": 5, "scenario": "complaint_storm", "brand": "Acme", "brand_handle": "acme_care",
        "rate_per_hour": 240, "max_items": 150, "malformed_rate": 0.03,
        "anchor": timezone.now().isoformat(),
    })
    now_slot = int(timezone.now().timestamp()) // SLOT
    start = {"slot": now_slot - 12 * 12}  # twelve hours back
    source = factories.SourceFactory(tenant=tenant, brand=brand, kind="mock", config=config,
                                     cursor=start, next_poll_at=timezone.now())
    log = tmp_path / "worker.log"
    with celery_worker(log=log) as worker:
        # The same poll delivered three times at once, as a broker may after a lost ack.
        for _ in range(3):
            source_poll.apply_async((source.pk,), queue=worker.queue)

        def finished() -> bool:
            s = Source.all_tenants.get(pk=source.pk)
            return s.next_poll_at > timezone.now() + timedelta(seconds=10) and s.cursor != start

        wait_for(finished, timeout=120, what="the worker to drain the source", log=log)

    source.refresh_from_db()
    end_slot = source.cursor["slot"]
    stored = list(Mention.all_tenants.filter(source=source).values_list("external_id", flat=True))
    assert len(stored) == len(set(stored)), "a mention was stored twice"
    assert set(stored) == expected_ids(config, start, end_slot), "mentions were lost or invented"
    assert source.items_rejected > 0
    assert source.health == "ok"
    answered = Mention.all_tenants.filter(source=source, is_complaint=True, answered_at__isnull=False)
    assert answered.exists(), "brand replies were not linked to the complaints they answer"


def test_beat_fan_out_reaches_the_worker_and_a_broken_source_does_not_block_others(tmp_path):
    tenant = factories.TenantFactory(slug="e2e-fanout")
    healthy = factories.SourceFactory(
        tenant=tenant, name="healthy", kind="mock",
        config={"seed": 9, "scenario": "steady", "rate_per_hour": 60, "backfill_days": 0.25},
    )
    broken = factories.SourceFactory(
        tenant=tenant, name="broken", kind="mock",
        config={"seed": 9, "scenario": "broken_collector"},
    )
    Source.all_tenants.exclude(pk__in=[healthy.pk, broken.pk]).update(paused=True)
    log = tmp_path / "worker.log"
    with celery_worker(log=log) as worker:
        sources_poll_due.apply_async(queue=worker.queue)
        wait_for(
            lambda: Source.all_tenants.get(pk=broken.pk).consecutive_failures >= 1
            and Source.all_tenants.get(pk=healthy.pk).last_success_at is not None,
            timeout=90, what="both sources to be polled", log=log,
        )
    broken.refresh_from_db()
    healthy.refresh_from_db()
    assert "collector unreachable" in broken.last_error
    assert broken.next_poll_at > timezone.now()
    assert Mention.all_tenants.filter(source=healthy).count() > 0


def test_a_poll_whose_worker_process_is_killed_is_redelivered_and_completes(tmp_path):
    """Late acknowledgement: the pool process dies mid-fetch (kill -9); the broker message is not
    lost, another process takes it, and every mention still lands exactly once."""
    tenant = factories.TenantFactory(slug="e2e-killed")
    config = MockAdapter.config_schema.validate({
        "seed": 8, "scenario": "steady", "rate_per_hour": 120, "max_items": 400,
        "latency_seconds": 3.0, "anchor": timezone.now().isoformat(),
    })
    now_slot = int(timezone.now().timestamp()) // SLOT
    start = {"slot": now_slot - 6 * 12}
    source = factories.SourceFactory(tenant=tenant, kind="mock", config=config, cursor=start,
                                     next_poll_at=timezone.now())
    log = tmp_path / "worker.log"
    with celery_worker(log=log, concurrency=1) as worker:
        source_poll.apply_async((source.pk,), queue=worker.queue)
        wait_for(lambda: b"source_poll" in log.read_bytes() and b"received" in log.read_bytes(),
                 timeout=30, what="the poll to be received", log=log)
        time.sleep(1.0)  # inside the adapter's 3-second fetch, before anything is written
        [victim] = worker.pool_processes()
        os.kill(victim, signal.SIGKILL)
        wait_for(lambda: victim not in worker.pool_processes(), timeout=30, what="the pool to notice")

        def finished() -> bool:
            s = Source.all_tenants.get(pk=source.pk)
            return s.next_poll_at > timezone.now() + timedelta(seconds=10) and s.cursor != start

        wait_for(finished, timeout=120, what="the redelivered poll to finish", log=log)
    text = log.read_text()
    assert "signal 9" in text or "WorkerLostError" in text, "the pool process was not killed"
    source.refresh_from_db()
    stored = list(Mention.all_tenants.filter(source=source).values_list("external_id", flat=True))
    assert len(stored) == len(set(stored))
    assert set(stored) == expected_ids(config, start, source.cursor["slot"])
