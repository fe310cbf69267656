"""A tenant's backlog: the complaints published before the day it counts complaints from.

Below the overdue flag, the response figures and the complaint queue, which all leave the
backlog out in the same way.
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from listening.models import Mention, Tenant
from listening.scoping import scope_of


def complaints_counted_since(tenant: Tenant) -> datetime | None:
    """The instant complaints count from: the start of the tenant's ``complaints_counted_from``
    day in its time zone; None when every complaint counts."""
    day = tenant.complaints_counted_from
    if day is None:
        return None
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(tenant.timezone))


def backlog_complaints(*, tenant: Tenant) -> QuerySet[Mention]:
    """The complaints left out as backlog (none without the setting). Inside ``tenant``'s scope."""
    since = complaints_counted_since(scope_of(tenant))
    complaints = Mention.objects.filter(is_complaint=True, is_spam=False, is_brand_reply=False)
    return complaints.none() if since is None else complaints.filter(published_at__lt=since)
