"""The pipeline on Celery: claiming, polling, redelivery, crashes, failing sources."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from listening.models import Mention, Source
from listening.scoping import tenant_scope
from listening.services import ingestion
from listening.services.sources import source_poll_once, sources_claim_due
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
    assert set(first) == {world.acme_source.pk, world.globex_source.pk, world.initech_source.pk}
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


def test_a_source_recovers_its_health_after_a_success(world, eager):
    scripted.BEHAVIOUR["flaky"] = scripted.items(3)
    source = scripted_source(world.acme, "flaky", "flaky")
    Source.all_tenants.filter(pk=source.pk).update(consecutive_failures=5, last_error="timeout")
    source_poll.delay(source.pk)
    source.refresh_from_db()
    assert (source.consecutive_failures, source.last_error, source.health) == (0, "", "ok")
