from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dashboard.tenancy import visible_tenants


def tenant_switcher(request: HttpRequest) -> dict[str, Any]:
    """The header's tenant switcher: only the tenants this user may see."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "switcher_tenants": visible_tenants(request),
        "current_tenant": getattr(request, "tenant", None),
    }
