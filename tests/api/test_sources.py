from __future__ import annotations

from listening.api.sources import MASK
from listening.models import Source
from listening.services.credentials import secrets_read
from tests import factories

URL = "/api/v1/tenants/acme/sources/"


def new_source(**overrides):
    payload = {"name": "Feed", "kind": "fakefeed", "config": {"scenario": "steady"}}
    payload.update(overrides)
    return payload


def test_it_creates_a_source_with_the_adapters_defaults(world, api_client_for):
    response = api_client_for(world.owner).post(
        URL, new_source(brand=world.acme_brand.pk, poll_interval_seconds=120), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["config"] == {"scenario": "steady", "seed": 1}
    assert body["brand"] == world.acme_brand.pk
    assert body["health"] == "pending"
    source = Source.all_tenants.get(pk=body["id"])
    assert (source.tenant, source.poll_interval_seconds) == (world.acme, 120)


def test_it_puts_config_errors_under_config_field_by_field(world, api_client_for):
    response = api_client_for(world.owner).post(
        URL, new_source(config={"scenario": "chaos", "seed": "x", "colour": 1}), format="json"
    )
    assert response.status_code == 400
    errors = response.json()["config"]
    assert errors["scenario"] == ["Must be one of: steady, outage."]
    assert errors["seed"] == ["Must be of type int."]
    assert errors["colour"] == ["Unknown setting for this source kind."]


def test_it_refuses_a_config_that_is_not_an_object(world, api_client_for):
    response = api_client_for(world.owner).post(URL, new_source(config=[1]), format="json")
    assert response.status_code == 400
    assert response.json() == {"config": ["Must be a JSON object."]}


def test_it_refuses_an_unknown_kind_on_kind(world, api_client_for):
    response = api_client_for(world.owner).post(URL, new_source(kind="carrier-pigeon"),
                                                format="json")
    assert response.status_code == 400
    assert "Unknown source kind" in response.json()["kind"][0]
    assert "config" not in response.json()


def test_it_refuses_another_tenants_brand_on_brand(world, api_client_for):
    response = api_client_for(world.owner).post(
        URL, new_source(brand=world.globex_brand.pk), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["brand"]
    assert not Source.all_tenants.filter(name="Feed").exists()


def test_it_refuses_another_tenants_brand_on_update_too(world, api_client_for):
    response = api_client_for(world.owner).patch(
        f"{URL}{world.acme_source.pk}/", {"brand": world.initech_brand.pk}, format="json"
    )
    assert response.status_code == 400
    assert "brand" in response.json()


def test_it_refuses_a_duplicate_name(world, api_client_for):
    response = api_client_for(world.owner).post(URL, new_source(name="Acme mock"), format="json")
    assert response.status_code == 400
    assert "name" in response.json()


def test_it_never_echoes_a_secret(world, api_client_for):
    client = api_client_for(world.owner)
    created = client.post(URL, new_source(config={"api_key": "s3cret"}), format="json").json()
    assert created["config"]["api_key"] == MASK
    listed = client.get(URL).json()["results"]
    assert "s3cret" not in str(listed)
    assert "s3cret" not in str(client.get(f"{URL}{created['id']}/").json())
    stored = Source.all_tenants.get(pk=created["id"])
    assert "api_key" not in stored.config
    assert "s3cret" not in str(stored.secrets)
    assert secrets_read(source=stored) == {"api_key": "s3cret"}


def test_sending_the_mask_back_keeps_the_secret(world, api_client_for):
    client = api_client_for(world.owner)
    created = client.post(URL, new_source(config={"api_key": "s3cret"}), format="json").json()
    config = {**created["config"], "scenario": "outage"}
    response = client.patch(f"{URL}{created['id']}/", {"config": config}, format="json")
    assert response.status_code == 200, response.json()
    stored = Source.all_tenants.get(pk=created["id"])
    assert stored.config == {"scenario": "outage", "seed": 1}
    assert secrets_read(source=stored) == {"api_key": "s3cret"}


def test_health_and_cursor_are_not_writable(world, api_client_for):
    source = factories.SourceFactory(tenant=world.acme, kind="fakefeed", config={}, name="F",
                                     cursor={"n": 5})
    response = api_client_for(world.owner).patch(
        f"{URL}{source.pk}/",
        {"cursor": {"n": 0}, "consecutive_failures": 0, "mentions_ingested": 99, "paused": True},
        format="json",
    )
    assert response.status_code == 200
    source.refresh_from_db()
    assert (source.cursor, source.mentions_ingested, source.paused) == ({"n": 5}, 0, True)
    assert response.json()["health"] == "paused"
    assert "cursor" not in response.json()


def test_it_shows_health(world, api_client_for):
    Source.all_tenants.filter(pk=world.acme_source.pk).update(
        consecutive_failures=4, last_error="TransientAdapterError: 503", items_rejected=2,
        last_rejection="empty text",
    )
    body = api_client_for(world.viewer).get(f"{URL}{world.acme_source.pk}/").json()
    assert body["health"] == "failing"
    assert (body["last_error"], body["items_rejected"], body["last_rejection"]) == (
        "TransientAdapterError: 503", 2, "empty text"
    )
    assert body["mentions_ingested"] == 0


def test_it_deletes_a_source(world, api_client_for):
    assert api_client_for(world.owner).delete(f"{URL}{world.acme_source.pk}/").status_code == 204
    assert not Source.all_tenants.filter(pk=world.acme_source.pk).exists()


def test_it_returns_404_for_another_tenants_source(world, api_client_for):
    client = api_client_for(world.owner)
    url = f"{URL}{world.globex_source.pk}/"
    assert client.get(url).status_code == 404
    assert client.patch(url, {"paused": True}, format="json").status_code == 404
    world.globex_source.refresh_from_db()
    assert world.globex_source.paused is False


def test_listing_sources_costs_the_same_for_3_or_30(
    world, api_client_for, count_queries, django_assert_max_num_queries
):
    def sources(n, start):
        for i in range(start, start + n):
            factories.SourceFactory(tenant=world.acme, brand=world.acme_brand, name=f"S{i:03}",
                                    kind="fakefeed", config={"api_key": "k"})

    client = api_client_for(world.viewer)
    sources(2, 0)
    few = count_queries(lambda: client.get(URL))
    sources(27, 2)
    with django_assert_max_num_queries(few):
        response = client.get(URL)
    assert len(response.json()["results"]) == 30
