"""The Celery app. Workers and beat start with ``celery -A workers ...``."""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from celery import Celery
from celery.signals import worker_init

if TYPE_CHECKING:
    from dj_database_url import DBConfig

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "listening.settings")

app = Celery("dengar")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.on_after_configure.connect
def _prepare_embedded_broker(sender: Celery, **_: object) -> None:
    folders = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if folders.get(key):
            os.makedirs(folders[key], exist_ok=True)


def use_worker_statement_timeout(databases: dict[str, DBConfig], milliseconds: int) -> None:
    """Give PostgreSQL connections made from now on the workers' statement timeout instead of the
    web's (settings.DB_STATEMENT_TIMEOUT_MS): the settings dicts are the ones connections read."""
    for database in databases.values():
        if database.get("ENGINE") != "django.db.backends.postgresql":
            continue
        options = database.setdefault("OPTIONS", {})
        current = re.sub(r"\s*-c\s*statement_timeout=\S+", "", options.get("options", ""))
        options["options"] = f"{current} -c statement_timeout={milliseconds}".strip()


@worker_init.connect
def _worker_statement_timeout(**_: object) -> None:
    # Before the pool processes start, so every connection they make has it.
    from django.conf import settings
    from django.db import connections

    connections.close_all()
    use_worker_statement_timeout(settings.DATABASES, settings.DB_STATEMENT_TIMEOUT_MS["worker"])


def _configure() -> None:
    from workers.schedule import BEAT_SCHEDULE

    app.conf.beat_schedule = BEAT_SCHEDULE
    app.autodiscover_tasks(["workers.tasks"], related_name="polling")
    app.autodiscover_tasks(["workers.tasks"], related_name="alerts")
    app.autodiscover_tasks(["workers.tasks"], related_name="learning")
    app.autodiscover_tasks(["workers.tasks"], related_name="oauth")


_configure()


def _structured_logs() -> None:
    # Workers log like the web: Django's LOGGING (JSON lines in production, secrets redacted) and
    # one line per task with its name, id, duration and outcome.
    from listening.serving import tasklog

    tasklog.connect()


_structured_logs()
