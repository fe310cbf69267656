"""The tenant scope: which tenant the code running now may touch.

Tenant-owned models get two managers. ``objects`` is scoped: it filters by the tenant set with
:func:`tenant_scope` and raises :class:`TenantScopeMissing` when none is set, so a query that
forgot its tenant fails loudly instead of reading everybody's rows. ``all_tenants`` is the
deliberate, greppable bypass for cross-tenant work (the claim loop, factories, the admin).

The scope is set per request (by the dashboard decorator and the API mixin) and per Celery task,
and always reset in ``finally``.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from listening.models.tenancy import Tenant

_current_tenant: contextvars.ContextVar[Tenant | None] = contextvars.ContextVar(
    "dengar_current_tenant", default=None
)


class TenantScopeMissing(RuntimeError):
    """Tenant-owned data was queried outside any tenant scope."""


def current_tenant() -> Tenant:
    tenant = _current_tenant.get()
    if tenant is None:
        raise TenantScopeMissing(
            "No tenant scope is set. Wrap the code in tenant_scope(tenant), or use the "
            "model's all_tenants manager if crossing tenants is intended."
        )
    return tenant


def current_tenant_or_none() -> Tenant | None:
    return _current_tenant.get()


def scope_of(tenant: Tenant) -> Tenant:
    """``tenant``, once it is known to be the scope's. A one-tenant selector takes ``tenant=`` for
    the tenant's own settings (its calendar, its thresholds) and reads rows through the scoped
    ``Model.objects``; this check keeps the two from ever being different tenants."""
    if current_tenant().pk != tenant.pk:
        raise TenantScopeMissing("The tenant given is not the scope's tenant")
    return tenant


@contextmanager
def tenant_scope(tenant: Tenant) -> Iterator[Tenant]:
    if tenant is None or tenant.pk is None:
        raise ValueError("tenant_scope needs a saved tenant")
    token = _current_tenant.set(tenant)
    try:
        yield tenant
    finally:
        _current_tenant.reset(token)


@contextmanager
def tenant_scope_of(tenant: Tenant) -> Iterator[Tenant]:
    """The scope of the tenant a service was handed a row of (a source, a mention): the caller's
    scope when it is that tenant's, entered for the call when none is set (a command, a test's
    set-up), refused when it is another tenant's."""
    ambient = _current_tenant.get()
    if ambient is None:
        with tenant_scope(tenant):
            yield tenant
        return
    yield scope_of(tenant)


def enter_tenant_scope(tenant: Tenant) -> contextvars.Token[Tenant | None]:
    """For frameworks whose hooks cannot wrap a ``with`` block; pair with exit_tenant_scope."""
    return _current_tenant.set(tenant)


def exit_tenant_scope(token: contextvars.Token[Tenant | None]) -> None:
    _current_tenant.reset(token)


class TenantScopedQuerySet(models.QuerySet):
    """What ``Model.objects`` returns. Its filter keeps reads in the tenant, but a write does not
    pass through a filter: ``create`` (and so ``get_or_create``, ``update_or_create`` and a
    manager's ``create``) and ``bulk_create`` stamp the scope's tenant and refuse another one, and
    ``update`` refuses to change a row's tenant."""

    def _scope_tenant_of(self, obj: models.Model) -> None:
        tenant = current_tenant()
        given = getattr(obj, "tenant_id", None)
        if given is not None and given != tenant.pk:
            raise TenantScopeMissing("Refusing to create a row for another tenant than the scope's")
        obj.tenant = tenant  # type: ignore[attr-defined]  # a scoped model's; Model has no tenant

    def create(self, **kwargs: Any) -> Any:
        tenant = current_tenant()
        given = kwargs.pop("tenant", None)
        given_id = kwargs.pop("tenant_id", None) if given is None else given.pk
        if given_id is not None and given_id != tenant.pk:
            raise TenantScopeMissing("Refusing to create a row for another tenant than the scope's")
        return super().create(tenant=tenant, **kwargs)

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        for obj in objs:
            self._scope_tenant_of(obj)
        return super().bulk_create(objs, *args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        # Rows stay in their tenant: an update that names a tenant would move them out of scope.
        if "tenant" in kwargs or "tenant_id" in kwargs:
            raise TenantScopeMissing("Refusing to move rows to another tenant")
        return super().update(**kwargs)


class TenantScopedManager(models.Manager):
    """``Model.objects``: only the current tenant's rows, and an error without a tenant. The
    manager's writes are its queryset's (Django proxies them), so one guard covers both paths."""

    def get_queryset(self) -> TenantScopedQuerySet:
        return TenantScopedQuerySet(self.model, using=self._db).filter(tenant=current_tenant())


class TenantOwned(models.Model):
    """Base for every tenant-owned model: a non-null tenant and the two managers."""

    tenant = models.ForeignKey("listening.Tenant", on_delete=models.CASCADE, related_name="+")

    all_tenants = models.Manager()
    objects = TenantScopedManager()

    class Meta:
        abstract = True
        default_manager_name = "all_tenants"
        base_manager_name = "all_tenants"
