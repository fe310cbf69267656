"""Writing corrections and rules, and reclassifying stored mentions without undoing either.

Precedence: engine, then the tenant's rules, then human corrections (the latest per field).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import connection, transaction

from listening.analysis.base import Analysis, Classifier
from listening.analysis.engine.needs_reply import reply_kind
from listening.analysis.learning import TenantModel
from listening.analysis.rules import RuleSet, normalise_phrase, with_label
from listening.models import Brand, Correction, Mention, Tenant, TenantRule
from listening.models.complaints import ComplaintAction
from listening.models.corrections import FIELD_LABELS
from listening.models.mentions import ComplaintStatus
from listening.scoping import scope_of, tenant_scope_of
from listening.selectors.corrections import latest_corrections
from listening.services.complaint_transitions import complaint_transition
from listening.services.ingestion import ReplyLinkRow, brand_replies_link
from listening.services.learning import learning_request
from listening.services.rollups import volume_refresh

# The Mention columns the classifier decides, and so the ones reclassification may change.
CLASSIFIED_FIELDS = ("lang", "sentiment_score", "sentiment", "intent", "is_complaint",
                     "complaint_confidence", "is_spam")
# What reclassification writes: the classified columns, and what the mention waits for, which
# follows from them (_reply_kind_follow).
WRITTEN_FIELDS = (*CLASSIFIED_FIELDS, "reply_kind")
# What else a batch needs to decide, compare and refresh rollups.
_LOADED = ("id", "tenant_id", "source_id", "brand_id", "text", "external_id", "published_at",
           "is_brand_reply", "parent_external_id", *WRITTEN_FIELDS)


def mention_label(mention: Mention, field: str) -> str:
    """The mention's current value of ``field`` in the evaluation vocabulary."""
    if field == "complaint":
        return "complaint" if mention.is_complaint else "not_complaint"
    if field == "spam":
        return "spam" if mention.is_spam else "ham"
    if field == "sentiment":
        return mention.sentiment
    raise ValueError(f"unknown field {field!r}")


def _analysis_of(mention: Mention) -> Analysis:
    return Analysis(**{f: getattr(mention, f) for f in CLASSIFIED_FIELDS})


def _assign(mention: Mention, analysis: Analysis) -> bool:
    """Copy ``analysis`` onto ``mention``; True if anything changed."""
    changed = False
    for f in CLASSIFIED_FIELDS:
        new, old = getattr(analysis, f), getattr(mention, f)
        same = abs(new - old) < 1e-9 if isinstance(new, float) else new == old
        if not same:
            setattr(mention, f, new)
            changed = True
    return changed


def _reply_kind_follow(mention: Mention) -> bool:
    """Keep what the mention waits for in step with what it now is; True if that changed."""
    kind = reply_kind(mention.text, is_complaint=mention.is_complaint, is_spam=mention.is_spam,
                      is_brand_reply=mention.is_brand_reply).value
    changed, mention.reply_kind = kind != mention.reply_kind, kind
    return changed


def _link_new_complaints(tenant_id: int, mentions: list[Mention]) -> None:
    """Mentions that became complaints (or questions or requests) only now may already have a
    brand reply: link it."""
    if mentions:
        brand_replies_link(tenant_id=tenant_id, rows=[
            ReplyLinkRow(external_id=m.external_id, published_at=m.published_at,
                         is_complaint=m.is_complaint, reply_kind=m.reply_kind)
            for m in mentions
        ])


@transaction.atomic
def correction_create(
    *, mention: Mention, field: str, value: str, user: User | None
) -> Correction:
    """Record a person's label for one field of a mention and apply it to the mention now.

    The mention row is locked first, so a concurrent reclassification batch either ran before
    (and is overwritten here) or waits and then sees this correction. In the mention's tenant's
    scope (``tenant_scope_of``).
    """
    if value not in FIELD_LABELS.get(field, ()):
        raise ValueError(f"{value!r} is not a {field} label")
    with tenant_scope_of(mention.tenant):
        return _correction_apply(mention=mention, field=field, value=value, user=user)


def _correction_apply(*, mention: Mention, field: str, value: str, user: User | None) -> Correction:
    locked = Mention.objects.select_for_update().get(pk=mention.pk)
    was_complaint, was_waiting = locked.is_complaint, locked.reply_kind
    correction = Correction.objects.create(
        mention=locked, field=field,
        old_value=mention_label(locked, field), new_value=value, created_by=user,
    )
    analysis = with_label(_analysis_of(locked), field=field, label=value, text=locked.text)
    changed = _assign(locked, analysis)
    changed = _reply_kind_follow(locked) or changed
    if changed:
        locked.save(update_fields=list(WRITTEN_FIELDS))
    if field == "complaint":
        _complaint_status_follow(locked, label=value, user=user)
    if changed:
        if (locked.is_complaint and not was_complaint) or (locked.reply_kind and not was_waiting):
            _link_new_complaints(locked.tenant_id, [locked])
        volume_refresh(tenant_id=locked.tenant_id, source_id=locked.source_id,
                       timestamps=[locked.published_at])
    for f in (*WRITTEN_FIELDS, "complaint_status"):  # the caller's instance shows what is stored
        setattr(mention, f, getattr(locked, f))
    learning_request(tenant_id=locked.tenant_id)  # the tenant's own model learns from it
    return correction


