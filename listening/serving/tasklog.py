"""Celery tasks in the structured log: one line per task run (name, id, duration, outcome), and
every record logged inside a task carries its name and id. Workers use Django's LOGGING (so the
same JSON lines and the same secret redaction as the web), not Celery's own logging setup.

``connect()`` is called by workers/celery.py when the Celery app is created.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from celery import signals

from listening.serving.logs import _context, log_context

logger = logging.getLogger("dengar.tasks")

_started: dict[str, tuple[float, Any]] = {}


def _use_django_logging(**_: Any) -> None:
    # Connecting to setup_logging stops Celery from replacing the root handler with its own.
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


# The message header that carries the request id of the web request that queued a task, so that
# an operator can follow one click from the web line to the task lines it caused.
REQUEST_ID_HEADER = "dengar_request_id"


def _pass_request_id(headers: dict[str, Any] | None = None, **_: Any) -> None:
    request_id = log_context().get("request_id")
    if request_id and headers is not None:
        headers.setdefault(REQUEST_ID_HEADER, request_id)


def _task_started(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    if task_id is None:
        return
    context = {"task_id": task_id, "task_name": getattr(task, "name", None)}
    request_id = getattr(getattr(task, "request", None), REQUEST_ID_HEADER, None)
    if isinstance(request_id, str):
        context["request_id"] = request_id
    token = _context.set(context)
    _started[task_id] = (time.monotonic(), token)


def _task_finished(task_id: str | None = None, task: Any = None, state: str | None = None, **_: Any) -> None:
    started, token = _started.pop(task_id or "", (None, None))
    duration_ms = round((time.monotonic() - started) * 1000, 1) if started is not None else None
    outcome = (state or "UNKNOWN").lower()
    logger.log(
        logging.WARNING if outcome in {"failure", "rejected"} else logging.INFO,
        "task %s %s",
        getattr(task, "name", "?"),
        outcome,
        extra={"duration_ms": duration_ms, "outcome": outcome},
    )
    if token is not None:
        try:
            _context.reset(token)
        except ValueError:  # set in another context (a thread pool): nothing of ours to undo
            _context.set(None)


def connect() -> None:
    signals.setup_logging.connect(_use_django_logging, weak=False)
    signals.before_task_publish.connect(_pass_request_id, weak=False)
    signals.task_prerun.connect(_task_started, weak=False)
    signals.task_postrun.connect(_task_finished, weak=False)
