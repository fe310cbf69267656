"""Writing mentions: validate, understand, upsert, move the cursor, refresh rollups; atomically."""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from listening.analysis.base import get_classifier
from listening.analysis.engine.needs_reply import reply_kind
from listening.analysis.rules import phrases_regex
from listening.models import Brand, BrandAccount, ComplaintEvent, Mention, Source
from listening.models.brands import normalise_handle
from listening.models.complaints import ComplaintAction
from listening.models.mentions import ComplaintStatus
from listening.scoping import TenantScopeMissing, current_tenant, tenant_scope_of
from listening.selectors.rules import apply_tenant_overrides
from listening.services.mention_validation import CleanMention, Rejected, mention_validate
from listening.services.rollups import volume_refresh
from workers.adapters.base import RawMention

logger = logging.getLogger("dengar.ingest")

class StaleCursor(Exception):
    """The source's cursor moved since this poll read it: another poll already stored the batch."""


@dataclass
class IngestReport:
    received: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    edited: int = 0  # stored mentions whose text the source changed
    deleted: int = 0  # stored mentions the source says are gone


@dataclass(slots=True)
class MentionRow:
    """A mention on its way into the table: plain values, cheaper than a model instance."""

    tenant_id: int
    source_id: int
    brand_id: int | None
    external_id: str
    platform: str
    author_handle: str
    text: str
    url: str
    published_at: datetime
    ingested_at: datetime
    parent_external_id: str
    thread_external_id: str
    is_brand_reply: bool
    lang: str
    sentiment_score: float
    sentiment: str
    intent: str
    is_complaint: bool
    complaint_confidence: float
    is_spam: bool
    answered_at: datetime | None = None
    complaint_status: str = ""
    reply_kind: str = ""


class BrandMatcher:
    """Which of a tenant's brands a text is about: a name, alias or keyword, and no exclusion."""

    def __init__(self, brands: Iterable[Brand]) -> None:
        self._rules: list[tuple[Brand, re.Pattern[str], re.Pattern[str] | None]] = []
        for brand in brands:
            # The same matching as a brand-specific phrase rule's (listening.analysis.rules).
            include = phrases_regex(brand.terms())
            if include is not None:
                self._rules.append((brand, include, phrases_regex(brand.exclusions)))

    def match(self, text: str) -> Brand | None:
        lowered = text.lower()
        for brand, include, exclude in self._rules:
            if include.search(lowered) and not (exclude and exclude.search(lowered)):
                return brand
        return None


def _validated(source: Source, batch: Sequence[RawMention], report: IngestReport, now: datetime) -> list[CleanMention]:
    clean: dict[str, CleanMention] = {}
    for index, raw in enumerate(batch):
        try:
            item = mention_validate(raw, now=now)
        except Rejected as exc:
            reason = str(exc)
            report.rejected += 1
            report.reasons[reason] += 1
            logger.warning(
                "source %s (%s): dropped item %d of %d: %s",
                source.pk, source.kind, index, len(batch), reason,
            )
            continue
        if item.external_id in clean:
            report.duplicates += 1
            continue
        clean[item.external_id] = item
    return list(clean.values())


def mentions_ingest(
    *,
    source: Source,
    batch: Sequence[RawMention],
    expected_cursor: Any,
    next_cursor: Any,
    has_more: bool = False,
    pushed: bool = False,
) -> IngestReport:
    """Store one fetched batch and move the source's cursor, in one transaction.

    Idempotent: a batch stored twice (a redelivered task, a retried poll) adds nothing the second
    time. Raises StaleCursor, writing nothing, if the cursor is no longer ``expected_cursor``.
    A ``pushed`` batch (a webhook's) is stored the same way, but leaves the poll's cursor,
    schedule, claim and health alone: it only adds to the counts.

    The batch is the source's tenant's, and everything here runs in that tenant's scope: the
    caller's (the poll task's), or, called outside any scope (a command), one entered here
    (``tenant_scope_of``). A caller in another tenant's scope is refused.
    """
    with tenant_scope_of(source.tenant):
        return _ingest(source=source, batch=batch, expected_cursor=expected_cursor,
                       next_cursor=next_cursor, has_more=has_more, pushed=pushed)


