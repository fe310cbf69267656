"""Run Dengar for real on one machine: web server, Celery worker and Celery beat together."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from listening.management.commands.seed_demo import DEMO_PASSWORD, DEMO_USERNAME


class Command(BaseCommand):
    help = "Start the web server, a Celery worker and Celery beat; stop all three on Ctrl-C."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument("--concurrency", type=int, default=2)
        parser.add_argument(
            "--server", choices=["gunicorn", "runserver"], default="gunicorn",
            help="gunicorn, as in production (default), or Django's development server.",
        )

    def handle(self, *args: Any, addr: str, concurrency: int, server: str, **options: Any) -> None:
        python = sys.executable
        manage = str(settings.BASE_DIR / "manage.py")
        # A demo should show its alerts within a minute, not after the production five.
        env = {"DENGAR_ALERT_SWEEP_SECONDS": "60", **os.environ, "PYTHONUNBUFFERED": "1"}
        # The production server with the production configuration (listening/gunicorn_conf.py), two
        # processes; whitenoise serves the static files from the apps' folders in development.
        web = (
            [python, "-m", "gunicorn", "--config", "python:listening.gunicorn_conf", "--bind", addr,
             "--workers", "2", "listening.wsgi:application"]
            if server == "gunicorn"
            else [python, manage, "runserver", addr, "--noreload"]
        )
        commands = {
            "web": web,
            "worker": [python, "-m", "celery", "-A", "workers", "worker", "--loglevel", "INFO",
                       "--concurrency", str(concurrency), "--hostname", "dengar@%h"],
            "beat": [python, "-m", "celery", "-A", "workers", "beat", "--loglevel", "INFO",
                     "--schedule", settings.CELERY_BEAT_SCHEDULE_FILENAME],
        }
        broker = "Redis" if settings.REDIS_URL else f"embedded (files in {settings.BROKER_DIR})"
        database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        children = {
            name: subprocess.Popen(cmd, cwd=settings.BASE_DIR, env=env)
            for name, cmd in commands.items()
        }
        self.stdout.write(self.style.SUCCESS(
            "\n  Dengar is running.\n"
            f"    Dashboard:  http://{addr}/\n"
            f"    Login:      {DEMO_USERNAME} / {DEMO_PASSWORD}\n"
            f"    API:        http://{addr}/api/v1/  (schema at /api/v1/schema/)\n"
            f"    Database:   {database}; broker: {broker}\n"
            "  The worker backfills the demo's history first; the dashboard fills up as it polls.\n"
            "  Press Ctrl-C to stop.\n"
        ))
        stopping = False

        def stop(*_: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        code = 0
        try:
            while not stopping:
                for name, child in children.items():
                    if child.poll() is not None:
                        self.stderr.write(f"{name} exited with code {child.returncode}; stopping.")
                        code = child.returncode or 1
                        stopping = True
                time.sleep(0.5)
        finally:
            for child in children.values():
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 15
            for child in children.values():
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
        if code:
            sys.exit(code)
