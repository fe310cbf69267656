"""Who may see which tenant, and with what role. Membership is always checked in the query."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from listening.models import AgencyMembership, Membership, Tenant
from listening.models.tenancy import ROLE_RANK, Role


def tenants_visible_to(*, user: User | AnonymousUser) -> QuerySet[Tenant]:
    if not user.is_authenticated:
        return Tenant.objects.none()
    return (
        Tenant.objects.filter(
            Q(memberships__user=user) | Q(agency__memberships__user=user)
        )
        .select_related("agency")
        .distinct()
        .order_by("name")
    )


def tenant_for_member(*, user: User | AnonymousUser, slug: str) -> Tenant | None:
    """The tenant with this slug if ``user`` may see it; None for "no such tenant" and "not yours"
    alike, so callers answer both with the same 404."""
    return tenants_visible_to(user=user).filter(slug=slug).first()


def role_for(*, user: User | AnonymousUser, tenant: Tenant) -> Role | None:
    """The highest role the user holds on the tenant, directly or through its agency."""
    if not user.is_authenticated:
        return None
    roles = list(
        Membership.objects.filter(user=user, tenant=tenant).values_list("role", flat=True)
    )
    if tenant.agency_id is not None:
        roles += list(
            AgencyMembership.objects.filter(user=user, agency_id=tenant.agency_id).values_list(
                "role", flat=True
            )
        )
    if not roles:
        return None
    return max((Role(r) for r in roles), key=ROLE_RANK.__getitem__)


def role_at_least(role: Role | str | None, minimum: Role) -> bool:
    return role is not None and ROLE_RANK[Role(role)] >= ROLE_RANK[minimum]


def roles_by_tenant(*, user: User, tenants: Iterable[Tenant]) -> dict[int, Role]:
    """The user's highest role on each tenant, in two queries whatever the number of tenants.

    role_for answers for one tenant; this is its batch form for lists.
    """
    tenants = list(tenants)
    best: dict[int, Role] = {}

    def offer(tenant_id: int, role: str) -> None:
        r = Role(role)
        if tenant_id not in best or ROLE_RANK[r] > ROLE_RANK[best[tenant_id]]:
            best[tenant_id] = r

    direct = Membership.objects.filter(user=user, tenant__in=[t.pk for t in tenants])
    for tenant_id, role in direct.values_list("tenant_id", "role"):
        offer(tenant_id, role)
    agency_ids = {t.agency_id for t in tenants if t.agency_id is not None}
    if agency_ids:
        by_agency = dict(
            AgencyMembership.objects.filter(user=user, agency_id__in=agency_ids).values_list(
                "agency_id", "role"
            )
        )
        for t in tenants:
            if t.agency_id in by_agency:
                offer(t.pk, by_agency[t.agency_id])
    return best