def _ingest(
    *, source: Source, batch: Sequence[RawMention], expected_cursor: Any, next_cursor: Any,
    has_more: bool, pushed: bool,
) -> IngestReport:
    now = timezone.now()
    report = IngestReport(received=len(batch))
    # What the source says is gone is marked so, not stored.
    gone = {str(r.external_id) for r in batch if isinstance(r, RawMention) and r.deleted is True and r.external_id}
    batch = [r for r in batch if not (isinstance(r, RawMention) and r.deleted is True)]
    items = _validated(source, batch, report, now)
    tenant = source.tenant
    classifier = get_classifier()
    texts = [i.text for i in items]
    # Engine first, then the tenant's own rules and corrections' phrases (rules beat the engine).
    analyses = apply_tenant_overrides(tenant=tenant, texts=texts, analyses=classifier.classify_many(texts))

    with transaction.atomic():
        locked = Source.objects.select_for_update().get(pk=source.pk)
        if not pushed and locked.cursor != expected_cursor:
            raise StaleCursor(f"source {source.pk}: cursor moved from {expected_cursor!r}")

        brands = list(Brand.objects.all())
        matcher = BrandMatcher(brands)
        handles = {
            (platform, handle)
            for platform, handle in BrandAccount.objects.values_list(
                "platform", "handle"
            )
        }
        rows: list[MentionRow] = []
        for item, analysis in zip(items, analyses, strict=True):
            platform = item.platform or locked.config.get("platform", "") or ""
            is_brand_reply = item.is_brand_reply or (platform, normalise_handle(item.author_handle)) in handles
            brand = matcher.match(item.text)
            rows.append(
                MentionRow(
                    tenant_id=tenant.pk,
                    source_id=locked.pk,
                    brand_id=brand.pk if brand else locked.brand_id,
                    external_id=item.external_id,
                    platform=platform,
                    author_handle=item.author_handle,
                    text=item.text,
                    url=item.url,
                    published_at=item.published_at,
                    ingested_at=now,
                    parent_external_id=item.parent_external_id,
                    thread_external_id=item.thread_external_id or item.parent_external_id,
                    is_brand_reply=is_brand_reply,
                    lang=analysis.lang,
                    sentiment_score=analysis.sentiment_score,
                    sentiment=analysis.sentiment,
                    intent="other" if is_brand_reply else analysis.intent,
                    is_complaint=analysis.is_complaint and not is_brand_reply,
                    complaint_confidence=analysis.complaint_confidence,
                    is_spam=analysis.is_spam and not is_brand_reply,
                    complaint_status=(
                        ComplaintStatus.OPEN if analysis.is_complaint and not is_brand_reply
                        else ComplaintStatus.NONE
                    ),
                    reply_kind=reply_kind(
                        item.text, is_complaint=analysis.is_complaint, is_spam=analysis.is_spam,
                        is_brand_reply=is_brand_reply,
                    ).value,
                )
            )
        inserted = mention_rows_insert(rows)
        report.edited = mentions_revise(
            source_id=locked.pk, rows=[r for r in rows if r.external_id not in inserted], now=now)
        report.deleted = mentions_mark_deleted(source_id=locked.pk, external_ids=gone, now=now)
        rows = [r for r in rows if r.external_id in inserted]
        report.stored = len(rows)
        report.duplicates += len(items) - len(rows)

        brand_replies_link(tenant_id=tenant.pk, rows=rows)
        volume_refresh(
            tenant_id=tenant.pk,
            source_id=locked.pk,
            timestamps=[r.published_at for r in rows],
        )

        if pushed:
            _count_pushed(locked, report, now)
            return report
        locked.cursor = next_cursor
        locked.last_polled_at = now
        locked.last_success_at = now
        locked.consecutive_failures = 0
        locked.last_error = ""
        locked.mentions_ingested += report.stored
        if report.rejected:
            locked.items_rejected += report.rejected
            locked.last_rejection = "; ".join(
                f"{reason} ({count}x)" for reason, count in report.reasons.most_common(5)
            )
        if has_more:
            # The next batch is due now, and this poll's claim is renewed for it: the next poll's
            # message carries the new claim, and if that message is lost the claim lapses after
            # one lease and beat claims the (due) source again.
            locked.next_poll_at = now
            locked.claimed_until = now + timedelta(seconds=settings.DENGAR["POLL_LEASE_SECONDS"])
        else:
            locked.next_poll_at = now + timedelta(seconds=locked.poll_interval_seconds)
            locked.claimed_until = None
        locked.save(
            update_fields=[
                "cursor", "last_polled_at", "last_success_at", "consecutive_failures",
                "last_error", "mentions_ingested", "items_rejected", "last_rejection",
                "next_poll_at", "claimed_until",
            ]
        )
    source.refresh_from_db()
    if report.rejected:
        logger.warning(
            "source %s: %d of %d items rejected: %s",
            source.pk, report.rejected, report.received, dict(report.reasons),
        )
    return report