def _complaint_status_follow(mention: Mention, *, label: str, user: User | None) -> None:
    """A person's complaint label moves the complaint's lifecycle too, through the lifecycle's
    own transitions (and their events, by that person). A transition records no correction, so
    nothing here comes back to this module. A resolved complaint relabelled "not a complaint"
    keeps its status: it was dealt with.
    """
    status = mention.complaint_status
    if label == "not_complaint" and status in (ComplaintStatus.OPEN, ComplaintStatus.ANSWERED):
        complaint_transition(mention=mention, action=ComplaintAction.DISMISSED, actor=user,
                             note="relabelled as not a complaint")
    elif label == "complaint" and status == ComplaintStatus.NONE:
        complaint_transition(mention=mention, action=ComplaintAction.OPENED, actor=user,
                             note="relabelled as a complaint")
    elif label == "complaint" and status == ComplaintStatus.DISMISSED:
        complaint_transition(mention=mention, action=ComplaintAction.REOPENED, actor=user,
                             note="relabelled as a complaint")


def rule_create(
    *, tenant: Tenant, phrase: str, effect: str, brand: Brand | None = None,
    is_active: bool = True, user: User | None = None,
) -> TenantRule:
    with tenant_scope_of(tenant):
        return TenantRule.objects.create(
            phrase=normalise_phrase(phrase), effect=effect, brand=brand,
            is_active=is_active, created_by=user,
        )


def rule_update(*, rule: TenantRule, **changes: Any) -> TenantRule:
    if "phrase" in changes:
        changes["phrase"] = normalise_phrase(changes["phrase"])
    for name, value in changes.items():
        setattr(rule, name, value)
    rule.save(update_fields=list(changes) or None)
    return rule


def rule_delete(*, rule: TenantRule) -> None:
    rule.delete()


@dataclass(frozen=True, slots=True)
class ReclassifyBatch:
    last_id: int
    processed: int
    changed: int


def mentions_reclassify_batch(
    *, tenant: Tenant, after_id: int, limit: int, classifier: Classifier, rules: RuleSet,
    learned: TenantModel | None = None,
) -> ReclassifyBatch:
    """Re-run the classifier (with the tenant's ``learned`` model on top, if it has one in use)
    and the rules over the tenant's next ``limit`` mentions by id, keep every human correction,
    and write only the rows whose results changed, in one transaction with their rollup
    buckets. Inside ``tenant``'s scope (the reclassify command sets it)."""
    tenant_id = scope_of(tenant).pk
    head = list(
        Mention.objects.filter(id__gt=after_id)
        .order_by("id").values_list("id", "text")[:limit]
    )
    if not head:
        return ReclassifyBatch(last_id=after_id, processed=0, changed=0)
    texts = [t for _, t in head]
    analyses = classifier.classify_many(texts)
    if learned is not None:
        analyses = learned.apply(texts, analyses)
    fresh = dict(zip((i for i, _ in head), analyses, strict=True))
    with transaction.atomic():
        # Locked, so that a correction made meanwhile is either seen below or made after us.
        mentions = list(
            Mention.objects.select_for_update()
            .filter(id__in=list(fresh)).only(*_LOADED).order_by("id")
        )
        corrected = latest_corrections(tenant=tenant, mention_ids=fresh)
        changed: list[Mention] = []
        became_complaints: list[Mention] = []
        for m in mentions:
            was_complaint, was_waiting = m.is_complaint, m.reply_kind
            decided = _assign(m, decide(m, fresh[m.pk], rules=rules, corrections=corrected.get(m.pk, {})))
            if _reply_kind_follow(m) or decided:
                changed.append(m)
                if (m.is_complaint and not was_complaint) or (m.reply_kind and not was_waiting):
                    became_complaints.append(m)
        _write_classified(tenant_id, changed)
        _link_new_complaints(tenant_id, became_complaints)
        by_source: dict[int, list[datetime]] = defaultdict(list)
        for m in changed:
            by_source[m.source_id].append(m.published_at)
        for source_id, timestamps in by_source.items():
            volume_refresh(tenant_id=tenant_id, source_id=source_id, timestamps=timestamps)
    return ReclassifyBatch(last_id=head[-1][0], processed=len(head), changed=len(changed))


def _write_classified(tenant_id: int, mentions: list[Mention]) -> None:
    """One parameterised UPDATE per row, sent with executemany (pipelined by psycopg): several
    times faster than bulk_update's CASE expressions, whose cost grows with the batch."""
    if not mentions:
        return
    qn = connection.ops.quote_name
    assignments = ", ".join(f"{qn(f)} = %s" for f in WRITTEN_FIELDS)
    sql = (f"UPDATE {qn(Mention._meta.db_table)} SET {assignments} "  # noqa: S608
           f"WHERE {qn('id')} = %s AND {qn('tenant_id')} = %s")
    with connection.cursor() as cursor:
        cursor.executemany(sql, [
            [*(getattr(m, f) for f in WRITTEN_FIELDS), m.pk, tenant_id] for m in mentions
        ])


def decide(mention: Mention, analysis: Analysis, *, rules: RuleSet,
           corrections: dict[str, str]) -> Analysis:
    """Engine, then rules, then ingestion's brand-reply override, then the person's word."""
    analysis = rules.apply(mention.text, analysis, brand_id=mention.brand_id, brand_known=True)
    if mention.is_brand_reply:
        analysis = replace(analysis, intent="other", is_complaint=False, is_spam=False)
    for field, label in corrections.items():
        analysis = with_label(analysis, field=field, label=label, text=mention.text)
    return analysis
