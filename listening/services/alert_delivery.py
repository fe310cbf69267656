"""Alert delivery: the notifications of an alert's opening or resolution to the tenant's channels
(e-mail, signed webhooks, Slack payloads), retried with backoff, and the ones whose task was lost
queued again.

The task that makes an attempt (``workers.tasks.alerts.alert_deliver``) is queued by its name,
after the transaction commits: services sit below the tasks and never import them.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from celery import Task, current_app
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from listening import figures
from listening.jsonsafe import json_dumps, json_safe
from listening.models import Alert, AlertChannel, AlertDelivery
from listening.models.alerts import ChannelKind, DeliveryEvent, DeliveryStatus, PayloadFormat
from listening.scoping import tenant_scope
from listening.services.webhook_targets import WebhookTargetRefused, webhooks_may_reach_private
from workers.adapters.httpclient import AddressRefused, HttpFailure, TimedOut, http_request, retry_after_seconds

BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 3600
# A pending delivery this long past its due time lost its task (a broker restart, a purge):
# queue it again. Far beyond a normal queue wait, so a task that is merely late is not doubled,
# and a doubled one is harmless anyway (the attempt is claimed by compare-and-set).
LOST_AFTER = timedelta(minutes=15)
# A retry whose wait is longer than a broker may hold a task has no task: the sweep queues it
# once it is this far past due (a sweep runs every few minutes).
LONG_WAIT_GRACE = timedelta(minutes=1)
REQUEUE_BATCH = 500
RETRY_AFTER_MAX_SECONDS = 6 * 3600
DELIVER_TASK = "workers.tasks.alerts.alert_deliver"


def _deliver_task() -> Task:
    """The delivery task, found by name in the Celery app's registry. Where nothing has loaded
    the task modules yet (a web process), the app's autodiscovery loads them first, as a worker
    does when it starts."""
    app = current_app
    if DELIVER_TASK not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[DELIVER_TASK]


def deliveries_queue(*, alerts: list[Alert], event: str, now: datetime) -> None:
    """One delivery per alert and interested channel, sent by a task once the transaction commits.

    Called once per opening or resolution, each claimed by an insert or a compare-and-set in the
    same transaction, so the deliveries are new: no two callers can queue the same one.
    ``alerts`` are the sweep's, of any tenants: each gets its own tenant's channels.
    """
    if not alerts:
        return
    channels: dict[int, list[AlertChannel]] = defaultdict(list)
    for channel in AlertChannel.all_tenants.filter(tenant_id__in={a.tenant_id for a in alerts}, active=True):
        channels[channel.tenant_id].append(channel)
    deliveries = AlertDelivery.all_tenants.bulk_create([
        AlertDelivery(tenant_id=alert.tenant_id, alert=alert, channel=channel, event=event,
                      next_attempt_at=now, created_at=now)
        for alert in alerts for channel in channels[alert.tenant_id] if channel.wants(alert.kind)
    ], batch_size=500)
    for delivery in deliveries:
        _deliver_task().delay_on_commit(delivery.pk, attempt=1)


def delivery_countdown_max_seconds() -> float:
    """The longest countdown a delivery task may be queued with.

    Redis hands an unacknowledged message (and a task waiting for its ETA is one) to another
    worker after the visibility timeout: a retry queued for longer than that would run twice.
    A longer wait is kept in ``next_attempt_at`` only, and the sweep queues it when it is due."""
    configured = float(settings.DENGAR.get("ALERT_RETRY_COUNTDOWN_MAX_SECONDS", 300))
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None) or {}
    visibility = options.get("visibility_timeout")
    if visibility:
        configured = min(configured, float(visibility) / 2)
    return configured


def deliveries_requeue_lost(*, now: datetime | None = None) -> int:
    """Queue again the pending deliveries that have no task: a first attempt whose task was
    lost, an attempt whose worker died, a retry due after a wait too long for the broker.
    Returns how many. The periodic sweep's: it crosses tenants on purpose."""
    now = now or timezone.now()
    with transaction.atomic():
        lost = list(
            AlertDelivery.all_tenants.select_for_update(skip_locked=True)
            .filter(Q(next_attempt_at__lt=now - LOST_AFTER)
                    | Q(attempts__gt=0, next_attempt_at__lte=now - LONG_WAIT_GRACE),
                    status=DeliveryStatus.PENDING)
            .order_by("next_attempt_at").values_list("pk", "attempts")[:REQUEUE_BATCH]
        )
        if lost:
            # Due now: the next sweep leaves them alone unless this task is lost too.
            AlertDelivery.all_tenants.filter(pk__in=[pk for pk, _ in lost]).update(next_attempt_at=now)
            for pk, attempts in lost:
                _deliver_task().delay_on_commit(pk, attempt=attempts + 1)
    return len(lost)


