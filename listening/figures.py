"""How figures read, each defined once: every page, alert, e-mail and API "human" field that
shows a duration, a time or a response clock goes through these functions.

Pure (no models, no database), so analysis, services, selectors, the API and the dashboard may all
use it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MINUTE, HOUR, DAY = 60, 3600, 86400


def duration(seconds: float | None) -> str:
    """A duration in the units that fit its size, as a person says it: "< 1 min", "45 min",
    "3 h 20 min", "2 d 4 h" (at most two units, the smaller dropped when it is zero, never
    rounded up); "—" for no figure."""
    if seconds is None:
        return "—"
    minutes = int(max(seconds, 0.0) // MINUTE)
    if minutes < 1:
        return _("< 1 min")
    days, rest = divmod(minutes, DAY // MINUTE)
    hours, mins = divmod(rest, HOUR // MINUTE)
    if days:
        if hours:
            return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
        return _("%(days)d d") % {"days": days}
    if hours:
        if mins:
            return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": mins}
        return _("%(hours)d h") % {"hours": hours}
    return _("%(minutes)d min") % {"minutes": mins}


def zone_of(name: str | None) -> ZoneInfo:
    """The tenant's zone; UTC for a name that is empty or unknown (so a figure is never lost)."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_time(value: datetime, zone: str | None, *, with_date: bool = True) -> str:
    """An instant in the tenant's zone, with the zone: "27 Nov 2026 14:05 WIB" ("14:05 WIB"
    without the date). A zone without an abbreviation shows its offset ("+08")."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(zone_of(zone))
    text = f"{local:%d %b %Y %H:%M}" if with_date else f"{local:%H:%M}"
    return f"{text} {local:%Z}"


# The two clocks a response time is counted on, named wherever a response time is shown.
BUSINESS_HOURS = "business_hours"
WALL_CLOCK = "wall_clock"


def clock_label(clock: str) -> str:
    """How a response-time figure's clock is named beside it."""
    return _("in business hours") if clock == BUSINESS_HOURS else _("wall-clock")


def waiting_noun(n: int, overdue_counts: str) -> str:
    """What an overdue count counts, as its tenant's ``overdue_counts`` setting chooses:
    "complaints", "complaints and questions" or "mentions needing a reply"."""
    if overdue_counts == "complaints_questions":
        return ngettext("complaint or question", "complaints and questions", n)
    if overdue_counts == "all":
        return ngettext("mention needing a reply", "mentions needing a reply", n)
    return ngettext("complaint", "complaints", n)
