from __future__ import annotations

from django.http import HttpRequest

from listening.models import Tenant
from listening.selectors.tenancy import tenants_visible_to


def visible_tenants(request: HttpRequest) -> list[Tenant]:
    """The user's tenants, read once per request (the portfolio and the switcher both need them)."""
    cached: list[Tenant] | None = getattr(request, "_dengar_visible_tenants", None)
    if cached is None:
        cached = list(tenants_visible_to(user=request.user))
        request._dengar_visible_tenants = cached  # type: ignore[attr-defined]  # a per-request memo
    return cached
