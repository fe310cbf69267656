"""Access to tenant pages: the one place the dashboard decides who may see which tenant."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from listening.figures import zone_of
from listening.scoping import tenant_scope
from listening.selectors.tenancy import role_for, tenant_for_member


class AuthenticatedHttpRequest(HttpRequest):
    """The request a view behind ``login_required`` (or ``tenant_member_required``) receives:
    its user is signed in. For annotations only; Django passes a plain HttpRequest."""

    user: User


def tenant_member_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Resolve ``slug`` to a tenant the user belongs to, or answer 404.

    Membership is checked in the query, and "no such tenant" and "not yours" get the same 404, so
    a slug leaks nothing. The view runs inside ``tenant_scope(tenant)``, with the tenant's time
    zone as the current one (so every time on its pages is in that zone), and receives ``tenant``
    and ``role`` as keyword arguments. A lazy response is rendered inside the scope too: a
    template that touched a scoped queryset after the scope closed would raise.
    """

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        tenant = tenant_for_member(user=request.user, slug=slug)
        role = role_for(user=request.user, tenant=tenant) if tenant is not None else None
        if tenant is None or role is None:
            raise Http404("No such tenant.")
        request.tenant = tenant  # type: ignore[attr-defined]  # for the header's switcher
        with tenant_scope(tenant), timezone.override(zone_of(tenant.timezone)):
            response = view(request, *args, tenant=tenant, role=role, **kwargs)
            render = getattr(response, "render", None)
            if callable(render) and not getattr(response, "is_rendered", True):
                render()
        return response

    return wrapper
