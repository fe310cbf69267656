"""manage.py status: an operator's view of the whole deployment, across tenants."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from listening.models import Source
from listening.serving import health


@pytest.fixture(autouse=True)
def fresh_probe_state(monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)
    monkeypatch.setattr(health, "_broker_client", None)


def status(*args: str) -> dict:
    out = StringIO()
    call_command("status", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_it_counts_sources_behind_polling_and_failing_across_tenants(world, settings):
    settings.REDIS_URL = ""
    now = timezone.now()
    Source.all_tenants.filter(pk=world.acme_source.pk).update(next_poll_at=now - dt.timedelta(minutes=12))
    Source.all_tenants.filter(pk=world.globex_source.pk).update(
        next_poll_at=now - dt.timedelta(seconds=5), consecutive_failures=3
    )
    Source.all_tenants.filter(pk=world.initech_source.pk).update(claimed_until=now + dt.timedelta(minutes=4))
    report = status()
    assert report["ready"] is True
    sources = report["sources"]
    assert (sources["total"], sources["due"], sources["behind"], sources["failing"], sources["polling"]) == (
        3, 2, 1, 1, 1
    )
    assert 12 * 60 <= sources["worst_lag_seconds"] < 13 * 60
    assert report["alerts"] == {"live_alerts": 0, "deliveries": {"pending": 0, "overdue": 0, "failed_last_24h": 0}}


def test_it_shows_where_the_database_is_but_never_its_password(db, settings):
    settings.REDIS_URL = ""
    settings.DATABASE_URL = "postgres://dengar:pw-not-shown@db.internal:5432/dengar"
    out = StringIO()
    call_command("status", stdout=out)
    text = out.getvalue()
    assert "db.internal/dengar" in text
    assert "pw-not-shown" not in text
    assert text.startswith("Ready")


def test_it_exits_1_when_not_ready(db, settings, monkeypatch):
    settings.REDIS_URL = ""
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("pending", False)])
    with pytest.raises(SystemExit) as exit_:
        status()
    assert exit_.value.code == 1


def test_it_reports_the_broker_backlog_of_this_deployments_queue(db, settings, tmp_path):
    # The embedded broker, in a folder of this test's own: two messages waiting in our queue.
    settings.REDIS_URL = ""
    settings.CELERY_BROKER_URL = "filesystem://"
    queue_dir = tmp_path / "queue"
    queue_dir.mkdir()
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(queue_dir), "data_folder_out": str(queue_dir),
        "processed_folder": str(tmp_path / "processed"), "store_processed": False,
    }
    settings.CELERY_TASK_DEFAULT_QUEUE = "dengar-status-test"
    for n in range(2):
        (queue_dir / f"{n}_{n}.dengar-status-test.msg").write_text("{}")
    (queue_dir / "9_9.another-queue.msg").write_text("{}")
    assert status()["broker"] == {"kind": "embedded", "queue": "dengar-status-test", "waiting": 2}
