"""The one way a tenant API is built: ``TenantScopedViewSetMixin``.

Every view under ``/api/v1/tenants/<tenant_slug>/`` inherits it. It

- resolves the tenant from the URL with the membership check inside the query
  (``tenant_for_member``), answering "no such tenant" and "not yours" with the same 404; an API
  token's tenant is the only one it reaches, any other is that same 404;
- sets the tenant scope for the rest of the request, right after authentication, and resets it
  in a ``finally`` around ``dispatch``, so ``Model.objects`` works in the view and nowhere after
  (the response is rendered before the scope closes);
- forbids ``get_queryset``: subclasses implement ``safely_get_queryset``, which runs inside the
  scope and uses ``Model.objects``. Lookups by id go through it, so another tenant's id is a 404.
"""

from __future__ import annotations

import contextvars
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from listening.api.authentication import request_token
from listening.api.permissions import READ_FOR_MEMBERS, HasTenantRole, MethodRoles, TokenScopeAllows
from listening.models import Tenant
from listening.models.tenancy import Role
from listening.scoping import current_tenant, enter_tenant_scope, exit_tenant_scope
from listening.selectors.tenancy import role_for, tenant_for_member

if TYPE_CHECKING:
    # What the stubs accept in permission_classes: a permission class or a combination (A | B).
    from rest_framework.permissions import _PermissionClass

TENANT_URL_KWARG = "tenant_slug"


class TenantScopedViewSetMixin:
    """Put first in the bases: ``class BrandViewSet(TenantScopedViewSetMixin, GenericViewSet)``."""

    # Typed as DRF's APIView types it, so that the two bases of a tenant view agree.
    permission_classes: Sequence[_PermissionClass] = [IsAuthenticated, HasTenantRole, TokenScopeAllows]
    required_roles: ClassVar[MethodRoles] = READ_FOR_MEMBERS
    # The model the view lists; used only to describe the API when no request (and so no tenant)
    # exists, during schema generation.
    model: ClassVar[type[Model] | None] = None
    # A row's id in the routers' member routes (tenants/<slug>/brands/<int:pk>/).
    lookup_value_converter: ClassVar[str] = "int"

    tenant: Tenant
    tenant_role: Role | None
    _tenant_scope_token: contextvars.Token[Tenant | None] | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Checked on the resolved attribute, not only cls.__dict__: a mixin placed before this
        # one in the bases would otherwise slip its own get_queryset in.
        if cls.get_queryset is not TenantScopedViewSetMixin.get_queryset:
            raise TypeError(
                f"{cls.__module__}.{cls.__qualname__} overrides get_queryset. Tenant APIs "
                "implement safely_get_queryset(self), which runs inside the tenant scope."
            )

    def safely_get_queryset(self) -> QuerySet[Any]:
        raise NotImplementedError(f"{type(self).__qualname__} must implement safely_get_queryset")

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False) and self.model is not None:
            # drf-spectacular introspects views without a request; give it an empty queryset.
            # Every model a tenant view lists has all_tenants; Model does not say so.
            return self.model.all_tenants.none()  # type: ignore[attr-defined]
        current_tenant()  # raises TenantScopeMissing if the scope was somehow not entered
        return self.safely_get_queryset()

    # The ignores below: this mixin is put before APIView in the bases, which mypy cannot see here.

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Who is asking comes first; then which tenant, before permissions and throttles run.
        # An anonymous caller skips the lookup and is refused by IsAuthenticated (401).
        self.perform_authentication(request)  # type: ignore[attr-defined]
        if request.user is not None and request.user.is_authenticated:
            self._enter_tenant(request, kwargs)
        super().initial(request, *args, **kwargs)  # type: ignore[misc]

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        self._tenant_scope_token = None
        try:
            response: Response = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
            if self._tenant_scope_token is not None and callable(getattr(response, "render", None)):
                # Rendered here, inside the scope: Django would render it after dispatch, when
                # the scope is closed, and a renderer that reads the view (the browsable API's
                # forms and filters) would meet TenantScopeMissing.
                response.render()
            return response
        finally:
            token, self._tenant_scope_token = self._tenant_scope_token, None
            if token is not None:
                exit_tenant_scope(token)

    def _enter_tenant(self, request: Request, kwargs: dict[str, Any]) -> None:
        slug = kwargs.get(TENANT_URL_KWARG)
        if not slug:
            raise ImproperlyConfigured(
                f"{type(self).__qualname__} is tenant-scoped but its URL has no <{TENANT_URL_KWARG}>"
            )
        tenant = tenant_for_member(user=request.user, slug=slug)
        token = request_token(request)
        if tenant is None or (token is not None and token.tenant_id != tenant.pk):
            # A token reaches the tenant it was made for and no other, even one its user may
            # see: the same 404 as for a stranger.
            raise NotFound()
        self.tenant = tenant
        self.tenant_role = role_for(user=request.user, tenant=tenant)
        self._tenant_scope_token = enter_tenant_scope(tenant)
