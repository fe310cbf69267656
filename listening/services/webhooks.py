"""What platforms push: Meta's webhooks, checked, then stored like polled items.

A webhook address names one source by its ``webhook_key`` (a random UUID, never its id): the
source decides the tenant, the secrets the request is checked with and the account whose items
are taken, so a request can only ever write into the source it names, and only items of that
source's own account. The signature (``X-Hub-Signature-256``, HMAC-SHA256 of the raw body with
the source's app secret) is checked before the body is parsed; every refusal is counted on the
source (``webhook_rejected``), where its health shows it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import F
from django.utils import timezone

from listening.models import Source
from listening.scoping import tenant_scope_of
from listening.services.credentials import CredentialError, secrets_read, source_adapter_config
from listening.services.ingestion import IngestReport, mentions_ingest
from workers.adapters import registry

logger = logging.getLogger("dengar.webhooks")

META_KINDS = frozenset({"instagram", "facebook"})
# Meta's challenge is a number; anything else is not echoed.
_CHALLENGE = re.compile(r"^[A-Za-z0-9_\-]{1,200}$")


@dataclass(frozen=True)
class WebhookAnswer:
    status: int
    body: str = ""
    report: IngestReport | None = None


def webhook_source(*, key: uuid.UUID, kinds: frozenset[str] = META_KINDS) -> Source | None:
    """The source a webhook address names, across tenants by design: the key is the only thing
    a platform can send, and it is unguessable. None for an unknown key or another kind. What
    follows is the found source's tenant's: the services below work in its scope."""
    return Source.all_tenants.select_related("tenant").filter(webhook_key=key, kind__in=kinds).first()


def webhook_rejection_count(*, source: Source, why: str) -> None:
    """Count a refused request on the source (one UPDATE, safe under concurrency)."""
    with tenant_scope_of(source.tenant):
        Source.objects.filter(pk=source.pk).update(
            webhook_rejected=F("webhook_rejected") + 1, webhook_rejected_at=timezone.now())
    logger.warning("source %s (%s): webhook request refused: %s", source.pk, source.kind, why)


def _secret(source: Source, name: str) -> str:
    try:
        return secrets_read(source=source).get(name, "")
    except CredentialError:
        return ""


def meta_subscription_answer(*, source: Source, mode: str, verify_token: str, challenge: str) -> WebhookAnswer:
    """Meta's subscription handshake: echo the challenge if the verify token is the source's."""
    expected = _secret(source, "verify_token")
    if mode != "subscribe" or not expected or not hmac.compare_digest(verify_token.encode(), expected.encode()):
        webhook_rejection_count(source=source, why="subscription with a wrong verify token")
        return WebhookAnswer(403)
    if not _CHALLENGE.match(challenge):
        return WebhookAnswer(400)
    return WebhookAnswer(200, challenge)


def meta_signature_valid(*, app_secret: str, body: bytes, header: str) -> bool:
    """Whether ``header`` is ``sha256=<hex HMAC-SHA256 of body with app_secret>``."""
    if not app_secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(header[len("sha256="):].strip().lower().encode(), expected.encode())


def meta_delivery_receive(*, source: Source, body: bytes, signature: str) -> WebhookAnswer:
    """A signed delivery: checked, parsed by the source's adapter, stored like polled items."""
    if not meta_signature_valid(app_secret=_secret(source, "app_secret"), body=body, header=signature):
        webhook_rejection_count(source=source, why="missing or bad X-Hub-Signature-256")
        return WebhookAnswer(403)
    try:
        payload: Any = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        webhook_rejection_count(source=source, why="a signed body that is not JSON")
        return WebhookAnswer(400)
    if source.paused:  # the tenant stopped collecting: acknowledged, so Meta does not resend
        return WebhookAnswer(200, "paused")
    try:
        adapter = registry.build(source.kind, source_adapter_config(source=source))
    except (registry.UnknownAdapter, ValueError, CredentialError) as exc:
        logger.warning("source %s: webhook delivery not read: %s", source.pk, exc)
        return WebhookAnswer(200, "not read")
    items = adapter.webhook_items(payload)  # type: ignore[attr-defined]
    report = mentions_ingest(source=source, batch=items, expected_cursor=None, next_cursor=None, pushed=True)
    return WebhookAnswer(200, "ok", report)
