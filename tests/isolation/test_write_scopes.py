"""Write paths handed one tenant's row work in that tenant's scope: entered when no scope is set,
kept when it is that tenant's, refused (writing nothing) when it is another tenant's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from listening.models import Mention, VolumeHourly
from listening.models.mentions import ComplaintStatus
from listening.scoping import TenantScopeMissing, current_tenant, tenant_scope, tenant_scope_of
from listening.services.complaint_transitions import complaint_transition
from listening.services.ingestion import mentions_ingest
from listening.services.rollups import volume_refresh
from listening.services.sources import source_create
from tests import factories
from workers.adapters.base import RawMention


def raw(i: int) -> RawMention:
    return RawMention(external_id=f"w{i}", text="acme still broken, refund please??",
                      published_at=timezone.now() - timedelta(hours=2), author_handle=f"c{i}", platform="mock")


def test_tenant_scope_of_enters_the_tenant_when_no_scope_is_set(world):
    with tenant_scope_of(world.acme):
        assert current_tenant().pk == world.acme.pk
    with pytest.raises(TenantScopeMissing):
        current_tenant()


def test_tenant_scope_of_keeps_the_same_tenant_and_refuses_another(world):
    with tenant_scope(world.acme):
        with tenant_scope_of(world.acme):
            assert current_tenant().pk == world.acme.pk
        with pytest.raises(TenantScopeMissing), tenant_scope_of(world.globex):
            pass
        assert current_tenant().pk == world.acme.pk


def test_a_batch_ingested_under_another_tenants_scope_is_refused_and_stores_nothing(world):
    with tenant_scope(world.globex), pytest.raises(TenantScopeMissing):
        mentions_ingest(source=world.acme_source, batch=[raw(1)], expected_cursor=None, next_cursor=1)
    world.acme_source.refresh_from_db()
    assert world.acme_source.cursor is None
    assert not Mention.all_tenants.filter(source=world.acme_source).exists()


def test_a_batch_ingested_in_its_tenants_scope_is_stored_for_that_tenant_only(world):
    with tenant_scope(world.acme):
        report = mentions_ingest(source=world.acme_source, batch=[raw(1), raw(2)],
                                 expected_cursor=None, next_cursor=2)
    assert report.stored == 2
    assert set(Mention.all_tenants.values_list("tenant_id", flat=True)) == {world.acme.pk}
    assert VolumeHourly.all_tenants.get().tenant_id == world.acme.pk


def test_rollups_of_another_tenant_are_refused(world):
    with tenant_scope(world.globex), pytest.raises(TenantScopeMissing):
        volume_refresh(tenant_id=world.acme.pk, source_id=world.acme_source.pk, timestamps=[timezone.now()])


def test_a_complaint_of_another_tenant_cannot_be_moved_from_this_tenants_scope(world):
    mention = factories.MentionFactory.create(
        tenant=world.acme, source=world.acme_source, is_complaint=True, complaint_status=ComplaintStatus.OPEN)
    with tenant_scope(world.globex), pytest.raises(TenantScopeMissing):
        complaint_transition(mention=mention, action="resolved", actor=None, note="")
    mention.refresh_from_db()
    assert mention.complaint_status == ComplaintStatus.OPEN


def test_a_source_is_created_in_its_tenant_and_refused_from_another_scope(world):
    source = source_create(tenant=world.globex, name="Feed", kind="mock", config={"seed": 1})
    assert source.tenant_id == world.globex.pk
    with tenant_scope(world.acme), pytest.raises(TenantScopeMissing):
        source_create(tenant=world.globex, name="Other", kind="mock", config={"seed": 2})
