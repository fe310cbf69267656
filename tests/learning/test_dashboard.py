"""The dashboard's "What it learnt" page: read by members, switched by admins and owners."""

from __future__ import annotations

import pytest
from django.urls import reverse

from listening.models import LearnedModel, LearningState, Role
from listening.services.learning import tenant_model_train
from tests import factories


@pytest.fixture
def url(world) -> str:
    return reverse("dashboard:learning", kwargs={"slug": world.acme.slug})


def test_before_any_model_it_says_the_engine_decides(client, world, url):
    client.force_login(world.viewer)
    page = client.get(url).content.decode()
    assert 'data-mode="engine"' in page
    assert "at least 20 mentions" in page
    assert "Use the shipped engine" not in page


def test_it_shows_the_model_in_use_beside_the_engine(client, world, taught, url):
    tenant_model_train(tenant_id=world.acme.pk)
    estimate = LearnedModel.all_tenants.get().estimates["complaint"]
    client.force_login(world.viewer)
    page = client.get(url).content.decode()
    assert 'data-mode="learnt"' in page
    assert "version 1, learnt from 40 corrections" in page
    assert f"{estimate['model_macro_f1']:.2f}" in page
    assert f"{estimate['engine_macro_f1']:.2f}" in page
    assert "your model" in page
    assert "Use the shipped engine" not in page  # a viewer may not switch


def test_an_owner_goes_back_to_the_engine_in_one_click_and_back_again(client, world, taught, url):
    tenant_model_train(tenant_id=world.acme.pk)
    client.force_login(world.owner)
    assert "Use the shipped engine" in client.get(url).content.decode()

    response = client.post(url, {"action": "use_engine"}, follow=True)
    page = response.content.decode()
    assert "Your mentions get the shipped engine again" in page
    assert 'data-mode="engine"' in page
    assert not LearnedModel.all_tenants.filter(is_active=True).exists()
    assert LearningState.all_tenants.get(tenant=world.acme).use_learned is False

    v1 = LearnedModel.all_tenants.get()
    page = client.post(url, {"action": "activate", "version": v1.pk}, follow=True).content.decode()
    assert "Version 1 is in use" in page
    assert LearnedModel.all_tenants.get().is_active


def test_viewers_and_analysts_cannot_switch(client, world, taught, url):
    tenant_model_train(tenant_id=world.acme.pk)
    analyst = factories.UserFactory(username="analyst")
    factories.MembershipFactory(user=analyst, tenant=world.acme, role=Role.ANALYST)
    for user in (world.viewer, analyst):
        client.force_login(user)
        assert client.post(url, {"action": "use_engine"}).status_code == 403
    assert LearnedModel.all_tenants.get().is_active


def test_another_tenants_version_cannot_be_activated(client, world, url):
    theirs = LearnedModel.all_tenants.create(tenant=world.globex, version=1, corrections=40,
                                             last_correction_id=1, weights=b"")
    client.force_login(world.owner)
    assert client.post(url, {"action": "activate", "version": theirs.pk}).status_code == 404
    assert not LearnedModel.all_tenants.get(pk=theirs.pk).is_active


def test_a_choice_it_does_not_understand_changes_nothing(client, world, taught, url):
    tenant_model_train(tenant_id=world.acme.pk)
    client.force_login(world.owner)
    page = client.post(url, {"action": "delete_everything"}, follow=True).content.decode()
    assert "nothing changed" in page
    assert LearnedModel.all_tenants.get().is_active


def test_the_tenant_page_links_to_it(client, world, url):
    client.force_login(world.viewer)
    assert url in client.get(reverse("dashboard:tenant", kwargs={"slug": "acme"})).content.decode()
