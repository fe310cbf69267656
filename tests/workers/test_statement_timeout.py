"""On PostgreSQL a hung query cannot hold a web process or a worker: statements time out."""

from __future__ import annotations

import copy
import time

import pytest
from django.db import OperationalError, connection, connections
from django.db.backends.postgresql.base import DatabaseWrapper

from workers import celery as celery_module
from workers.celery import use_worker_statement_timeout

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statement_timeout")


def test_web_connections_have_a_statement_timeout(db, settings):
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        shown = cursor.fetchone()[0]
    assert shown == f"{settings.DB_STATEMENT_TIMEOUT_MS['web'] // 1000}s"


def test_a_worker_cancels_a_hung_query_at_its_statement_timeout(db):
    databases = {"default": copy.deepcopy(connection.settings_dict)}
    use_worker_statement_timeout(databases, 500)
    assert databases["default"]["OPTIONS"]["options"].count("statement_timeout") == 1
    worker_connection = DatabaseWrapper(databases["default"], alias="worker-probe")
    try:
        with worker_connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == "500ms"
            started = time.monotonic()
            with pytest.raises(OperationalError, match="statement timeout"):
                cursor.execute("SELECT pg_sleep(30)")
        print(f"a hung query was cancelled after {time.monotonic() - started:.2f} s (statement_timeout 500 ms)")
    finally:
        worker_connection.close()


def test_a_worker_switches_the_connections_it_will_make_to_the_workers_timeout(settings, monkeypatch):
    calls = []
    monkeypatch.setattr(celery_module, "use_worker_statement_timeout", lambda dbs, ms: calls.append((dbs, ms)))
    celery_module._worker_statement_timeout()  # connected to celery.signals.worker_init
    [(databases, milliseconds)] = calls
    # The very dicts the connections read their OPTIONS from when they (re)connect.
    assert databases["default"] is connections["default"].settings_dict
    assert milliseconds == settings.DB_STATEMENT_TIMEOUT_MS["worker"]
