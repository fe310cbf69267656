"""The agency view: every tenant a user may see, with its flags."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone

from listening.selectors.flags import TenantFlags, tenant_flags
from listening.selectors.tenancy import tenants_visible_to


def agency_portfolio(
    *, user: AbstractBaseUser | AnonymousUser, now: datetime | None = None
) -> list[TenantFlags]:
    """Flags of every visible tenant, the most urgent first (most overdue complaints, then falls)."""
    now = now or timezone.now()
    rows = [tenant_flags(tenant=t, now=now) for t in tenants_visible_to(user=user)]
    return sorted(
        rows,
        key=lambda f: (-f.unanswered_count, not f.volume.declining, f.tenant.name.lower()),
    )
