"""A person's switch (a version, or back to the engine) reclassifies the tenant's stored
mentions, so its queue follows at once; a version trained and put in use automatically does not."""

from __future__ import annotations

from unittest import mock

from listening.models import LearnedModel, Mention
from listening.scoping import tenant_scope
from listening.services import learning as learning_services
from listening.services import learning_reclassify
from listening.services.learning import learned_model_activate, learning_use_engine, tenant_model_train
from listening.services.learning_reclassify import tenant_mentions_reclassify
from tests.learning.conftest import mention_in

COMPLAINT = "pulsa ilang terus dari pagi"


def is_complaint(mention: Mention) -> bool:
    return Mention.all_tenants.get(pk=mention.pk).is_complaint


def test_switching_reclassifies_the_stored_mentions_of_that_tenant_only(
        world, taught, eager, django_capture_on_commit_callbacks):
    stored = mention_in(world.acme_source, COMPLAINT)
    theirs = mention_in(world.globex_source, COMPLAINT)
    with django_capture_on_commit_callbacks(execute=True):
        tenant_model_train(tenant_id=world.acme.pk)
    assert not is_complaint(stored)  # put in use automatically: new mentions only

    with django_capture_on_commit_callbacks(execute=True), tenant_scope(world.acme):
        learning_use_engine(tenant=world.acme, user=world.owner)
    assert not is_complaint(stored)
    with django_capture_on_commit_callbacks(execute=True), tenant_scope(world.acme):
        learned_model_activate(version=LearnedModel.all_tenants.get(), user=world.owner)
    assert is_complaint(stored)
    assert Mention.all_tenants.get(pk=stored.pk).complaint_status == "open"
    with django_capture_on_commit_callbacks(execute=True), tenant_scope(world.acme):
        learning_use_engine(tenant=world.acme, user=world.owner)
    assert not is_complaint(stored)
    assert not is_complaint(theirs)
    # The team's own labels survive every switch.
    for correction in taught.corrections:
        assert is_complaint(correction.mention) is (correction.new_value == "complaint")


def test_a_switch_queues_the_reclassification_after_the_commit(
        world, taught, django_capture_on_commit_callbacks):
    with mock.patch.object(learning_services, "_task") as task, \
            django_capture_on_commit_callbacks(execute=True), tenant_scope(world.acme):
        learning_use_engine(tenant=world.acme, user=world.owner)
    task.assert_called_with(learning_services.RECLASSIFY_TASK)
    task.return_value.delay.assert_called_once_with(world.acme.pk)


def test_a_large_tenant_is_reclassified_in_runs_that_resume(world, taught, monkeypatch):
    tenant_model_train(tenant_id=world.acme.pk)
    monkeypatch.setattr(learning_reclassify, "BATCH", 15)
    ids = sorted(Mention.all_tenants.filter(tenant=world.acme).values_list("id", flat=True))
    first = tenant_mentions_reclassify(tenant_id=world.acme.pk, budget_seconds=0)
    assert not first.done
    assert first.last_id == ids[14]
    rest = tenant_mentions_reclassify(tenant_id=world.acme.pk, after_id=first.last_id)
    assert rest.done
    assert rest.last_id == ids[-1]
