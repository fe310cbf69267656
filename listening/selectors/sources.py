"""Reading a tenant's sources and brands."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext, ngettext

from listening.models import Brand, Source


def source_list() -> QuerySet[Source]:
    """The current tenant's sources with their brand (scoped manager: raises TenantScopeMissing
    outside ``tenant_scope``)."""
    return Source.objects.select_related("brand")


def brand_list() -> QuerySet[Brand]:
    """The current tenant's brands (scoped manager)."""
    return Brand.objects.all()


def source_feed_notes(*, source: Source) -> list[str]:
    """What the source's adapter noticed about the feed the last time it read it, in plain words
    ("12 items had no date"): the ``health`` an adapter keeps in its cursor (see
    ``workers.adapters.base.FetchResult``). Nothing for a source whose adapter keeps none."""
    refused = [ngettext(
        "%(count)d webhook request was refused: unsigned, badly signed or with a wrong verify token. "
        "Check the app secret and verify token the platform was given.",
        "%(count)d webhook requests were refused: unsigned, badly signed or with a wrong verify token. "
        "Check the app secret and verify token the platform was given.",
        source.webhook_rejected) % {"count": source.webhook_rejected}] if source.webhook_rejected else []
    health = source.cursor.get("health") if isinstance(source.cursor, dict) else None
    if not isinstance(health, dict):
        return refused

    def count(name: str) -> int:
        value = health.get(name)
        return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0

    items, notes = count("items"), refused
    if zoneless := count("zoneless"):
        notes.append(
            gettext("This feed's dates have no time zone: Dengar reads them as UTC.") if zoneless >= items
            else ngettext("%(count)d item's date has no time zone: Dengar reads it as UTC.",
                          "%(count)d items' dates have no time zone: Dengar reads them as UTC.",
                          zoneless) % {"count": zoneless})
    if undated := count("undated"):
        notes.append(ngettext("%(count)d item had no date: it is dated when Dengar first saw it.",
                              "%(count)d items had no date: each is dated when Dengar first saw it.",
                              undated) % {"count": undated})
    if unreadable := count("unreadable_dates"):
        notes.append(ngettext("%(count)d item had a date Dengar cannot read, so it was not stored.",
                              "%(count)d items had a date Dengar cannot read, so they were not stored.",
                              unreadable) % {"count": unreadable})
    if without_id := count("without_id"):
        notes.append(ngettext("%(count)d item had neither an id nor a link: Dengar recognises it by its content.",
                              "%(count)d items had neither an id nor a link: Dengar recognises them by their content.",
                              without_id) % {"count": without_id})
    if gap := count("gap_days"):
        notes.append(ngettext("Its polls stopped for %(count)d day, longer than the platform lists items: some "
                              "were never seen.",
                              "Its polls stopped for %(count)d days, longer than the platform lists items: some "
                              "were never seen.", gap) % {"count": gap})
    lenient = health.get("lenient")
    if isinstance(lenient, str) and lenient:
        notes.append(gettext("This feed is not well-formed XML (%(why)s): Dengar reads it leniently.")
                     % {"why": lenient[:200]})
    return notes
