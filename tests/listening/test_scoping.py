from __future__ import annotations

import pytest

from listening.models import Brand, Mention, Source
from listening.scoping import TenantScopeMissing, tenant_scope


def test_querying_tenant_data_without_a_scope_fails_loudly(world):
    for model in (Mention, Brand, Source):
        with pytest.raises(TenantScopeMissing):
            list(model.objects.all())


def test_the_scoped_manager_sees_only_its_tenants_rows(world):
    with tenant_scope(world.acme):
        assert list(Brand.objects.values_list("name", flat=True)) == ["Acme"]
        assert Brand.objects.filter(pk=world.globex_brand.pk).first() is None


def test_the_scope_is_reset_after_an_error(world):
    with pytest.raises(ZeroDivisionError), tenant_scope(world.acme):
        1 / 0  # noqa: B018
    with pytest.raises(TenantScopeMissing):
        Brand.objects.count()


def test_it_refuses_to_create_a_row_for_another_tenant_inside_a_scope(world):
    with tenant_scope(world.acme), pytest.raises(TenantScopeMissing):
        Brand.objects.create(tenant=world.globex, name="Sneaky")
    with tenant_scope(world.acme):
        assert Brand.objects.create(name="Acme Pay").tenant_id == world.acme.pk
