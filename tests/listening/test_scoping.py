from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from listening.models import Brand, Mention, Source
from listening.scoping import TenantScopeMissing, tenant_scope
from listening.selectors.alerts import tenant_live_alert_counts
from listening.selectors.corrections import latest_corrections
from listening.selectors.flags import tenant_flags, volume_change
from listening.selectors.overdue import unanswered_complaints
from listening.selectors.response import response_metrics
from listening.selectors.rules import tenant_rules
from listening.selectors.volume import volume_series


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


def test_the_guard_holds_on_the_queryset_path_too(world):
    with tenant_scope(world.acme):
        for create in (
            lambda: Brand.objects.all().create(tenant=world.globex, name="Sneaky"),
            lambda: Brand.objects.filter(name="Acme").create(tenant_id=world.globex.pk, name="Sly"),
            lambda: Brand.objects.get_or_create(name="Sneaky", defaults={"tenant": world.globex}),
            lambda: Brand.objects.bulk_create([Brand(tenant=world.globex, name="Sneaky")]),
        ):
            with pytest.raises(TenantScopeMissing):
                create()
        made = Brand.objects.all().create(name="Acme Pay")
        [bulk] = Brand.objects.bulk_create([Brand(name="Acme Go")])
        got, created = Brand.objects.get_or_create(name="Acme Home")
    assert created
    assert {made.tenant_id, bulk.tenant_id, got.tenant_id} == {world.acme.pk}
    assert not Brand.all_tenants.filter(tenant=world.globex, name__in=["Sneaky", "Sly"]).exists()
    with pytest.raises(TenantScopeMissing):
        Brand.objects.all().create(tenant=world.acme, name="Nobody's")


def test_an_update_through_the_scoped_manager_cannot_move_rows_to_another_tenant(world):
    with tenant_scope(world.acme):
        for change in ({"tenant": world.globex}, {"tenant_id": world.globex.pk}):
            with pytest.raises(TenantScopeMissing, match="another tenant"):
                Brand.objects.filter(name="Acme").update(**change)
        assert Brand.objects.filter(name="Acme").update(name="Acme Co") == 1
    assert Brand.all_tenants.get(pk=world.acme_brand.pk).tenant_id == world.acme.pk


@pytest.mark.parametrize("read", [
    lambda t: volume_change(tenant=t), lambda t: volume_series(tenant=t),
    lambda t: list(unanswered_complaints(tenant=t)), lambda t: tenant_flags(tenant=t),
    lambda t: response_metrics(tenant=t, since=timezone.now() - timedelta(days=1), until=timezone.now()),
    lambda t: tenant_rules(tenant=t), lambda t: latest_corrections(tenant=t, mention_ids=[1]),
    lambda t: tenant_live_alert_counts(tenant=t),
])
def test_a_one_tenant_selector_reads_only_inside_that_tenants_scope(world, read):
    # The tenant's settings (calendar, thresholds) and its rows can never come from two tenants.
    with tenant_scope(world.acme), pytest.raises(TenantScopeMissing, match="not the scope's"):
        read(world.globex)
    with pytest.raises(TenantScopeMissing):
        read(world.acme)
    with tenant_scope(world.acme):
        read(world.acme)
