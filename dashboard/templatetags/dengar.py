from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlencode

from django import template
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from listening import figures
from listening.models import Source, Tenant
from listening.models.tenancy import OVERDUE_REPLY_KINDS
from listening.selectors.sources import source_feed_notes

register = template.Library()

# The languages the analysis tells apart, by name: a brand team reads "Indonesian", not "id".
LANGUAGE_NAMES: dict[str, Promise] = {
    "id": _("Indonesian"),
    "ms": _("Malay"),
    "en": _("English"),
}


@register.filter
def language_label(code: str | None) -> str:
    """A mention's language code as the language's name in the reader's language; unknown codes as they are.

    Not ``language_name``: Django's i18n library has a filter of that name (the English name), and
    templates load both."""
    if not code:
        return ""
    return str(LANGUAGE_NAMES.get(code, code))


@register.filter
def feed_notes(source: Source) -> list[str]:
    """What a source's adapter noticed about its feed on its last read, in words."""
    return source_feed_notes(source=source)


def humanise(delta: timedelta) -> str:
    """A duration as a person says it ("45 min", "3 h 20 min", "2 d 4 h"): figures.duration."""
    return figures.duration(delta.total_seconds())


@register.filter
def duration(seconds: float | None) -> str:
    """Seconds as figures.duration says them; "—" for None."""
    return figures.duration(seconds)


@register.filter
def in_zone(value: datetime | None, zone: str | None) -> str:
    """An instant in ``zone`` (a tenant's), with the zone: "27 Nov 2026 14:05 WIB"; "" for None."""
    return "" if value is None else figures.local_time(value, zone)


@register.filter
def clock_in_zone(value: datetime | None, zone: str | None) -> str:
    """The time of day of an instant in ``zone``, with the zone: "14:05 WIB"; "" for None."""
    return "" if value is None else figures.local_time(value, zone, with_date=False)


@register.filter
def age(value: datetime | None, now: datetime | None = None) -> str:
    """How long ago ``value`` was, humanised; "" for None."""
    if value is None:
        return ""
    return humanise((now or timezone.now()) - value)


@register.filter
def minutes(value: int | None) -> str:
    return "" if value is None else humanise(timedelta(minutes=value))


@register.filter
def percent(value: float | None) -> str:
    """A signed change: +12 %, −40 %; an em dash without a baseline."""
    if value is None:
        return "—"
    pct = round(value * 100)
    return f"+{pct} %" if pct > 0 else (f"−{-pct} %" if pct < 0 else "0 %")


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: object) -> str:
    """The current query string with some parameters changed (None or "" removes one)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def urlencode_dict(value: dict[str, str]) -> str:
    """A dict of query parameters as a query string: ``href="?{{ view.query|urlencode_dict }}"``."""
    return urlencode(value)


@register.filter
def took(start: datetime | None, end: datetime | None) -> str:
    """How long from ``start`` to ``end``, humanised: ``{{ m.published_at|took:m.answered_at }}``."""
    if start is None or end is None:
        return ""
    return humanise(end - start)


@register.filter
def waiting_noun(n: int, overdue_counts: str) -> str:
    """What an overdue count of ``n`` counts, as the tenant's setting chooses (figures.waiting_noun)."""
    return figures.waiting_noun(n, overdue_counts)


@register.filter
def clock(name: str) -> str:
    """How a response clock is named beside a figure: "in business hours", "wall-clock"."""
    return figures.clock_label(name)


@register.filter
def counted_overdue(reply_kind: str, tenant: Tenant) -> bool:
    """Whether the tenant's overdue flag counts a mention of this reply kind (its setting)."""
    return bool(reply_kind) and reply_kind in OVERDUE_REPLY_KINDS.get(tenant.overdue_counts, ())
