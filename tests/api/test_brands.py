from __future__ import annotations

from listening.models import Brand, BrandAccount
from tests import factories

URL = "/api/v1/tenants/acme/brands/"


def test_it_lists_the_tenants_brands_with_their_accounts(world, api_client_for):
    factories.BrandAccountFactory(brand=world.acme_brand, platform="x", handle="@AcmeCare")
    [brand] = api_client_for(world.viewer).get(URL).json()["results"]
    assert brand["name"] == "Acme"
    assert brand["accounts"] == [{"platform": "x", "handle": "acmecare"}]


def test_it_creates_a_brand_with_accounts(world, api_client_for):
    payload = {"name": "Acme Pro", "keywords": ["acmepro"], "aliases": ["A-Pro"],
               "exclusions": ["acme pie"], "accounts": [{"platform": "X", "handle": "@ProCare"}]}
    response = api_client_for(world.owner).post(URL, payload, format="json")
    assert response.status_code == 201, response.json()
    brand = Brand.all_tenants.get(name="Acme Pro")
    assert brand.tenant == world.acme
    assert (brand.keywords, brand.aliases, brand.exclusions) == (["acmepro"], ["A-Pro"], ["acme pie"])
    assert response.json()["accounts"] == [{"platform": "x", "handle": "procare"}]
    assert BrandAccount.all_tenants.get(brand=brand).tenant == world.acme


def test_it_refuses_a_duplicate_name_per_field(world, api_client_for):
    response = api_client_for(world.owner).post(URL, {"name": "Acme"}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()


def test_a_name_taken_in_another_tenant_is_fine(world, api_client_for):
    response = api_client_for(world.owner).post(URL, {"name": "Globex"}, format="json")
    assert response.status_code == 201
    assert response.json()["name"] == "Globex"
    stored = Brand.all_tenants.get(pk=response.json()["id"])
    assert (stored.tenant, stored.name) == (world.acme, "Globex")
    assert Brand.all_tenants.filter(tenant=world.globex, name="Globex").count() == 1


def test_it_refuses_a_handle_that_another_brand_owns(world, api_client_for):
    factories.BrandAccountFactory(brand=world.acme_brand, platform="x", handle="care")
    payload = {"name": "Other", "accounts": [{"platform": "x", "handle": "@Care"}]}
    response = api_client_for(world.owner).post(URL, payload, format="json")
    assert response.status_code == 400
    assert "accounts" in response.json()


def test_put_replaces_the_accounts(world, api_client_for):
    factories.BrandAccountFactory(brand=world.acme_brand, platform="x", handle="old")
    payload = {"name": "Acme", "keywords": ["acme"], "accounts": [{"platform": "x", "handle": "new"}]}
    response = api_client_for(world.owner).put(f"{URL}{world.acme_brand.pk}/", payload, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["accounts"] == [{"platform": "x", "handle": "new"}]
    assert list(BrandAccount.all_tenants.values_list("handle", flat=True)) == ["new"]


def test_patch_keeps_the_accounts_it_was_not_given(world, api_client_for):
    factories.BrandAccountFactory(brand=world.acme_brand, platform="x", handle="kept")
    response = api_client_for(world.owner).patch(
        f"{URL}{world.acme_brand.pk}/", {"keywords": ["acme", "acmeco"]}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["accounts"] == [{"platform": "x", "handle": "kept"}]


def test_it_deletes_a_brand(world, api_client_for):
    response = api_client_for(world.owner).delete(f"{URL}{world.acme_brand.pk}/")
    assert response.status_code == 204
    assert not Brand.all_tenants.filter(pk=world.acme_brand.pk).exists()
    world.acme_source.refresh_from_db()
    assert world.acme_source.brand is None


def test_it_returns_404_for_another_tenants_brand(world, api_client_for):
    client = api_client_for(world.owner)
    assert client.get(f"{URL}{world.globex_brand.pk}/").status_code == 404
    assert client.delete(f"{URL}{world.globex_brand.pk}/").status_code == 404
    assert Brand.all_tenants.filter(pk=world.globex_brand.pk).exists()


def test_brands_paginate(world, api_client_for):
    for i in range(4):
        factories.BrandFactory(tenant=world.acme, name=f"B{i}")
    client = api_client_for(world.viewer)
    first = client.get(URL, {"page_size": 3}).json()
    second = client.get(first["next"]).json()
    names = [b["name"] for b in first["results"] + second["results"]]
    assert names == ["Acme", "B0", "B1", "B2", "B3"]
    assert second["next"] is None


def test_listing_brands_costs_the_same_for_3_or_30(
    world, api_client_for, count_queries, django_assert_max_num_queries
):
    def brands(n, start):
        for i in range(start, start + n):
            brand = factories.BrandFactory(tenant=world.acme, name=f"Brand {i:03}")
            factories.BrandAccountFactory(brand=brand)

    client = api_client_for(world.viewer)
    brands(2, 0)
    few = count_queries(lambda: client.get(URL))
    brands(27, 2)
    with django_assert_max_num_queries(few):
        response = client.get(URL)
    assert len(response.json()["results"]) == 30