class DeliveryError(Exception):
    def __init__(self, message: str, *, retry: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry = retry
        self.retry_after = retry_after


@dataclass(frozen=True)
class DeliveryOutcome:
    status: str
    # Seconds until the next attempt, when its task is to be queued now (a wait longer than
    # ``delivery_countdown_max_seconds`` is left to the sweep: retry_in is None then).
    retry_in: float | None = None
    next_attempt: int | None = None  # the attempt number that task is for


def delivery_id_of(delivery: AlertDelivery) -> str:
    """The id a receiver deduplicates by: the same on every attempt of one notification."""
    return f"dlv_{delivery.pk}"


def alert_delivery_attempt(*, delivery_id: int, attempt: int | None = None,
                           now: datetime | None = None) -> DeliveryOutcome:
    """Make attempt number ``attempt`` of one pending delivery; on a transient failure, say
    when to try again.

    The attempt is claimed by a compare-and-set on the attempt count, so two copies of a task
    (a broker redelivery, a task the sweep queued again) never send concurrently, and a copy
    for an attempt already made ("stale": its retry is scheduled) sends nothing. ``attempt``
    None is whatever attempt is next (tasks queued before attempts were numbered).

    The task names the delivery only: it is found among every tenant's by its id, and attempted in
    the scope of its alert's tenant."""
    now = now or timezone.now()
    delivery = (AlertDelivery.all_tenants.select_related("alert", "channel", "alert__tenant")
                .filter(pk=delivery_id).first())
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        return DeliveryOutcome(delivery.status if delivery else "missing")
    attempts = delivery.attempts + 1
    if attempt is not None and attempt != attempts:
        return DeliveryOutcome("stale")
    with tenant_scope(delivery.alert.tenant):
        return _attempt(delivery, attempts=attempts, now=now)


def _attempt(delivery: AlertDelivery, *, attempts: int, now: datetime) -> DeliveryOutcome:
    # Claimed until the send's deadline has long passed: the sweep does not queue it meanwhile.
    lease = timedelta(seconds=2 * _webhook_deadline() + 60)
    if not AlertDelivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.PENDING, attempts=delivery.attempts
    ).update(attempts=attempts, next_attempt_at=now + lease):
        return DeliveryOutcome("claimed")
    delivery.attempts = attempts
    max_attempts = settings.DENGAR.get("ALERT_DELIVERY_MAX_ATTEMPTS", 6)
    try:
        deliver(channel=delivery.channel, alert=delivery.alert, event=delivery.event, now=now,
                delivery=delivery)
    except DeliveryError as exc:
        if exc.retry and attempts < max_attempts:
            delay = exc.retry_after if exc.retry_after is not None else min(
                BACKOFF_BASE_SECONDS * 2 ** (attempts - 1), BACKOFF_MAX_SECONDS)
            AlertDelivery.objects.filter(pk=delivery.pk).update(
                last_error=str(exc)[:2000], next_attempt_at=now + timedelta(seconds=delay))
            if delay > delivery_countdown_max_seconds():
                return DeliveryOutcome(DeliveryStatus.PENDING)  # the sweep queues it when due
            return DeliveryOutcome(DeliveryStatus.PENDING, retry_in=delay, next_attempt=attempts + 1)
        AlertDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED, last_error=str(exc)[:2000])
        return DeliveryOutcome(DeliveryStatus.FAILED)
    AlertDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENT, sent_at=now, last_error="")
    return DeliveryOutcome(DeliveryStatus.SENT)


def deliver(*, channel: AlertChannel, alert: Alert, event: str, now: datetime,
            delivery: AlertDelivery | None = None) -> None:
    if channel.kind == ChannelKind.EMAIL:
        _send_email(channel=channel, alert=alert, event=event)
    elif channel.kind == ChannelKind.WEBHOOK:
        _post_webhook(channel=channel, alert=alert, event=event, now=now, delivery=delivery)
    else:
        raise DeliveryError(f"unknown channel kind {channel.kind!r}", retry=False)


def _subject(alert: Alert, event: str) -> str:
    prefix = gettext("Resolved") if event == DeliveryEvent.RESOLVED else alert.get_severity_display()
    return f"[Dengar · {alert.tenant.name}] {prefix}: {alert.title}"


def _send_email(*, channel: AlertChannel, alert: Alert, event: str) -> None:
    recipients = [a.strip() for a in channel.target.split(",") if a.strip()]
    # Times in the tenant's zone, with the zone: the team reads them beside its own pages.
    opened = figures.local_time(alert.opened_at, alert.tenant.timezone)
    body = f"{alert.title}\n\n{alert.explanation}\n\n" + gettext("Status: %(event)s. Opened %(opened)s.") % {
        "event": event, "opened": opened}
    try:
        send_mail(_subject(alert, event), body, settings.DEFAULT_FROM_EMAIL, recipients)
    except OSError as exc:  # smtplib.SMTPException is an OSError
        raise DeliveryError(f"email: {exc}", retry=True) from exc


