"""Reading a tenant's sources and brands."""

from __future__ import annotations

from django.db.models import QuerySet

from listening.models import Brand, Source


def source_list() -> QuerySet[Source]:
    """The current tenant's sources with their brand (scoped manager: raises TenantScopeMissing
    outside ``tenant_scope``)."""
    return Source.objects.select_related("brand")


def brand_list() -> QuerySet[Brand]:
    """The current tenant's brands (scoped manager)."""
    return Brand.objects.all()
