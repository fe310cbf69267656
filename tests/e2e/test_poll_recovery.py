"""Faults from outside, with real worker processes: a poll that is killed or whose message is lost
leaves its source blind for well under a minute, and feeds that trickle their bytes cannot take
the workers from healthy sources. Each test prints what it measured."""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from listening.models import Mention, Source
from listening.services.sources import sources_claim_due
from tests import factories
from tests.e2e.test_worker_pipeline import SLOT, expected_ids
from tests.e2e.worker import Worker, celery_worker, wait_for
from tests.slowdrip import slow_drip_server
from workers.adapters.mock.adapter import MockAdapter
from workers.tasks.polling import sources_poll_due

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# What "picked up again within a minute" allows, measured from the fault to the next stored batch.
BLIND_LIMIT = 60


@contextmanager
def beat(every: float) -> Iterator[dict[str, Worker]]:
    """A stand-in for ``celery beat``: queues beat's poll tick on the current worker's queue."""
    target: dict[str, Worker] = {}
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            if "worker" in target:
                sources_poll_due.apply_async(queue=target["worker"].queue, expires=every)
            stop.wait(every)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield target
    finally:
        stop.set()
        thread.join(10)


def slow_backfill_source(slug: str, *, hours: int, max_items: int, latency: float) -> tuple[Source, dict, dict]:
    tenant = factories.TenantFactory.create(slug=slug)
    config = MockAdapter.config_schema.validate({
        "seed": 11, "scenario": "steady", "rate_per_hour": 120, "max_items": max_items,
        "latency_seconds": latency, "anchor": timezone.now().isoformat(),
    })
    start = {"slot": int(timezone.now().timestamp()) // SLOT - hours * 12}
    source = factories.SourceFactory.create(tenant=tenant, kind="mock", config=config, cursor=start,
                                            next_poll_at=timezone.now())
    Source.all_tenants.exclude(pk=source.pk).update(paused=True)
    return source, config, start


def stored_since(source: Source, instant: datetime) -> bool:
    last = Source.all_tenants.get(pk=source.pk).last_success_at
    return last is not None and last > instant


RECEIVED = re.compile(r"Task workers\.tasks\.polling\.source_poll\[[^\]]+\] received")


def polls_received(log) -> int:
    return len(RECEIVED.findall(log.read_text()))


def kill_mid_poll(worker: Worker, log, *, whole_worker: bool) -> datetime:
    """SIGKILL the pool process (or the whole worker) one second into a poll's slow fetch."""
    seen = polls_received(log)
    wait_for(lambda: polls_received(log) > seen, timeout=30, what="a poll to start", log=log)
    time.sleep(1.0)
    pool = worker.pool_processes()
    if whole_worker:
        os.kill(worker.pid, signal.SIGKILL)
    for pid in pool:
        os.kill(pid, signal.SIGKILL)
    return timezone.now()


def drained(source: Source) -> bool:
    return Source.all_tenants.get(pk=source.pk).next_poll_at > timezone.now() + timedelta(seconds=5)


def assert_each_mention_once(source: Source, config: dict, start: dict) -> None:
    source.refresh_from_db()
    assert source.cursor is not None
    stored = list(Mention.all_tenants.filter(source=source).values_list("external_id", flat=True))
    assert len(stored) == len(set(stored)), "a mention was stored twice"
    assert set(stored) == expected_ids(config, start, source.cursor["slot"]), "mentions were lost"


def test_a_poll_whose_pool_process_is_killed_mid_fetch_is_taken_up_again_at_once(tmp_path):
    """The broker hands the message back, and the claim it carries is still the source's."""
    source, config, start = slow_backfill_source("e2e-kill-pool", hours=2, max_items=150, latency=2.0)
    tick = settings.DENGAR["POLL_TICK_SECONDS"]
    log = tmp_path / "worker.log"
    with celery_worker(log=log, concurrency=1) as worker, beat(every=tick) as target:
        target["worker"] = worker
        killed_at = kill_mid_poll(worker, log, whole_worker=False)
        wait_for(lambda: stored_since(source, killed_at), timeout=BLIND_LIMIT, what="a poll after the kill", log=log)
        blind = (timezone.now() - killed_at).total_seconds()
        wait_for(lambda: drained(source), timeout=60, what="the backfill to finish", log=log)
    print(f"pool process killed mid-poll: the source stored again after {blind:.1f} s (fetch 2 s)")
    assert "signal 9" in log.read_text() or "WorkerLostError" in log.read_text()
    assert blind < BLIND_LIMIT
    assert_each_mention_once(source, config, start)


def test_a_poll_killed_with_its_worker_leaves_its_source_blind_for_well_under_a_minute(tmp_path):
    """The whole worker dies mid-fetch: its message stays unacknowledged for Redis' visibility
    timeout (600 s), or is gone with the file broker. Beat claims the source again once the
    poll's lease lapses, and another worker polls it."""
    source, config, start = slow_backfill_source("e2e-kill-worker", hours=2, max_items=150, latency=2.0)
    tick = settings.DENGAR["POLL_TICK_SECONDS"]
    with beat(every=tick) as target:
        first_log = tmp_path / "worker-1.log"
        with celery_worker(log=first_log, concurrency=1) as first:
            target["worker"] = first
            killed_at = kill_mid_poll(first, first_log, whole_worker=True)
            target.pop("worker")
        second_log = tmp_path / "worker-2.log"
        with celery_worker(log=second_log, concurrency=1) as second:
            target["worker"] = second
            wait_for(lambda: stored_since(source, killed_at), timeout=BLIND_LIMIT, what="a poll after the kill",
                     log=second_log)
            blind = (timezone.now() - killed_at).total_seconds()
            wait_for(lambda: drained(source), timeout=60, what="the backfill to finish", log=second_log)
    print(f"worker killed mid-poll: the source stored again after {blind:.1f} s "
          f"(lease {settings.DENGAR['POLL_LEASE_SECONDS']:g} s, beat tick {tick:g} s, fetch 2 s)")
    assert blind < BLIND_LIMIT
    assert_each_mention_once(source, config, start)


def test_a_claimed_poll_whose_message_is_lost_is_claimed_again_by_beat_within_a_minute(tmp_path):
    """A beat tick claims the source, and its message never reaches a worker (a Redis restart, a
    dropped message): the claim lapses and a later tick claims the source again."""
    source, _, _ = slow_backfill_source("e2e-lost", hours=1, max_items=500, latency=0.0)
    [claim] = sources_claim_due()  # claimed, and no message queued: the message is lost
    lost_at = timezone.now()
    log = tmp_path / "worker.log"
    with celery_worker(log=log, concurrency=1) as worker, beat(every=settings.DENGAR["POLL_TICK_SECONDS"]) as target:
        target["worker"] = worker
        wait_for(lambda: stored_since(source, lost_at), timeout=BLIND_LIMIT, what="beat to claim the source again",
                 log=log)
        blind = (timezone.now() - lost_at).total_seconds()
    print(f"poll message lost: the source stored again after {blind:.1f} s "
          f"(lease {settings.DENGAR['POLL_LEASE_SECONDS']:g} s, beat tick {settings.DENGAR['POLL_TICK_SECONDS']:g} s)")
    assert claim.source_id == source.pk
    assert blind < BLIND_LIMIT


def test_two_feeds_trickling_bytes_do_not_stop_a_healthy_source_on_a_two_process_worker(tmp_path, monkeypatch):
    deadline = 5
    monkeypatch.setenv("DENGAR_FEEDS_ALLOW_PRIVATE", "1")  # the slow servers are on loopback
    monkeypatch.setenv("DENGAR_FEED_FETCH_DEADLINE_SECONDS", str(deadline))
    tenant = factories.TenantFactory(slug="e2e-drip")
    earlier = timezone.now() - timedelta(minutes=1)
    log = tmp_path / "worker.log"
    with slow_drip_server(every=1.0) as one, slow_drip_server(every=1.0) as two:
        # Due first, so that they are claimed and queued first and take both pool processes.
        slow = [
            factories.SourceFactory(tenant=tenant, name=f"trickle {i}", kind="rss", config={"url": drip.url},
                                    next_poll_at=earlier)
            for i, drip in enumerate((one, two))
        ]
        healthy = factories.SourceFactory(
            tenant=tenant, name="healthy", kind="mock", next_poll_at=timezone.now(),
            config={"seed": 3, "scenario": "steady", "rate_per_hour": 60, "backfill_days": 0.1},
        )
        Source.all_tenants.exclude(tenant=tenant).update(paused=True)
        with celery_worker(log=log, concurrency=2) as worker:
            started = datetime.now(UTC)
            sources_poll_due.apply_async(queue=worker.queue)
            wait_for(lambda: Source.all_tenants.get(pk=healthy.pk).last_success_at is not None,
                     timeout=30, what="the healthy source to store", log=log)
            took = (datetime.now(UTC) - started).total_seconds()
            wait_for(lambda: all(Source.all_tenants.get(pk=s.pk).consecutive_failures for s in slow),
                     timeout=30, what="the trickling feeds to fail", log=log)
    print(f"two slow-drip feeds (a byte a second) on 2 pool processes: the healthy source stored after "
          f"{took:.1f} s (feed deadline {deadline} s)")
    assert Mention.all_tenants.filter(source=healthy).exists()
    for source in slow:
        source.refresh_from_db()
        assert f"did not arrive in full within {deadline} s" in source.last_error
        assert (source.paused, source.claimed_until) == (False, None)
        assert source.next_poll_at > timezone.now()


def test_a_poll_slower_than_its_lease_keeps_its_claim_by_heartbeat(tmp_path, monkeypatch):
    """With a 3-second lease and a 7-second fetch, beat ticking every second: the poll's heartbeat
    renews the claim, so beat never hands the source to a second poll meanwhile."""
    monkeypatch.setenv("DENGAR_POLL_LEASE_SECONDS", "3")
    source, _, _ = slow_backfill_source("e2e-heartbeat", hours=1, max_items=1000, latency=7.0)
    log = tmp_path / "worker.log"
    with celery_worker(log=log, concurrency=2) as worker, beat(every=1.0) as target:
        target["worker"] = worker
        started = timezone.now()
        wait_for(lambda: stored_since(source, started), timeout=40, what="the slow poll to store", log=log)
        time.sleep(2.0)  # a tick or two after it
    text = log.read_text()
    print(f"a 7 s poll under a 3 s lease: {len(RECEIVED.findall(text))} poll(s) started")
    assert len(RECEIVED.findall(text)) == 1, "beat gave the source to a second poll while the first worked"
    assert "skipped a stale poll" not in text


def test_a_poll_past_its_soft_time_limit_is_stopped_and_recorded_on_the_source(tmp_path, monkeypatch):
    monkeypatch.setenv("DENGAR_POLL_SOFT_TIME_LIMIT", "2")
    monkeypatch.setenv("DENGAR_POLL_TIME_LIMIT", "5")
    source, _, _ = slow_backfill_source("e2e-soft-limit", hours=1, max_items=1000, latency=20.0)
    log = tmp_path / "worker.log"
    with celery_worker(log=log, concurrency=1) as worker:
        started = timezone.now()
        sources_poll_due.apply_async(queue=worker.queue)
        wait_for(lambda: Source.all_tenants.get(pk=source.pk).consecutive_failures == 1, timeout=20,
                 what="the stopped poll to be recorded", log=log)
        took = (timezone.now() - started).total_seconds()
    print(f"a 20 s fetch under a 2 s soft time limit: recorded as a failure after {took:.1f} s")
    source.refresh_from_db()
    assert "did not finish within 2 s" in source.last_error
    assert (source.claimed_until, source.paused, source.last_success_at) == (None, False, None)
    assert not Mention.all_tenants.filter(source=source).exists()
