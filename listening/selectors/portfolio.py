"""The agency view: every tenant a user may see, with its flags."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone

from listening.scoping import tenant_scope
from listening.selectors.alerts import live_alert_counts, live_alert_headlines
from listening.selectors.flags import TenantFlags, tenant_flags
from listening.selectors.tenancy import tenants_visible_to


def agency_portfolio(
    *, user: User | AnonymousUser, now: datetime | None = None,
    only_tenant_id: int | None = None,
) -> list[TenantFlags]:
    """Flags of every visible tenant, the most urgent first: most overdue complaints, then a
    fall (now or over the week) or a complaint storm, then the most live alerts. ``only_tenant_id`` narrows it to one
    tenant (an API token's)."""
    now = now or timezone.now()
    visible = tenants_visible_to(user=user)
    if only_tenant_id is not None:
        visible = visible.filter(pk=only_tenant_id)
    tenants = list(visible)
    live = live_alert_counts(tenant_ids=[t.pk for t in tenants])
    storms = live_alert_headlines(tenant_ids=[t.pk for t in tenants])
    rows = []
    for t in tenants:
        # Crosses tenants on purpose: each tenant's flags are read inside that tenant's scope.
        with tenant_scope(t):
            rows.append(tenant_flags(tenant=t, now=now, live_alerts=live.get(t.pk, {}),
                                     storms=storms.get(t.pk, [])))
    return sorted(
        rows,
        key=lambda f: (-f.unanswered_count, not (f.falling_now or f.volume.declining or f.storming_now),
                       -f.live_alert_total, f.tenant.name.lower()),
    )
