"""The Celery app. Workers and beat start with ``celery -A workers ...``."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "listening.settings")

app = Celery("dengar")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.on_after_configure.connect
def _prepare_embedded_broker(sender: Celery, **_: object) -> None:
    folders = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if folders.get(key):
            os.makedirs(folders[key], exist_ok=True)


def _configure() -> None:
    from workers.schedule import BEAT_SCHEDULE

    app.conf.beat_schedule = BEAT_SCHEDULE
    app.autodiscover_tasks(["workers.tasks"], related_name="polling")
    app.autodiscover_tasks(["workers.tasks"], related_name="alerts")


_configure()


def _structured_logs() -> None:
    # Workers log like the web: Django's LOGGING (JSON lines in production, secrets redacted) and
    # one line per task with its name, id, duration and outcome.
    from listening.serving import tasklog

    tasklog.connect()


_structured_logs()
