"""The pipeline on Celery: claiming, polling, redelivery, crashes, failing sources."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone

from listening.models import Mention, Source
from listening.scoping import tenant_scope
from listening.services import ingestion
from listening.services.sources import ClaimHeartbeat, source_poll_once, sources_claim_due
from tests import factories
from tests.workers import scripted
from workers import celery_app
from workers.adapters import registry
from workers.tasks.polling import source_poll, sources_poll_due


@pytest.fixture(autouse=True)
def scripted_kind(monkeypatch):
    monkeypatch.setitem(registry.BUILTIN_ADAPTERS, "scripted", "tests.workers.scripted.ScriptedAdapter")
    registry.refresh()
    scripted.BEHAVIOUR.clear()
    yield
    registry.refresh()


@pytest.fixture
def eager():
    """Run tasks in-process: the task code is real, only the transport is skipped."""
    saved = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = saved


def scripted_source(tenant, name, script, **kw):
    return factories.SourceFactory(
        tenant=tenant, name=name, kind="scripted", config={"script": script, "page": kw.pop("page", 10)}, **kw
    )


def stored_ids(source):
    return set(Mention.all_tenants.filter(source=source).values_list("external_id", flat=True))


def test_it_claims_a_due_source_only_once(world):
    Source.all_tenants.update(next_poll_at=timezone.now() - timedelta(seconds=1))
    first = sources_claim_due()
    assert {c.source_id for c in first} == {world.acme_source.pk, world.globex_source.pk, world.initech_source.pk}
    assert sources_claim_due() == []


def test_a_claim_lapses_when_its_worker_never_finishes(world):
    Source.all_tenants.update(
        next_poll_at=timezone.now() - timedelta(seconds=1),
        claimed_until=timezone.now() - timedelta(seconds=1),
    )
    assert len(sources_claim_due()) == 3


def test_it_does_not_claim_paused_or_not_yet_due_sources(world):
    Source.all_tenants.filter(pk=world.acme_source.pk).update(paused=True, next_poll_at=timezone.now())
    Source.all_tenants.exclude(pk=world.acme_source.pk).update(
        next_poll_at=timezone.now() + timedelta(minutes=5)
    )
    assert sources_claim_due() == []


def test_the_cursor_never_skips_across_pages(world, eager):
    scripted.BEHAVIOUR["pages"] = scripted.items(95)
    source = scripted_source(world.acme, "paged", "pages", page=10)
    source_poll.delay(source.pk)
    assert stored_ids(source) == {f"s{i}" for i in range(95)}
    source.refresh_from_db()
    assert source.cursor == 95
    assert source.claimed_until is None
    assert source.next_poll_at > timezone.now()


def test_a_redelivered_poll_stores_nothing_twice(world):
    scripted.BEHAVIOUR["once"] = scripted.items(12)
    source = scripted_source(world.acme, "once", "once", page=50)
    # Two workers got the same message and both read the source before either stored anything.
    first, redelivered = Source.all_tenants.get(pk=source.pk), Source.all_tenants.get(pk=source.pk)
    with tenant_scope(world.acme):
        source_poll_once(source=first)
        with pytest.raises(ingestion.StaleCursor):
            source_poll_once(source=redelivered)
    assert Mention.all_tenants.filter(source=source).count() == 12


def test_running_the_task_again_after_success_adds_nothing(world, eager):
    scripted.BEHAVIOUR["again"] = scripted.items(7)
    source = scripted_source(world.acme, "again", "again")
    source_poll.delay(source.pk)
    Source.all_tenants.filter(pk=source.pk).update(cursor=None)  # as if the cursor were lost
    source_poll.delay(source.pk)
    assert Mention.all_tenants.filter(source=source).count() == 7


def test_a_crash_mid_batch_leaves_nothing_half_stored(world, eager, monkeypatch):
    scripted.BEHAVIOUR["crash"] = scripted.items(30)
    source = scripted_source(world.acme, "crash", "crash", page=30)

    def explode(**kwargs):
        raise RuntimeError("worker died while writing rollups")

    with monkeypatch.context() as patch:
        patch.setattr(ingestion, "volume_refresh", explode)
        with pytest.raises(RuntimeError):
            source_poll.delay(source.pk)
    source.refresh_from_db()
    assert (Mention.all_tenants.filter(source=source).count(), source.cursor) == (0, None)
    assert source.claimed_until is None
    # Shown on the source's health and backed off, not failed again at every tick; not paused.
    assert (source.consecutive_failures, source.paused) == (1, False)
    assert "RuntimeError: worker died while writing rollups" in source.last_error
    assert source.next_poll_at > timezone.now()

    source_poll.delay(source.pk)
    assert stored_ids(source) == {f"s{i}" for i in range(30)}


def test_a_failing_source_is_backed_off_without_holding_up_the_others(world, eager, django_capture_on_commit_callbacks):
    scripted.BEHAVIOUR["broken"] = scripted.TransientAdapterError("timeout", retry_after=None)
    scripted.BEHAVIOUR["fine"] = scripted.items(5)
    Source.all_tenants.update(paused=True)
    broken = scripted_source(world.acme, "broken", "broken", next_poll_at=timezone.now())
    fine = scripted_source(world.globex, "fine", "fine", next_poll_at=timezone.now())

    for attempt in range(1, 4):
        Source.all_tenants.filter(pk=broken.pk).update(next_poll_at=timezone.now())
        with django_capture_on_commit_callbacks(execute=True):
            sources_poll_due.delay()
        broken.refresh_from_db()
        assert broken.consecutive_failures == attempt
        assert broken.next_poll_at >= timezone.now() + timedelta(seconds=60 * 2**attempt - 5)
    assert broken.health == "failing"
    assert "timeout" in broken.last_error
    assert stored_ids(fine) == {f"s{i}" for i in range(5)}
    fine.refresh_from_db()
    assert fine.health == "ok"


def test_it_honours_the_sources_retry_after(world, eager):
    scripted.BEHAVIOUR["slow"] = scripted.TransientAdapterError("rate limited", retry_after=3000)
    source = scripted_source(world.acme, "slow", "slow")
    source_poll.delay(source.pk)
    source.refresh_from_db()
    assert source.next_poll_at >= timezone.now() + timedelta(seconds=2990)


def test_a_permanent_error_pauses_the_source_and_says_why(world, eager):
    scripted.BEHAVIOUR["gone"] = scripted.PermanentAdapterError("feed deleted (404)")
    source = scripted_source(world.acme, "gone", "gone")
    source_poll.delay(source.pk)
    source.refresh_from_db()
    assert source.paused
    assert source.health == "paused"
    assert "feed deleted" in source.last_error


def test_an_adapter_raising_an_error_it_does_not_declare_is_backed_off_and_never_paused(world, eager):
    # What a feed declaring an unknown encoding once made a parser raise.
    scripted.BEHAVIOUR["odd"] = LookupError("unknown encoding: x-klingon")
    source = scripted_source(world.acme, "odd", "odd")

    for attempt in range(1, 4):
        Source.all_tenants.filter(pk=source.pk).update(next_poll_at=timezone.now())
        source_poll.delay(source.pk)  # the task does not fail: the error is the source's
        source.refresh_from_db()
        assert (source.consecutive_failures, source.paused, source.claimed_until) == (attempt, False, None)
        assert source.next_poll_at >= timezone.now() + timedelta(seconds=60 * 2**attempt - 5)
    assert source.health == "failing"
    assert source.last_error == "LookupError: unknown encoding: x-klingon"

    scripted.BEHAVIOUR["odd"] = scripted.items(2)
    source_poll.delay(source.pk)
    source.refresh_from_db()
    assert (source.health, stored_ids(source)) == ("ok", {"s0", "s1"})


def test_only_what_an_adapter_declares_permanent_pauses_a_source(world, eager):
    for name, error in [("value", ValueError("bad item")), ("key", KeyError("guid")),
                        ("permanent", scripted.PermanentAdapterError("gone"))]:
        scripted.BEHAVIOUR[name] = error
        source = scripted_source(world.acme, name, name)
        outcome = source_poll_once(source=source)
        source.refresh_from_db()
        assert (source.paused, source.consecutive_failures) == (name == "permanent", 1), name
        assert outcome.error


def test_a_source_recovers_its_health_after_a_success(world, eager):
    scripted.BEHAVIOUR["flaky"] = scripted.items(3)
    source = scripted_source(world.acme, "flaky", "flaky")
    Source.all_tenants.filter(pk=source.pk).update(consecutive_failures=5, last_error="timeout")
    source_poll.delay(source.pk)
    source.refresh_from_db()
    assert (source.consecutive_failures, source.last_error, source.health) == (0, "", "ok")


# --- claims: a lost poll comes back within a lease, a superseded one does nothing ----------------

def test_the_lease_and_a_beat_tick_together_are_well_under_a_minute(settings):
    dengar = settings.DENGAR
    assert dengar["POLL_LEASE_SECONDS"] + dengar["POLL_TICK_SECONDS"] <= 45


def test_a_redelivered_poll_for_a_source_another_poll_holds_does_nothing(world, eager):
    scripted.BEHAVIOUR["held"] = scripted.items(5)
    source = scripted_source(world.acme, "held", "held", next_poll_at=timezone.now())
    Source.all_tenants.exclude(pk=source.pk).update(paused=True)
    [old] = sources_claim_due()
    # The old claim lapsed, and beat gave the source to another poll, which is still working.
    Source.all_tenants.filter(pk=source.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
    [current] = sources_claim_due()

    assert source_poll.delay(source.pk, old.token.isoformat()).get() == 0

    source.refresh_from_db()
    assert stored_ids(source) == set()
    assert (source.cursor, source.claimed_until) == (None, current.token)


def test_a_poll_queued_by_hand_while_another_poll_holds_the_source_does_nothing(world, eager):
    scripted.BEHAVIOUR["busy"] = scripted.items(5)
    source = scripted_source(world.acme, "busy", "busy", next_poll_at=timezone.now())
    Source.all_tenants.exclude(pk=source.pk).update(paused=True)
    [claim] = sources_claim_due()

    source_poll.delay(source.pk)

    source.refresh_from_db()
    assert stored_ids(source) == set()
    assert source.claimed_until == claim.token
    source_poll.delay(source.pk, claim.token.isoformat())  # the claim's own message
    assert stored_ids(source) == {f"s{i}" for i in range(5)}


def test_a_backfill_batch_renews_the_claim_and_leaves_the_next_poll_due_for_beat(world, settings):
    settings.DENGAR = {**settings.DENGAR, "POLL_LEASE_SECONDS": 30}
    scripted.BEHAVIOUR["backfill"] = scripted.items(25)
    source = scripted_source(world.acme, "backfill", "backfill", page=10, next_poll_at=timezone.now())
    Source.all_tenants.exclude(pk=source.pk).update(paused=True)
    [claim] = sources_claim_due()
    Source.all_tenants.filter(pk=source.pk).update(claimed_until=claim.token - timedelta(seconds=29))

    with tenant_scope(world.acme):
        outcome = source_poll_once(source=Source.all_tenants.get(pk=source.pk))

    assert outcome.has_more
    source.refresh_from_db()
    now = timezone.now()
    # Not only a message: the source is due, and the batch's claim lasts one lease from now.
    assert source.next_poll_at <= now
    assert now + timedelta(seconds=25) < source.claimed_until <= now + timedelta(seconds=30)
    assert sources_claim_due() == []
    # The next poll's message is lost: once the lease lapses, beat claims the source again.
    Source.all_tenants.filter(pk=source.pk).update(claimed_until=now - timedelta(seconds=1))
    assert [c.source_id for c in sources_claim_due()] == [source.pk]


def test_a_poll_stopped_at_its_soft_time_limit_is_a_failure_on_the_sources_health(world, eager, settings):
    settings.DENGAR = {**settings.DENGAR, "POLL_SOFT_TIME_LIMIT": 120}
    scripted.BEHAVIOUR["hung"] = SoftTimeLimitExceeded()
    source = scripted_source(world.acme, "hung", "hung", next_poll_at=timezone.now())
    Source.all_tenants.exclude(pk=source.pk).update(paused=True)
    [claim] = sources_claim_due()

    source_poll.delay(source.pk, claim.token.isoformat())

    source.refresh_from_db()
    assert (source.consecutive_failures, source.claimed_until, source.paused) == (1, None, False)
    assert "did not finish within 120 s" in source.last_error
    assert source.next_poll_at > timezone.now()


def test_every_task_has_time_limits_below_the_brokers_visibility_timeout(settings):
    visibility = 600  # Redis' (settings.CELERY_BROKER_TRANSPORT_OPTIONS when REDIS_URL is set)
    conf = celery_app.conf
    ours = {name: task for name, task in celery_app.tasks.items() if name.startswith("workers.")}
    assert {"workers.tasks.polling.source_poll", "workers.tasks.polling.sources_poll_due"} <= set(ours)
    for name, task in ours.items():
        soft = task.soft_time_limit or conf.task_soft_time_limit
        hard = task.time_limit or conf.task_time_limit
        assert soft, f"{name} has no time limit"
        assert hard, f"{name} has no time limit"
        assert soft < hard < visibility, name
    source_poll_task = ours["workers.tasks.polling.source_poll"]
    assert source_poll_task.soft_time_limit > settings.DENGAR["FEED_FETCH_DEADLINE_SECONDS"]


@pytest.mark.django_db(transaction=True)
def test_a_working_poll_keeps_renewing_its_claim_until_it_is_no_longer_its_own():
    tenant = factories.TenantFactory(slug="heartbeat")
    source = factories.SourceFactory(tenant=tenant, kind="mock", next_poll_at=timezone.now())
    Source.all_tenants.exclude(pk=source.pk).update(paused=True)
    [claim] = sources_claim_due()

    with ClaimHeartbeat(source_id=source.pk, token=claim.token, interval=0.2) as heartbeat:
        time.sleep(0.9)
        renewed = Source.all_tenants.get(pk=source.pk).claimed_until
        assert renewed > claim.token
        assert heartbeat.renewals >= 2
        # The batch is stored and the claim let go: the heartbeat must not take it back.
        Source.all_tenants.filter(pk=source.pk).update(claimed_until=None)
        time.sleep(0.5)
    assert Source.all_tenants.get(pk=source.pk).claimed_until is None


# --- what a source's health may say -----------------------------------------------------------------

def test_a_sources_last_error_never_shows_credentials(world, eager, caplog):
    scripted.BEHAVIOUR["leaky"] = scripted.TransientAdapterError(
        "https://bob:hunter2@feeds.example.com/acme.rss?format=rss&access_token=s3cr3t&k=AbCdEf0123456789xyz: "
        "HTTP 503 (Authorization: Bearer eyJhbGciOi)"
    )
    source = scripted_source(world.acme, "leaky", "leaky")

    source_poll.delay(source.pk)

    source.refresh_from_db()
    for secret in ("bob", "hunter2", "s3cr3t", "AbCdEf0123456789xyz", "eyJhbGciOi"):
        assert secret not in source.last_error
        assert secret not in caplog.text  # nor in the worker's log line about it
    assert "feeds.example.com/acme.rss?format=rss" in source.last_error
    assert "HTTP 503" in source.last_error
