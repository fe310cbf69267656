"""Who may do what on a tenant, declared per HTTP method (as Sentry's ``scope_map``).

The tenant and the caller's role on it are resolved by ``TenantScopedViewSetMixin`` before any
permission runs; a caller who is not a member never gets this far (404, not 403). A member whose
role is below the method's minimum gets 403. A method a view does not list is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from listening.models.tenancy import Role
from listening.selectors.tenancy import role_at_least

if TYPE_CHECKING:
    from rest_framework.views import APIView

MethodRoles = Mapping[str, Role]

_READ = {"GET": Role.VIEWER, "HEAD": Role.VIEWER, "OPTIONS": Role.VIEWER}

# Anything a member may look at.
READ_FOR_MEMBERS: MethodRoles = dict(_READ)

# Configuration (brands, sources): read by any member, changed by admins and owners.
READ_FOR_MEMBERS_WRITE_FOR_ADMINS: MethodRoles = {
    **_READ,
    "POST": Role.ADMIN,
    "PUT": Role.ADMIN,
    "PATCH": Role.ADMIN,
    "DELETE": Role.ADMIN,
}

# Day-to-day work on the data (marking a complaint answered, tagging): analysts and up.
# No endpoint writes such data yet; use this map when one does.
READ_FOR_MEMBERS_WRITE_FOR_ANALYSTS: MethodRoles = {
    **_READ,
    "POST": Role.ANALYST,
    "PUT": Role.ANALYST,
    "PATCH": Role.ANALYST,
    "DELETE": Role.ANALYST,
}


class HasTenantRole(BasePermission):
    """The caller's role on the URL's tenant is at least the view's ``required_roles[method]``.

    A method the view implements but does not list is refused (fails closed).
    """

    message = "Your role on this tenant does not allow this."

    def has_permission(self, request: Request, view: APIView) -> bool:
        if getattr(view, "tenant", None) is None:
            return False
        method = request.method or ""
        if method not in view.allowed_methods:
            # No handler will run: let the view answer 405 rather than hide it behind a 403.
            return True
        required: MethodRoles = getattr(view, "required_roles", {})
        minimum = required.get(method)
        if minimum is None:
            return False
        return role_at_least(getattr(view, "tenant_role", None), minimum)


class TokenScopeAllows(BasePermission):
    """A read-only API token reads and nothing else, whatever its user's role allows.

    Requests authenticated otherwise (a session) are not concerned. On every API view: in the
    default permission classes and in ``TenantScopedViewSetMixin``.
    """

    message = _("This token is read-only.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        from listening.api.authentication import request_token

        token = request_token(request)
        if token is None or not token.read_only:
            return True
        method = request.method or ""
        # A method without a handler is the view's 405, not a 403.
        return method in SAFE_METHODS or method not in view.allowed_methods
