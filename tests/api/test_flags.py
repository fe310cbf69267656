from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from listening.api.flags import OLDEST_SHOWN
from tests import factories

URL = "/api/v1/tenants/acme/flags/"


def complaint(world, age):
    return factories.MentionFactory(source=world.acme_source, brand=world.acme_brand,
                                    is_complaint=True, published_at=timezone.now() - age)


def test_it_lists_overdue_complaints_oldest_first_with_their_age(world, api_client_for):
    older = complaint(world, timedelta(hours=5))
    newer = complaint(world, timedelta(hours=3))
    complaint(world, timedelta(minutes=10))  # within the response target: not overdue
    body = api_client_for(world.viewer).get(URL).json()
    unanswered = body["unanswered"]
    assert unanswered["count"] == 2
    assert [m["id"] for m in unanswered["oldest"]] == [older.pk, newer.pk]
    assert 299 <= unanswered["oldest"][0]["age_minutes"] <= 301
    assert unanswered["oldest_at"] is not None


def test_it_shows_20_of_many_and_counts_them_all(world, api_client_for):
    for i in range(OLDEST_SHOWN + 5):
        complaint(world, timedelta(hours=3, minutes=i))
    body = api_client_for(world.viewer).get(URL).json()
    assert body["unanswered"]["count"] == OLDEST_SHOWN + 5
    assert len(body["unanswered"]["oldest"]) == OLDEST_SHOWN


def test_it_explains_volume_and_names_unhealthy_sources(world, api_client_for):
    world.acme_source.paused = True
    world.acme_source.save()
    volume = api_client_for(world.viewer).get(URL).json()["volume"]
    assert volume["unhealthy_sources"] == ["Acme mock"]
    assert volume["change"] is None
    assert "not enough history" in volume["explanation"]
    assert set(volume) == {"last_7_days", "weekly_baseline", "change", "declining", "surging",
                           "explanation", "unhealthy_sources"}


def test_flags_cost_the_same_for_3_or_30_complaints(
    world, api_client_for, count_queries, django_assert_max_num_queries
):
    client = api_client_for(world.viewer)
    for i in range(3):
        complaint(world, timedelta(hours=3, minutes=i))
    few = count_queries(lambda: client.get(URL))
    for i in range(27):
        complaint(world, timedelta(hours=4, minutes=i))
    with django_assert_max_num_queries(few):
        body = client.get(URL).json()
    assert body["unanswered"]["count"] == 30