def _count_pushed(locked: Source, report: IngestReport, now: datetime) -> None:
    """What a pushed batch changes on its (locked) source: the counts, and when it came."""
    locked.mentions_ingested += report.stored
    locked.webhook_received_at = now
    fields = ["mentions_ingested", "webhook_received_at"]
    if report.rejected:
        locked.items_rejected += report.rejected
        locked.last_rejection = "; ".join(f"{reason} ({count}x)" for reason, count in report.reasons.most_common(5))
        fields += ["items_rejected", "last_rejection"]
    locked.save(update_fields=fields)


MENTION_COLUMNS = list(MentionRow.__dataclass_fields__)
# What an edit changes: the text, and the classifier's reading of it. A complaint's lifecycle
# (its status, its answer) is history and stays as it was.
REVISED_COLUMNS = ["text", "lang", "sentiment_score", "sentiment", "intent", "complaint_confidence"]


def mentions_revise(*, source_id: int, rows: Sequence[MentionRow], now: datetime) -> int:
    """Stored mentions that came again with another text (an edited comment): the new text and
    its reading replace the old, and ``edited_at`` says when. Returns how many changed."""
    if not rows:
        return 0
    by_id = {r.external_id: r for r in rows}
    changed: list[Mention] = []
    for start in range(0, len(rows), 1000):
        for mention in Mention.objects.filter(
            source_id=source_id, external_id__in=list(by_id)[start : start + 1000],
        ).only("id", "external_id", "text"):
            row = by_id[mention.external_id]
            if mention.text == row.text:
                continue
            for column in REVISED_COLUMNS:
                setattr(mention, column, getattr(row, column))
            mention.edited_at = now
            changed.append(mention)
    Mention.objects.bulk_update(changed, [*REVISED_COLUMNS, "edited_at"], batch_size=500)
    return len(changed)


def mentions_mark_deleted(*, source_id: int, external_ids: Iterable[str], now: datetime) -> int:
    """Mark the source's mentions it says are gone; returns how many were live."""
    ids = list(external_ids)
    marked = 0
    for start in range(0, len(ids), 1000):
        marked += Mention.objects.filter(
            source_id=source_id, external_id__in=ids[start : start + 1000],
            deleted_at__isnull=True,
        ).update(deleted_at=now)
    return marked


def mention_rows_insert(rows: Sequence[MentionRow]) -> set[str]:
    """Insert, skipping rows whose (tenant, source, external id) is stored already; return the
    external ids actually inserted. On PostgreSQL: COPY into a staging table, then one
    INSERT ... SELECT ... ON CONFLICT DO NOTHING RETURNING, which is several times faster than
    a multi-row INSERT built by the ORM. The rows are the scope's tenant's (refused otherwise)."""
    if not rows:
        return set()
    tenant_id = current_tenant().pk
    if any(r.tenant_id != tenant_id for r in rows):
        raise TenantScopeMissing("Refusing to insert mentions for another tenant than the scope's")
    if connection.vendor != "postgresql":
        return _insert_portable(rows)
    table = Mention._meta.db_table
    cols = ", ".join(MENTION_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS mention_stage ON COMMIT DELETE ROWS AS "  # noqa: S608
            f"SELECT {cols} FROM {table} WITH NO DATA"
        )
        pg_cursor = cursor.cursor  # the psycopg cursor under Django's wrapper
        with pg_cursor.copy(f"COPY mention_stage ({cols}) FROM STDIN") as copy:
            for r in rows:
                copy.write_row([getattr(r, c) for c in MENTION_COLUMNS])
        cursor.execute(
            f"INSERT INTO {table} ({cols}) SELECT {cols} FROM mention_stage "  # noqa: S608
            "ON CONFLICT (tenant_id, source_id, external_id) DO NOTHING RETURNING external_id"
        )
        inserted = {row[0] for row in cursor.fetchall()}
        cursor.execute("TRUNCATE mention_stage")
    return inserted


def _insert_portable(rows: Sequence[MentionRow]) -> set[str]:
    existing: set[str] = set()
    ids = [r.external_id for r in rows]
    for start in range(0, len(ids), 500):
        existing.update(
            Mention.objects.filter(
                source_id=rows[0].source_id,
                external_id__in=ids[start : start + 500],
            ).values_list("external_id", flat=True)
        )
    fresh = [r for r in rows if r.external_id not in existing]
    # ignore_conflicts: a row another transaction stored meanwhile is a duplicate, not an error.
    Mention.objects.bulk_create(
        [Mention(**{c: getattr(r, c) for c in MENTION_COLUMNS}) for r in fresh],
        batch_size=500, ignore_conflicts=True,
    )
    return {r.external_id for r in fresh}


class LinkRow(Protocol):
    """What linking brand replies reads of a row: a new ``MentionRow`` or a ``ReplyLinkRow``."""

    @property
    def external_id(self) -> str: ...
    @property
    def is_complaint(self) -> bool: ...
    @property
    def is_brand_reply(self) -> bool: ...
    @property
    def parent_external_id(self) -> str: ...
    @property
    def published_at(self) -> datetime: ...
    @property
    def complaint_status(self) -> str: ...
    @property
    def reply_kind(self) -> str: ...


