"""Alert test helpers: hourly rollups with a daily rhythm, and a real webhook receiver."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np
import pytest
from django.utils import timezone

from listening.models import VolumeHourly
from workers.celery import app as celery_app

HOURS = 35 * 24


def last_full_hour(now: datetime) -> datetime:
    return now.replace(minute=0, second=0, microsecond=0)


def rhythm(level: float, *, seed: int, drop_last: int = 0, drop_to: float = 1.0,
           zero_last: int = 0) -> np.ndarray:
    """35 days of hourly counts around ``level`` with a daily cycle; optionally the last
    ``drop_last`` hours at ``drop_to`` of it, or the last ``zero_last`` hours empty."""
    hours = np.arange(HOURS)
    mean = level * (1 + 0.5 * np.sin(2 * np.pi * (hours % 24) / 24))
    if drop_last:
        mean[-drop_last:] *= drop_to
    counts = np.random.default_rng(seed).poisson(mean)
    if zero_last:
        counts[-zero_last:] = 0
    return counts


def add_rollups(*, source, brand, counts: np.ndarray, now: datetime) -> None:
    """Hourly rows ending with the last full hour before ``now``."""
    end = last_full_hour(now)
    start = end - timedelta(hours=len(counts))
    VolumeHourly.all_tenants.bulk_create([
        VolumeHourly(tenant_id=source.tenant_id, source=source, brand=brand,
                     bucket=start + timedelta(hours=i), mentions=int(n))
        for i, n in enumerate(counts) if n
    ], batch_size=2000)


@pytest.fixture(autouse=True)
def webhooks_may_reach_private(settings) -> None:
    # The receiver below listens on 127.0.0.1, which the default refuses; the tests of that
    # refusal (test_webhook_targets.py) turn it back off.
    settings.DENGAR = {**settings.DENGAR, "WEBHOOK_ALLOW_PRIVATE": True}


@pytest.fixture
def now() -> datetime:
    # A quarter past the hour, so that a test's second sweep minutes later sees the same full
    # hours as the first (the sweep never reads the hour in progress).
    return timezone.now().replace(minute=15, second=0, microsecond=0)


@pytest.fixture
def eager() -> Iterator[None]:
    # Not propagating: Celery runs an eager task's retries itself only when the Retry raised
    # by ``self.retry`` is not propagated. Outcomes are asserted on the delivery rows.
    saved = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = True, False
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = saved


class Receiver:
    """A webhook endpoint on 127.0.0.1 that records requests and answers from a script.

    ``think_seconds`` delays every answer (a receiver that does its work first); with
    ``trickle_seconds`` the status line is sent one byte at a time, that far apart."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.script: list[tuple[int, dict[str, str]]] = []
        self.think_seconds = 0.0
        self.trickle_seconds = 0.0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                receiver.requests.append({"headers": dict(self.headers), "body": body,
                                          "json": json.loads(body), "path": self.path})
                time.sleep(receiver.think_seconds)
                if receiver.trickle_seconds:
                    try:
                        for byte in b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n":
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(receiver.trickle_seconds)
                    except OSError:
                        pass  # the sender gave up
                    self.close_connection = True
                    return
                status, headers = receiver.script.pop(0) if receiver.script else (200, {})
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()
