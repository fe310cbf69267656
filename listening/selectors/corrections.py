"""Reading corrections and rules."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO

from django.db.models import QuerySet

from listening.csvsafe import csv_writer
from listening.models import Correction, Mention, Tenant, TenantRule
from listening.scoping import scope_of


def correction_list(
    *, field: str | None = None, since: datetime | None = None, mention_id: int | None = None
) -> QuerySet[Correction]:
    """The current tenant's corrections, newest first (scoped manager: raises outside a scope)."""
    qs = Correction.objects.select_related("created_by").order_by("-id")
    if field:
        qs = qs.filter(field=field)
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    if mention_id is not None:
        qs = qs.filter(mention_id=mention_id)
    return qs


def correction_history(*, mention: Mention) -> QuerySet[Correction]:
    """One mention's corrections, newest first."""
    return Correction.objects.filter(mention=mention).select_related("created_by").order_by(
        "-created_at", "-id"
    )


def rule_list() -> QuerySet[TenantRule]:
    return TenantRule.objects.select_related("brand", "created_by").order_by("-id")


def latest_corrections(*, tenant: Tenant, mention_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """mention id -> {field: label} of the latest correction of each corrected field. Inside
    ``tenant``'s scope (the reclassify command sets it)."""
    scope_of(tenant)
    latest: dict[int, dict[str, str]] = {}
    ids = list(mention_ids)
    for start in range(0, len(ids), 1000):
        rows = (
            Correction.objects.filter(mention_id__in=ids[start:start + 1000])
            .order_by("created_at", "id")
            .values_list("mention_id", "field", "new_value")
        )
        for mention_id, field, value in rows:
            latest.setdefault(mention_id, {})[field] = value  # ascending: the latest wins
    return latest


@dataclass(frozen=True, slots=True)
class ExportRow:
    text: str
    label: str
    lang: str
    task: str
    tenant: str
    corrected_at: datetime


def corrections_for_export(*, tenants: Iterable[Tenant], task: str | None = None) -> Iterator[ExportRow]:
    """The latest correction of every corrected (mention, field) of ``tenants``, oldest first.

    Crosses tenants on purpose (the --all-tenants export), so it uses ``all_tenants`` and takes
    the tenants explicitly.
    """
    by_id = {t.pk: t.slug for t in tenants}
    qs = Correction.all_tenants.filter(tenant_id__in=list(by_id))
    if task:
        qs = qs.filter(field=task)
    rows = qs.order_by("mention_id", "field", "created_at", "id").values_list(
        "tenant_id", "mention_id", "field", "new_value", "created_at", "mention__text",
        "mention__lang",
    )
    latest: dict[tuple[int, str], ExportRow] = {}
    for tenant_id, mention_id, field, value, at, text, lang in rows.iterator(chunk_size=2000):
        latest[(mention_id, field)] = ExportRow(
            text=text, label=value, lang=lang, task=field, tenant=by_id[tenant_id], corrected_at=at
        )
    yield from sorted(latest.values(), key=lambda r: (r.corrected_at, r.tenant, r.task))


EXPORT_COLUMNS = ("text", "label", "lang", "task", "tenant", "corrected_at")


def write_export_csv(rows: Iterable[ExportRow], stream: TextIO) -> int:
    """Write ``rows`` as CSV with a header; return how many rows were written. A text that a
    spreadsheet would run as a formula is written with a leading single quote (see csvsafe)."""
    writer = csv_writer(stream)
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for row in rows:
        writer.writerow([row.text, row.label, row.lang, row.task, row.tenant,
                         row.corrected_at.isoformat()])
        count += 1
    return count