@dataclass(frozen=True, slots=True)
class ReplyLinkRow:
    """A stored mention that has just become a complaint, as ``brand_replies_link`` reads it: no
    status yet, so that it is opened (if it is still without one) before replies are linked."""

    external_id: str
    published_at: datetime
    is_complaint: bool = True
    is_brand_reply: bool = False
    parent_external_id: str = ""
    complaint_status: str = ""
    reply_kind: str = "complaint"


def brand_replies_link(*, tenant_id: int, rows: Sequence[LinkRow]) -> None:
    """Mark complaints (and questions and requests: every mention with a reply kind) answered
    by brand replies, whichever of the two arrived first.

    Rows that come without a status (mentions that became complaints on reclassification or by
    a correction) are opened first. An open complaint whose first reply is linked here becomes
    answered, with a system event; a resolved or dismissed one keeps its status. In the scope of
    ``tenant_id``'s tenant (named so that a caller in another scope fails).
    """
    if current_tenant().pk != tenant_id:
        raise TenantScopeMissing("The replies linked are not the scope's tenant's")
    replies = [r for r in rows if r.is_brand_reply and r.parent_external_id]
    new_complaints = [r.external_id for r in rows if r.is_complaint or r.reply_kind]
    _open_new_complaints(
        [r.external_id for r in rows if r.is_complaint and not r.complaint_status]
    )
    first_reply: dict[str, datetime] = {}
    for reply in replies:
        _keep_earliest(first_reply, reply.parent_external_id, reply.published_at)
    # Replies stored earlier to complaints that arrive only now.
    for start in range(0, len(new_complaints), 1000):
        for parent, published_at in Mention.objects.filter(
            is_brand_reply=True,
            parent_external_id__in=new_complaints[start : start + 1000],
        ).values_list("parent_external_id", "published_at"):
            _keep_earliest(first_reply, parent, published_at)
    if not first_reply:
        return
    parents = list(first_reply)
    changed: list[Mention] = []
    events: list[ComplaintEvent] = []
    for begin in range(0, len(parents), 1000):
        # Locked, so that a person changing the status meanwhile waits and then sees ours.
        for complaint in Mention.objects.select_for_update().filter(
            Q(is_complaint=True) | ~Q(reply_kind=""),
            external_id__in=parents[begin : begin + 1000],
        ).only("id", "external_id", "answered_at", "complaint_status", "is_complaint").order_by("id"):
            at = first_reply[complaint.external_id]
            if complaint.answered_at is None or at < complaint.answered_at:
                complaint.answered_at = at
                if complaint.is_complaint and complaint.complaint_status in (
                    ComplaintStatus.OPEN, ComplaintStatus.NONE
                ):
                    events.append(ComplaintEvent(
                        mention_id=complaint.pk, action=ComplaintAction.ANSWERED,
                        from_status=complaint.complaint_status, to_status=ComplaintStatus.ANSWERED,
                        note="A reply from one of the brand's accounts was collected.",
                    ))
                    complaint.complaint_status = ComplaintStatus.ANSWERED
                changed.append(complaint)
    Mention.objects.bulk_update(changed, ["answered_at", "complaint_status"], batch_size=500)
    ComplaintEvent.objects.bulk_create(events, batch_size=500)


def _keep_earliest(first_reply: dict[str, datetime], parent: str, at: datetime) -> None:
    """Record ``at`` as the parent's first reply unless an earlier one is already recorded."""
    seen = first_reply.get(parent)
    if seen is None or at < seen:
        first_reply[parent] = at


def _open_new_complaints(external_ids: list[str]) -> None:
    """Mentions that just became complaints (or were relabelled complaints after a dismissal)."""
    for start in range(0, len(external_ids), 1000):
        opening = list(
            Mention.objects.select_for_update().filter(
                external_id__in=external_ids[start : start + 1000],
                is_complaint=True, complaint_status__in=[ComplaintStatus.NONE, ComplaintStatus.DISMISSED],
            ).order_by("id").values_list("id", "complaint_status")
        )
        if not opening:
            continue
        Mention.objects.filter(id__in=[pk for pk, _ in opening]).update(
            complaint_status=ComplaintStatus.OPEN
        )
        ComplaintEvent.objects.bulk_create([
            ComplaintEvent(mention_id=pk, action=ComplaintAction.OPENED,
                           from_status=status, to_status=ComplaintStatus.OPEN,
                           note="Classified as a complaint.")
            for pk, status in opening
        ])
