from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories

URL = "/api/v1/tenants/acme/mentions/"


@pytest.fixture
def mentions(world):
    now = timezone.now()
    other_brand = factories.BrandFactory(tenant=world.acme, name="Acme Pro")
    other_source = factories.SourceFactory(tenant=world.acme, name="Second")
    make = factories.MentionFactory
    return {
        "old_complaint": make(source=world.acme_source, brand=world.acme_brand, is_complaint=True,
                              text="Acme broke my order", sentiment="negative", lang="en",
                              published_at=now - timedelta(days=2)),
        "fresh_complaint": make(source=world.acme_source, brand=world.acme_brand,
                                is_complaint=True, text="acme again?", lang="en",
                                published_at=now - timedelta(minutes=5)),
        "answered": make(source=world.acme_source, brand=world.acme_brand, is_complaint=True,
                         answered_at=now - timedelta(days=1), lang="id",
                         published_at=now - timedelta(days=3)),
        "spam": make(source=other_source, brand=other_brand, is_spam=True, text="BUY NOW",
                     published_at=now - timedelta(hours=5)),
        "praise": make(source=other_source, brand=other_brand, sentiment="positive",
                       lang="id", text="Mantap Acme Pro", published_at=now - timedelta(hours=2)),
        "globex": make(source=world.globex_source, text="Acme? no, globex",
                       published_at=now - timedelta(hours=1)),
    }


def ids(response):
    assert response.status_code == 200, response.json()
    return [m["id"] for m in response.json()["results"]]


def test_it_lists_the_tenants_mentions_but_spam_newest_first(world, api_client_for, mentions):
    m = mentions
    assert ids(api_client_for(world.viewer).get(URL)) == [
        m["fresh_complaint"].pk, m["praise"].pk, m["old_complaint"].pk, m["answered"].pk,
    ]


def test_it_lists_spam_too_when_asked(world, api_client_for, mentions):
    m = mentions
    assert ids(api_client_for(world.viewer).get(URL, {"spam": "all"})) == [
        m["fresh_complaint"].pk, m["praise"].pk, m["spam"].pk, m["old_complaint"].pk,
        m["answered"].pk,
    ]


def test_it_fetches_a_spam_mention_by_id(world, api_client_for, mentions):
    response = api_client_for(world.viewer).get(f"{URL}{mentions['spam'].pk}/")
    assert response.json()["is_spam"] is True


def test_a_mention_carries_the_classifier_fields(world, api_client_for, mentions):
    body = api_client_for(world.viewer).get(f"{URL}{mentions['answered'].pk}/").json()
    assert body["is_complaint"] is True
    assert body["lang"] == "id"
    assert body["answered_at"] is not None
    assert body["brand"] == world.acme_brand.pk
    assert body["source"] == world.acme_source.pk
    assert {"sentiment", "sentiment_score", "intent", "complaint_confidence", "is_spam",
            "is_brand_reply"} <= set(body)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"complaint": "true"}, ["fresh_complaint", "old_complaint", "answered"]),
        ({"complaint": "false"}, ["praise"]),
        ({"complaint": "false", "spam": "all"}, ["praise", "spam"]),
        ({"spam": "true"}, ["spam"]),
        ({"spam": "false"}, ["fresh_complaint", "praise", "old_complaint", "answered"]),
        ({"lang": "id"}, ["praise", "answered"]),
        ({"sentiment": "negative"}, ["old_complaint"]),
        ({"unanswered": "true"}, ["old_complaint"]),
        ({"q": "ACME"}, ["fresh_complaint", "praise", "old_complaint"]),
        ({"complaint": "true", "lang": "en"}, ["fresh_complaint", "old_complaint"]),
    ],
)
def test_it_filters(world, api_client_for, mentions, params, expected):
    response = api_client_for(world.viewer).get(URL, params)
    assert ids(response) == [mentions[name].pk for name in expected]


def test_it_filters_by_brand_and_source(world, api_client_for, mentions):
    client = api_client_for(world.viewer)
    assert ids(client.get(URL, {"brand": mentions["praise"].brand_id, "spam": "all"})) == [
        mentions["praise"].pk, mentions["spam"].pk
    ]
    assert ids(client.get(URL, {"source": world.acme_source.pk, "complaint": "true",
                                "unanswered": "false"})) == [
        mentions["fresh_complaint"].pk, mentions["answered"].pk
    ]


