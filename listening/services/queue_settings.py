"""A tenant's settings for working its complaint queue."""

from __future__ import annotations

from datetime import date

from listening.models import Tenant


def tenant_complaints_counted_from_set(*, tenant: Tenant, counted_from: date | None) -> Tenant:
    """Count complaints from ``counted_from`` on (a day in the tenant's zone): the ones before are
    a backlog, never overdue and out of the response figures. None counts every complaint."""
    tenant.complaints_counted_from = counted_from
    tenant.save(update_fields=["complaints_counted_from"])
    return tenant
