"""``manage.py status``: what an operator asks first. Is this deployment ready, how far behind are
the polls, how much work waits in the broker, are alerts getting out?

Exit status 1 when a readiness check fails, so it can gate a deploy script."""

from __future__ import annotations

import json
import sys
from typing import Any

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from listening.selectors.operations import alerts_status, sources_status
from listening.serving.health import broker_backlog, is_ready, readiness


def deployment_status() -> dict[str, Any]:
    checks = readiness()
    db = dj_database_url.parse(settings.DATABASE_URL)
    status: dict[str, Any] = {
        "ready": is_ready(checks),
        "checks": checks,
        "environment": settings.DENGAR_ENV,
        # Where, never with which password.
        "database": {"engine": db["ENGINE"].rsplit(".", 1)[-1], "host": db.get("HOST") or "", "name": str(db["NAME"])},
        "broker": {"kind": "redis" if settings.REDIS_URL else "embedded", "queue": settings.CELERY_TASK_DEFAULT_QUEUE,
                   "waiting": broker_backlog()},
    }
    if checks["database"] == "ok":
        status["sources"] = sources_status()
        status["alerts"] = alerts_status()
    return status


class Command(BaseCommand):
    help = _("Readiness, poll lag, broker backlog and alert deliveries of this deployment.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", dest="as_json", help=_("One JSON object, for scripts."))

    def handle(self, *args: Any, as_json: bool = False, **options: Any) -> None:
        status = deployment_status()
        if as_json:
            self.stdout.write(json.dumps(status, default=str, sort_keys=True))
        else:
            self._print(status)
        if not status["ready"]:
            sys.exit(1)

    def _print(self, status: dict[str, Any]) -> None:
        style = self.style.SUCCESS if status["ready"] else self.style.ERROR
        self.stdout.write(style(_("Ready") if status["ready"] else _("Not ready")))
        for name, outcome in status["checks"].items():
            self.stdout.write(f"  {name:<11} {outcome}")
        db, broker = status["database"], status["broker"]
        where = f"{db['host']}/{db['name']}" if db["host"] else db["name"]
        self.stdout.write(_("Environment: %(env)s; database: %(engine)s %(where)s") % {
            "env": status["environment"], "engine": db["engine"], "where": where})
        waiting = _("unknown") if broker["waiting"] is None else broker["waiting"]
        self.stdout.write(_("Broker: %(kind)s, queue %(queue)s, %(waiting)s message(s) waiting") % {
            **broker, "waiting": waiting})
        if "sources" in status:
            s = status["sources"]
            self.stdout.write(_(
                "Sources: %(total)s (%(paused)s paused); %(polling)s polling now, %(due)s due, "
                "%(behind)s behind by 5 min or more (worst %(worst_lag_seconds)s s), %(failing)s failing"
            ) % s)
            a = status["alerts"]
            self.stdout.write(_(
                "Alerts: %(live)s live; deliveries %(pending)s pending, %(overdue)s overdue, "
                "%(failed)s failed in 24 h"
            ) % {"live": a["live_alerts"], "pending": a["deliveries"]["pending"],
                 "overdue": a["deliveries"]["overdue"], "failed": a["deliveries"]["failed_last_24h"]})
