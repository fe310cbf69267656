"""``/healthz`` and ``/readyz``, answered before the rest of the middleware.

``/healthz``: the process is up and serving (no database). ``/readyz``: this instance can serve
traffic: the database answers, every migration is applied, and the broker answers when REDIS_URL
is set; otherwise 503 with the name of the check that failed. They run before the host check,
the HTTPS redirect, sessions and login, because a probe comes over plain HTTP from inside the
container or the load balancer with whatever Host it likes, and must stay cheap.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger("dengar.health")

_migrations_applied = False  # once true for this process, it stays true: the code cannot change
_lock = threading.Lock()
_broker_client = None


def check_database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_migrations() -> None:
    global _migrations_applied
    if _migrations_applied:
        return
    from django.db.migrations.executor import MigrationExecutor

    connection = connections["default"]
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise RuntimeError("unapplied migrations")
    _migrations_applied = True


def check_broker() -> None:
    global _broker_client
    if not settings.REDIS_URL:
        return
    with _lock:
        if _broker_client is None:
            import redis

            _broker_client = redis.Redis.from_url(
                settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2, health_check_interval=30
            )
    _broker_client.ping()


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "migrations": check_migrations,
    "broker": check_broker,
}


def readiness() -> dict[str, str]:
    """Each check's outcome: "ok", "skipped" (nothing to check) or "failing". The reason of a
    failure goes to the log (redacted), never into the answer."""
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        if name == "broker" and not settings.REDIS_URL:
            results[name] = "skipped"
            continue
        if name == "migrations" and results.get("database") != "ok":
            results[name] = "skipped"
            continue
        try:
            check()
        except Exception:  # any failure means not ready, whatever raised
            logger.warning("readiness check %s failed", name, exc_info=True, extra={"check": name})
            results[name] = "failing"
        else:
            results[name] = "ok"
    return results


def is_ready(checks: dict[str, str]) -> bool:
    """Whether the outcomes of readiness() let this instance serve: none is failing."""
    return all(outcome != "failing" for outcome in checks.values())


def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> HttpResponse:
    checks = readiness()
    ready = is_ready(checks)
    body = {"status": "ok" if ready else "unavailable", "checks": checks}
    return JsonResponse(body, status=200 if ready else 503)


class HealthCheckMiddleware:
    """Answer the probes before the host check, the HTTPS redirect, sessions and authentication."""

    views = {"/healthz": healthz, "/readyz": readyz}

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = self.views.get(request.path_info)
        if view is not None and request.method in {"GET", "HEAD"}:
            response = view(request)
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)


HEALTH_PATHS = frozenset(HealthCheckMiddleware.views)


def broker_backlog() -> int | None:
    """Messages waiting in this deployment's task queue (Redis or the embedded broker), or None
    when the broker cannot be asked."""
    from kombu import Connection

    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            connect_timeout=2,
        ) as connection:
            channel = connection.default_channel
            try:
                return channel.queue_declare(queue=settings.CELERY_TASK_DEFAULT_QUEUE, passive=True).message_count
            except connection.channel_errors:
                return 0  # never declared, or emptied and removed: nothing waits
    except Exception:  # an unreachable broker is reported as unknown, not raised
        logger.warning("broker backlog unavailable", exc_info=True)
        return None
