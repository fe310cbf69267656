"""Training a tenant's model in the background, its versions, and going back to the engine."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from listening.analysis.learning import TenantModel
from listening.models import LearnedModel, LearningState
from listening.scoping import TenantScopeMissing, tenant_scope
from listening.services import learning as learning_services
from listening.services.corrections import correction_create
from listening.services.learning import (
    learned_model_activate,
    learning_request,
    learning_use_engine,
    tenant_model_train,
)
from tests.learning.conftest import mention_in, teach
from workers.tasks.learning import tenant_model_train_task


def test_corrections_in_a_row_queue_one_training_run(world, fake_classifier,
                                                     django_capture_on_commit_callbacks):
    with mock.patch.object(learning_services, "_train_task") as task, \
            django_capture_on_commit_callbacks(execute=True):
        teach(world, world.owner, n=5)
    task.return_value.apply_async.assert_called_once_with(
        args=(world.acme.pk,), countdown=learning_services.TRAIN_DELAY.total_seconds())
    assert LearningState.all_tenants.get(tenant=world.acme).queued_at is not None


def test_a_run_that_started_lets_the_next_correction_queue_again(world, fake_classifier):
    with mock.patch.object(learning_services, "_train_task"), tenant_scope(world.acme):
        assert learning_request(tenant_id=world.acme.pk) is True
        assert learning_request(tenant_id=world.acme.pk) is False
        tenant_model_train(tenant_id=world.acme.pk)  # clears the queued mark first
        assert learning_request(tenant_id=world.acme.pk) is True
        with tenant_scope(world.globex), pytest.raises(TenantScopeMissing):
            learning_request(tenant_id=world.acme.pk)
    assert not LearningState.all_tenants.filter(tenant=world.globex).exists()


def test_a_queued_run_whose_message_was_lost_does_not_block_training_for_ever(world):
    with mock.patch.object(learning_services, "_train_task"), tenant_scope(world.acme):
        assert learning_request(tenant_id=world.acme.pk) is True
        LearningState.all_tenants.filter(tenant=world.acme).update(
            queued_at=timezone.now() - learning_services.QUEUE_STALE - timedelta(seconds=1))
        assert learning_request(tenant_id=world.acme.pk) is True


def test_training_makes_an_active_version_with_its_estimates(world, taught):
    outcome = tenant_model_train(tenant_id=world.acme.pk)
    assert outcome.status == "trained"
    assert outcome.version == 1
    assert outcome.activated
    v1 = LearnedModel.all_tenants.get(tenant=world.acme)
    assert v1.is_active
    assert v1.corrections == 40
    assert v1.last_correction_id == max(c.pk for c in taught.corrections)
    estimate = v1.estimates["complaint"]
    assert estimate["learnt"] is True
    assert estimate["examples"] == 40
    assert estimate["model_macro_f1"] > estimate["engine_macro_f1"]
    assert v1.learnt_tasks == ["complaint"]
    assert "complaint" in TenantModel.from_bytes(bytes(v1.weights)).tasks


def test_training_again_without_new_corrections_changes_nothing(world, taught):
    tenant_model_train(tenant_id=world.acme.pk)
    assert tenant_model_train(tenant_id=world.acme.pk).status == "up_to_date"
    assert LearnedModel.all_tenants.filter(tenant=world.acme).count() == 1


def test_the_celery_task_trains_and_is_idempotent(world, taught, eager):
    assert tenant_model_train_task.delay(world.acme.pk).get() == "trained"
    assert tenant_model_train_task.delay(world.acme.pk).get() == "up_to_date"
    assert LearnedModel.all_tenants.filter(tenant=world.acme).count() == 1


def test_a_new_correction_makes_a_new_version_that_replaces_the_old(world, taught):
    tenant_model_train(tenant_id=world.acme.pk)
    correction_create(mention=mention_in(world.acme_source, "pulsa ilang lagi ya"),
                      field="complaint", value="complaint", user=world.owner)
    assert tenant_model_train(tenant_id=world.acme.pk).version == 2
    versions = LearnedModel.all_tenants.filter(tenant=world.acme).order_by("version")
    assert [(v.version, v.is_active, v.corrections) for v in versions] == [
        (1, False, 40), (2, True, 41)]


def test_too_few_corrections_make_no_version(world, fake_classifier):
    teach(world, world.owner, n=6)
    assert tenant_model_train(tenant_id=world.acme.pk).status == "too_few"
    assert not LearnedModel.all_tenants.exists()


def test_back_to_the_engine_and_back_to_a_version(world, taught):
    tenant_model_train(tenant_id=world.acme.pk)
    with tenant_scope(world.acme):
        learning_use_engine(tenant=world.acme, user=world.owner)
    assert not LearnedModel.all_tenants.filter(is_active=True).exists()
    state = LearningState.all_tenants.get(tenant=world.acme)
    assert state.use_learned is False
    assert state.changed_by == world.owner

    # A version trained meanwhile is kept but not put in use.
    correction_create(mention=mention_in(world.acme_source, "pulsa ilang lagi ya"),
                      field="complaint", value="complaint", user=world.owner)
    assert tenant_model_train(tenant_id=world.acme.pk).activated is False
    assert not LearnedModel.all_tenants.filter(is_active=True).exists()

    v1 = LearnedModel.all_tenants.get(tenant=world.acme, version=1)
    with tenant_scope(world.acme):
        learned_model_activate(version=v1, user=world.owner)
    active = LearnedModel.all_tenants.get(is_active=True)
    assert active.version == 1
    assert active.activated_by == world.owner
    assert LearningState.all_tenants.get(tenant=world.acme).use_learned is True


def test_the_model_is_switched_only_in_its_own_tenants_scope(world, taught):
    tenant_model_train(tenant_id=world.acme.pk)
    v1 = LearnedModel.all_tenants.get(tenant=world.acme, version=1)
    with tenant_scope(world.globex):
        with pytest.raises(TenantScopeMissing):
            learning_use_engine(tenant=world.acme, user=world.owner)
        with pytest.raises(TenantScopeMissing):
            learned_model_activate(version=v1, user=world.owner)
    assert LearnedModel.all_tenants.get(pk=v1.pk).is_active
    assert not LearningState.all_tenants.filter(tenant=world.globex).exists()


def test_old_versions_are_pruned_but_never_the_active_one(world, taught, monkeypatch):
    monkeypatch.setattr(learning_services, "KEEP_VERSIONS", 2)
    tenant_model_train(tenant_id=world.acme.pk)
    v1 = LearnedModel.all_tenants.get(version=1)
    with tenant_scope(world.acme):
        learning_use_engine(tenant=world.acme, user=world.owner)
    with tenant_scope(world.acme):
        learned_model_activate(version=v1, user=world.owner)
    with tenant_scope(world.acme):
        learning_use_engine(tenant=world.acme, user=None)
    for i in range(3):
        correction_create(mention=mention_in(world.acme_source, f"pulsa ilang {i}"),
                          field="complaint", value="complaint", user=world.owner)
        tenant_model_train(tenant_id=world.acme.pk)
    assert sorted(LearnedModel.all_tenants.values_list("version", flat=True)) == [3, 4]
    with tenant_scope(world.acme):
        learned_model_activate(version=LearnedModel.all_tenants.get(version=3), user=None)
    correction_create(mention=mention_in(world.acme_source, "pulsa ilang 9"),
                      field="complaint", value="complaint", user=world.owner)
    with tenant_scope(world.acme):
        learning_use_engine(tenant=world.acme, user=None)
    with tenant_scope(world.acme):
        learned_model_activate(version=LearnedModel.all_tenants.get(version=3), user=None)
    LearningState.all_tenants.filter(tenant=world.acme).update(use_learned=False)
    tenant_model_train(tenant_id=world.acme.pk)
    assert sorted(LearnedModel.all_tenants.values_list("version", flat=True)) == [3, 4, 5]
