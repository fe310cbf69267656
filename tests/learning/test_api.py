"""/api/v1/tenants/<slug>/learning/: what the tenant's model learnt, and choosing it or the engine."""

from __future__ import annotations

from listening.models import LearnedModel, LearningState
from listening.services.learning import tenant_model_train

BASE = "/api/v1/tenants/acme/learning/"


def test_before_any_correction_the_tenant_uses_the_engine(world, api_client_for):
    body = api_client_for(world.viewer).get(BASE).json()
    assert body["mode"] == "engine"
    assert body["active"] is None
    assert body["latest"] is None
    assert body["use_learned"] is True
    assert body["corrections"] == {"complaint": 0, "spam": 0, "sentiment": 0}


def test_it_shows_what_the_model_learnt_beside_the_engine(world, taught, api_client_for):
    tenant_model_train(tenant_id=world.acme.pk)
    body = api_client_for(world.viewer).get(BASE).json()
    assert body["mode"] == "learnt"
    assert body["corrections"]["complaint"] == 40
    active = body["active"]
    assert active["version"] == 1
    assert active["corrections"] == 40
    assert active["is_active"] is True
    [task] = active["tasks"]
    assert task["task"] == "complaint"
    assert task["examples"] == 40
    assert task["learnt"] is True
    assert task["model_macro_f1"] > task["engine_macro_f1"]
    assert body["latest"] == active


def test_an_admin_goes_back_to_the_engine_and_re_activates_a_version(world, taught,
                                                                       api_client_for):
    tenant_model_train(tenant_id=world.acme.pk)
    client = api_client_for(world.owner)
    body = client.post(f"{BASE}use-engine/").json()
    assert body["mode"] == "engine"
    assert body["use_learned"] is False
    assert body["latest"]["version"] == 1
    assert not LearnedModel.all_tenants.filter(is_active=True).exists()

    v1 = LearnedModel.all_tenants.get(tenant=world.acme)
    response = client.post(f"{BASE}versions/{v1.pk}/activate/")
    assert response.status_code == 200
    assert response.json()["is_active"] is True
    assert response.json()["activated_by"] == "owner"
    assert LearningState.all_tenants.get(tenant=world.acme).use_learned is True


def test_the_versions_are_listed_newest_first_without_their_weights(world, taught,
                                                                    api_client_for):
    tenant_model_train(tenant_id=world.acme.pk)
    LearnedModel.all_tenants.create(tenant=world.acme, version=2, corrections=41,
                                    last_correction_id=10**9, weights=b"x")
    body = api_client_for(world.viewer).get(f"{BASE}versions/").json()
    assert [v["version"] for v in body["results"]] == [2, 1]
    assert "weights" not in body["results"][0]
    one = api_client_for(world.viewer).get(f"{BASE}versions/{body['results'][1]['id']}/")
    assert one.json()["version"] == 1


def test_viewers_and_analysts_may_look_but_not_switch(world, taught, api_client_for):
    tenant_model_train(tenant_id=world.acme.pk)
    v1 = LearnedModel.all_tenants.get(tenant=world.acme)
    for user in (world.viewer, world.agency_user):  # viewer; analyst through the agency
        client = api_client_for(user)
        assert client.post(f"{BASE}use-engine/").status_code == 403
        assert client.post(f"{BASE}versions/{v1.pk}/activate/").status_code == 403
    assert LearnedModel.all_tenants.get(pk=v1.pk).is_active


def test_a_read_only_token_cannot_switch(world, taught, api_client_for):
    tenant_model_train(tenant_id=world.acme.pk)
    client = api_client_for(world.owner, read_only=True)
    assert client.post(f"{BASE}use-engine/").status_code == 403
    assert LearnedModel.all_tenants.get(tenant=world.acme).is_active


def test_a_version_that_does_not_exist_is_404(world, api_client_for):
    client = api_client_for(world.owner)
    assert client.get(f"{BASE}versions/999999/").status_code == 404
    assert client.post(f"{BASE}versions/999999/activate/").status_code == 404
    assert client.post(f"{BASE}versions/abc/activate/").status_code == 404


def test_another_tenants_version_is_the_same_404(world, api_client_for):
    theirs = LearnedModel.all_tenants.create(tenant=world.globex, version=1, corrections=40,
                                             last_correction_id=1, weights=b"")
    client = api_client_for(world.owner)
    assert client.get(f"{BASE}versions/{theirs.pk}/").status_code == 404
    assert client.post(f"{BASE}versions/{theirs.pk}/activate/").status_code == 404
    assert not LearnedModel.all_tenants.get(pk=theirs.pk).is_active
