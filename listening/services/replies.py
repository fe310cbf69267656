"""Answering a mention from Dengar, through the platform it came from.

One attempt per idempotency key: the attempt's row (``OutgoingReply``, unique per tenant, mention
and key) is created once, and only the request that created it posts to the platform, so a double
click or a retried request posts once and gets the first attempt's outcome. While an attempt is
pending, no other is started for the same mention. The post happens outside any transaction; what
it changes is written after it succeeded, in one transaction: the brand's reply stored as a
mention (a brand reply, with who sent it), the complaint answered (an event with the sender as
actor), the attempt marked sent. A failed post changes nothing but the attempt, which says why.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from listening.models import Mention, OutgoingReply, ReplyStatus
from listening.models.complaints import ComplaintAction
from listening.models.mentions import ComplaintStatus
from listening.scoping import TenantScopeMissing, current_tenant
from listening.services.complaint_transitions import ComplaintError, complaint_transition
from listening.services.credentials import CredentialError, source_adapter_config
from listening.services.ingestion import MentionRow, brand_replies_link, mention_rows_insert
from listening.services.sources import error_for_health
from workers.adapters import registry
from workers.adapters.base import AdapterError

logger = logging.getLogger("dengar.replies")

MAX_REPLY_CHARS = 2000
# An attempt still pending after this long was cut short (its worker died mid-way): it no longer
# stops a new one.
PENDING_BLOCKS_FOR = timedelta(minutes=2)


class ReplyRefused(Exception):
    """The reply cannot be sent at all (nothing was posted); the message says why, for people."""


class ReplyInProgress(ReplyRefused):
    """Another reply to the same mention is being sent."""


def reply_supported(*, kind: str) -> bool:
    """Whether sources of ``kind`` can post a reply through their platform."""
    try:
        cls = registry.adapter_class(kind)
    except registry.UnknownAdapter:
        return False
    return bool(getattr(cls, "can_reply", False)) and callable(getattr(cls, "reply", None))


def _check(mention: Mention, text: str) -> None:
    if not text:
        raise ReplyRefused(_("Write the reply first."))
    if len(text) > MAX_REPLY_CHARS:
        raise ReplyRefused(_("A reply has at most %(n)d characters.") % {"n": MAX_REPLY_CHARS})
    if mention.is_brand_reply:
        raise ReplyRefused(_("This is the brand's own reply."))
    if mention.deleted_at is not None:
        raise ReplyRefused(_("Its author deleted it on the platform: there is nothing to reply to."))
    if not reply_supported(kind=mention.source.kind):
        raise ReplyRefused(_("This mention's source cannot post replies; answer it on its platform."))


def mention_reply_send(*, mention: Mention, actor: User, text: str, idempotency_key: str) -> OutgoingReply:
    """Post ``text`` as the brand's reply to ``mention``, once per ``idempotency_key``; return the
    attempt (sent, or failed with its error). Raises ReplyRefused when nothing may be posted.
    Runs in the mention's tenant's scope."""
    if mention.tenant_id != current_tenant().pk:
        raise TenantScopeMissing("The mention is not the scope's tenant's")
    text = text.strip()
    _check(mention, text)
    attempt = OutgoingReply(tenant_id=mention.tenant_id, mention=mention, idempotency_key=idempotency_key,
                            text=text, sent_by=actor)
    try:
        with transaction.atomic():
            # Locked, so that two attempts with different keys do not both start.
            Mention.objects.select_for_update().filter(pk=mention.pk).first()
            same = OutgoingReply.objects.filter(mention=mention, idempotency_key=idempotency_key).first()
            if same is not None:
                return same
            if OutgoingReply.objects.filter(mention=mention, status=ReplyStatus.PENDING,
                                            created_at__gte=timezone.now() - PENDING_BLOCKS_FOR).exists():
                raise ReplyInProgress(_("Another reply to this mention is being sent."))
            attempt.save()
    except IntegrityError:  # the same key created meanwhile: its outcome is this request's
        return OutgoingReply.objects.get(mention=mention, idempotency_key=idempotency_key)
    try:
        adapter: Any = registry.build(mention.source.kind, source_adapter_config(source=mention.source))
        posted_id = adapter.reply(to_external_id=mention.external_id,
                                  thread_external_id=mention.thread_external_id, text=text)
    except (AdapterError, CredentialError, ValueError, registry.UnknownAdapter) as exc:
        return _finish(attempt, status=ReplyStatus.FAILED, error=error_for_health(exc))
    return _record_sent(attempt, mention=mention, actor=actor, posted_id=posted_id)


def _finish(attempt: OutgoingReply, *, status: str, error: str = "", external_id: str = "") -> OutgoingReply:
    now = timezone.now()
    OutgoingReply.objects.filter(pk=attempt.pk, status=ReplyStatus.PENDING).update(
        status=status, error=error, external_id=external_id, finished_at=now)
    attempt.refresh_from_db()
    if status == ReplyStatus.FAILED:
        logger.warning("reply %s to mention %s failed: %s", attempt.pk, attempt.mention_id, error)
    return attempt


def _record_sent(attempt: OutgoingReply, *, mention: Mention, actor: User, posted_id: str) -> OutgoingReply:
    now = timezone.now()
    source = mention.source
    row = MentionRow(
        tenant_id=mention.tenant_id, source_id=source.pk, brand_id=mention.brand_id, external_id=posted_id[:200],
        platform=mention.platform, author_handle=source.name[:200], text=attempt.text, url=mention.url,
        published_at=now, ingested_at=now, parent_external_id=mention.external_id,
        thread_external_id=mention.thread_external_id or mention.external_id, is_brand_reply=True, lang="",
        sentiment_score=0.0, sentiment="neutral", intent="other", is_complaint=False, complaint_confidence=0.0,
        is_spam=False,
    )
    with transaction.atomic():
        current = Mention.objects.select_for_update().get(pk=mention.pk)
        if current.is_complaint and current.complaint_status == ComplaintStatus.OPEN:
            # Changed meanwhile: the reply still went out, and is linked below all the same.
            with contextlib.suppress(ComplaintError):
                complaint_transition(mention=current, action=ComplaintAction.ANSWERED, actor=actor,
                                     note="Answered from Dengar.", changes={"answered_at": now})
        mention_rows_insert([row])
        Mention.objects.filter(source_id=source.pk, external_id=row.external_id).update(replied_by=actor)
        brand_replies_link(tenant_id=mention.tenant_id, rows=[row])
        return _finish(attempt, status=ReplyStatus.SENT, external_id=posted_id[:200])