def test_the_search_matches_the_authors_handle_too(world, api_client_for, mentions):
    mentions["praise"].author_handle = "acme_fan"
    mentions["praise"].save(update_fields=["author_handle"])
    mentions["answered"].author_handle = "Pelanggan_ACME"
    mentions["answered"].save(update_fields=["author_handle"])
    assert ids(api_client_for(world.viewer).get(URL, {"q": "acme"})) == [
        mentions[name].pk for name in ("fresh_complaint", "praise", "old_complaint", "answered")
    ]


def test_a_spam_value_that_is_not_documented_is_a_field_error(world, api_client_for):
    response = api_client_for(world.viewer).get(URL, {"spam": "yes"})
    assert response.status_code == 400
    assert "spam" in response.json()


def test_another_tenants_brand_filters_to_nothing(world, api_client_for, mentions):
    assert ids(api_client_for(world.viewer).get(URL, {"source": world.globex_source.pk})) == []


def test_it_filters_by_time(world, api_client_for, mentions):
    now = timezone.now()
    params = {"since": (now - timedelta(days=2, hours=1)).isoformat(),
              "until": (now - timedelta(hours=3)).isoformat(), "spam": "all"}
    assert ids(api_client_for(world.viewer).get(URL, params)) == [
        mentions["spam"].pk, mentions["old_complaint"].pk
    ]


def test_a_malformed_since_is_a_field_error(world, api_client_for):
    response = api_client_for(world.viewer).get(URL, {"since": "last tuesday"})
    assert response.status_code == 400
    assert list(response.json()) == ["since"]


def test_a_bad_filter_value_is_a_field_error(world, api_client_for):
    response = api_client_for(world.viewer).get(URL, {"sentiment": "meh", "complaint": "perhaps"})
    assert response.status_code == 400
    assert set(response.json()) == {"sentiment", "complaint"}


def test_it_returns_404_for_another_tenants_mention(world, api_client_for, mentions):
    response = api_client_for(world.owner).get(f"{URL}{mentions['globex'].pk}/")
    assert response.status_code == 404


def test_mentions_are_read_only(world, api_client_for, mentions):
    client = api_client_for(world.owner)
    assert client.post(URL, {"text": "x"}, format="json").status_code == 405
    assert client.delete(f"{URL}{mentions['praise'].pk}/").status_code == 405


def test_pages_neither_repeat_nor_skip_among_equal_timestamps(world, api_client_for):
    same = timezone.now() - timedelta(hours=1)
    made = [factories.MentionFactory(source=world.acme_source, published_at=same) for _ in range(7)]
    client = api_client_for(world.viewer)
    seen, url = [], f"{URL}?page_size=3"
    while url:
        page = client.get(url).json()
        seen += [m["id"] for m in page["results"]]
        url = page["next"]
    assert seen == sorted((m.pk for m in made), reverse=True)


def test_a_new_mention_does_not_shift_the_next_page(world, api_client_for):
    base = timezone.now() - timedelta(hours=1)
    made = [factories.MentionFactory(source=world.acme_source,
                                     published_at=base - timedelta(minutes=i)) for i in range(4)]
    client = api_client_for(world.viewer)
    first = client.get(URL, {"page_size": 2}).json()
    factories.MentionFactory(source=world.acme_source, published_at=timezone.now())
    second = client.get(first["next"]).json()
    assert [m["id"] for m in second["results"]] == [made[2].pk, made[3].pk]


def test_listing_mentions_costs_the_same_for_3_or_30(
    world, api_client_for, count_queries, django_assert_max_num_queries
):
    def mentions(n):
        for _ in range(n):
            factories.MentionFactory(source=world.acme_source, brand=world.acme_brand)

    client = api_client_for(world.viewer)
    mentions(3)
    few = count_queries(lambda: client.get(URL, {"unanswered": "false"}))
    mentions(27)
    with django_assert_max_num_queries(few):
        response = client.get(URL, {"unanswered": "false"})
    assert len(response.json()["results"]) == 30
