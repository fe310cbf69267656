from __future__ import annotations

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentions(world):
    other_source = factories.SourceFactory(tenant=world.acme, name="Acme forum")
    other_brand = factories.BrandFactory(tenant=world.acme, name="Acme Lite")
    make = factories.MentionFactory
    return {
        "complaint": make(source=world.acme_source, brand=world.acme_brand, is_complaint=True,
                          text="refund please", lang="en"),
        "praise": make(source=world.acme_source, brand=world.acme_brand, text="love it",
                       lang="en"),
        "indonesian": make(source=world.acme_source, brand=world.acme_brand, lang="id",
                           text="pengiriman lambat sekali"),
        "spam": make(source=world.acme_source, is_spam=True, text="cheap followers", lang="en"),
        "forum": make(source=other_source, brand=other_brand, text="forum thread about lite",
                      lang="en", author_handle="forum_fan"),
        "brands": (world.acme_brand, other_brand),
        "sources": (world.acme_source, other_source),
    }


def texts(response):
    return {m.text for m in response.context["page"].object_list}


def test_it_lists_everything_but_spam_by_default(client_for, world, mentions):
    response = client_for(world.owner).get("/t/acme/mentions/")
    assert texts(response) == {"refund please", "love it", "pengiriman lambat sekali",
                               "forum thread about lite"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("complaint=yes", {"refund please"}),
        ("spam=only", {"cheap followers"}),
        ("lang=id", {"pengiriman lambat sekali"}),
        ("q=LAMBAT", {"pengiriman lambat sekali"}),
        ("q=forum_fan", {"forum thread about lite"}),
        ("complaint=no&lang=en", {"love it", "forum thread about lite"}),
    ],
)
def test_it_filters_mentions(client_for, world, mentions, query, expected):
    assert texts(client_for(world.owner).get(f"/t/acme/mentions/?{query}")) == expected


def test_it_filters_by_brand_and_source(client_for, world, mentions):
    client = client_for(world.owner)
    lite = mentions["brands"][1]
    forum = mentions["sources"][1]
    assert texts(client.get(f"/t/acme/mentions/?brand={lite.pk}")) == {"forum thread about lite"}
    assert texts(client.get(f"/t/acme/mentions/?source={forum.pk}")) == {"forum thread about lite"}
    assert len(texts(client.get("/t/acme/mentions/?spam=all"))) == 5


def test_it_rejects_another_tenants_brand_instead_of_showing_everything(
    client_for, world, mentions
):
    response = client_for(world.owner).get(f"/t/acme/mentions/?brand={world.globex_brand.pk}")
    assert response.status_code == 200
    assert texts(response) == set()
    assert "Select a valid choice" in response.content.decode()


def test_the_filter_only_offers_this_tenants_brands_and_sources(client_for, world, mentions):
    body = client_for(world.agency_user).get("/t/acme/mentions/").content.decode()
    assert "Acme Lite" in body
    assert "Acme forum" in body
    assert "Globex mock" not in body


def test_it_paginates_and_keeps_the_filters(client_for, world):
    for i in range(30):
        factories.MentionFactory(source=world.acme_source, text=f"complaint {i}",
                                 is_complaint=True)
    client = client_for(world.owner)
    first = client.get("/t/acme/mentions/?complaint=yes")
    assert len(first.context["page"].object_list) == 25
    assert "?complaint=yes&amp;page=2" in first.content.decode()
    second = client.get("/t/acme/mentions/?complaint=yes&page=2")
    assert len(second.context["page"].object_list) == 5
