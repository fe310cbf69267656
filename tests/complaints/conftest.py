"""Complaint tests: a classifier the tests control, complaints made to order, fixed clocks."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from listening.models import Mention, Tenant
from listening.models.mentions import ComplaintStatus
from tests import factories

JAKARTA = ZoneInfo("Asia/Jakarta")




def jakarta(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=JAKARTA)


def office_hours(tenant: Tenant, *, policy: str | None = None, target: int = 120) -> Tenant:
    """Mon-Fri 09:00-18:00 in Jakarta, whatever the factory's default."""
    tenant.timezone = "Asia/Jakarta"
    tenant.business_day_start, tenant.business_day_end = time(9), time(18)
    tenant.business_weekdays = [0, 1, 2, 3, 4]
    tenant.response_target_minutes = target
    if policy:
        tenant.answer_policy = policy
    tenant.save()
    return tenant


def complaint(world, *, status: str = ComplaintStatus.OPEN, **fields) -> Mention:
    values = {"source": world.acme_source, "brand": world.acme_brand, "is_complaint": True,
              "complaint_status": status, "text": "My Acme order arrived broken", **fields}
    mention = factories.MentionFactory.create(**values)
    mention.tenant = world.acme
    return mention