def alert_payload(*, alert: Alert, event: str, payload_format: str,
                  delivery: AlertDelivery | None = None) -> dict[str, Any]:
    if payload_format == PayloadFormat.SLACK:
        verb = "resolved" if event == DeliveryEvent.RESOLVED else "opened"
        return {
            "text": f"{_subject(alert, event)}\n{alert.explanation}",
            "blocks": [
                {"type": "header", "text": {"type": "plain_text", "text": alert.title[:150]}},
                {"type": "section", "text": {"type": "mrkdwn", "text": alert.explanation or alert.title}},
                {"type": "context", "elements": [{"type": "mrkdwn", "text": (
                    f"*{alert.tenant.name}* · {alert.get_kind_display()} · "
                    f"{alert.get_severity_display()} · {verb}")}]},
            ],
        }
    payload: dict[str, Any] = {
        "event": f"alert.{event}",
        "tenant": alert.tenant.slug,
        "alert": {
            "id": alert.pk, "kind": alert.kind, "key": alert.key, "status": alert.status,
            "severity": alert.severity, "title": alert.title, "explanation": alert.explanation,
            # Rows stored before non-finite figures were refused (SQLite took them) say null too.
            "data": json_safe(alert.data), "opened_at": alert.opened_at.isoformat(),
            "resolved_at": alert.resolved_at.isoformat() if alert.resolved_at else None,
        },
    }
    if delivery is not None:
        # Signed with the body: a receiver can trust the id it deduplicates by.
        payload["delivery"] = {"id": delivery_id_of(delivery), "attempt": delivery.attempts}
    return payload


def webhook_signature(*, secret: str, timestamp: str, body: str) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def _webhook_deadline() -> float:
    return float(settings.DENGAR.get("ALERT_WEBHOOK_DEADLINE_SECONDS", 30))


def _post_webhook(*, channel: AlertChannel, alert: Alert, event: str, now: datetime,
                  delivery: AlertDelivery | None = None) -> None:
    body = json_dumps(alert_payload(alert=alert, event=event, payload_format=channel.payload_format,
                                    delivery=delivery),
                      separators=(",", ":"), sort_keys=True, default=str)
    timestamp = str(int(now.timestamp()))
    headers = {"Content-Type": "application/json", "User-Agent": "Dengar-Alerts/1",
               "X-Dengar-Timestamp": timestamp}
    if delivery is not None:
        headers["X-Dengar-Delivery"] = delivery_id_of(delivery)
        headers["X-Dengar-Attempt"] = str(delivery.attempts)
    if channel.secret:
        headers["X-Dengar-Signature"] = webhook_signature(secret=channel.secret,
                                                          timestamp=timestamp, body=body)
    url = urllib.parse.urlsplit(channel.target)
    if url.scheme not in ("http", "https"):
        raise DeliveryError("webhook: only http(s) URLs are allowed", retry=False)
    try:
        if not url.hostname:
            raise WebhookTargetRefused("the URL has no host")
        _ = url.port  # raises ValueError on a malformed port
    except ValueError as exc:
        raise DeliveryError(f"webhook: refused: {exc}", retry=False) from exc
    # Resolving at each delivery (not when the channel was saved) is what counts: a name's
    # addresses change. Each read may take the read timeout (a receiver that does its work before
    # answering is not a failure), and the whole POST at most the deadline (a receiver that
    # trickles bytes cannot hold a worker).
    try:
        response = http_request(
            channel.target, method="POST", headers=headers, data=body.encode(),
            allow_private=webhooks_may_reach_private(), deadline_seconds=_webhook_deadline(),
            timeout=float(settings.DENGAR.get("ALERT_WEBHOOK_READ_TIMEOUT_SECONDS", 25)),
            max_bytes=1024, truncate=True,
        )
    except AddressRefused as exc:  # permanent: retrying would reach the same place
        logging.getLogger("dengar.alerts").warning(
            "webhook refused: %s resolves to %s, not a public address", exc.host, exc.ip)
        raise DeliveryError(f"webhook: refused: {exc}; webhooks may only reach public addresses "
                            "(DENGAR_WEBHOOK_ALLOW_PRIVATE=1 allows private ones)", retry=False) from exc
    except TimedOut as exc:
        if exc.whole:
            raise DeliveryError(f"webhook: no complete answer within the {_webhook_deadline():g} s deadline",
                                retry=True) from exc
        raise DeliveryError(f"webhook: {exc}", retry=True) from exc
    except HttpFailure as exc:  # refused, reset, a name that does not resolve (now)
        raise DeliveryError(f"webhook: {exc}", retry=exc.transient) from exc
    code = response.status
    if code == 429:
        wait = retry_after_seconds(response.headers, now)
        raise DeliveryError("webhook: HTTP 429", retry=True, retry_after=None if wait is None else min(
            max(wait, 1.0), RETRY_AFTER_MAX_SECONDS))
    if code >= 300:
        raise DeliveryError(f"webhook: HTTP {code}", retry=code >= 500 or code == 408)
