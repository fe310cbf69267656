"""The API and the dashboard parse their filters into one MentionFilters and list through one
selector, so the same filters give the same mentions on both."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentions(world):
    lite = factories.BrandFactory(tenant=world.acme, name="Acme Lite")
    forum = factories.SourceFactory(tenant=world.acme, name="Acme forum")
    make = factories.MentionFactory
    make(source=world.acme_source, brand=world.acme_brand, is_complaint=True, lang="en",
         text="refund please", author_handle="angry_buyer", complaint_status="open",
         sentiment="negative", platform="x", assigned_to=world.owner)
    make(source=world.acme_source, brand=world.acme_brand, lang="en", text="love it",
         author_handle="refund_hunter", sentiment="positive")
    make(source=world.acme_source, brand=world.acme_brand, lang="id", is_complaint=True,
         text="pengiriman lambat", author_handle="pembeli", complaint_status="answered",
         answered_at=timezone.now() - timedelta(minutes=10))
    make(source=world.acme_source, is_spam=True, lang="en", text="refund bots here",
         author_handle="bot")
    make(source=forum, brand=lite, is_spam=True, is_complaint=True, lang="en",
         text="lite broke", author_handle="forum_fan")
    make(source=world.globex_source, text="refund from globex", author_handle="refund_globex")
    return {"lite": lite, "forum": forum}


def dashboard_ids(client, params):
    response = client.get("/t/acme/mentions/", params)
    assert response.status_code == 200
    return [m.pk for m in response.context["page"].object_list]


def api_ids(client, params):
    response = client.get("/api/v1/tenants/acme/mentions/", params)
    assert response.status_code == 200, response.json()
    return [m["id"] for m in response.json()["results"]]


# The same question in each interface's words: (dashboard parameters, API parameters).
SAME_FILTERS = [
    ({}, {}),
    ({"q": "refund"}, {"q": "refund"}),
    ({"q": "FORUM_"}, {"q": "FORUM_"}),
    ({"q": "FORUM_", "spam": "all"}, {"q": "FORUM_", "spam": "all"}),
    ({"spam": "only"}, {"spam": "true"}),
    ({"spam": "all"}, {"spam": "all"}),
    ({"complaint": "yes"}, {"complaint": "true"}),
    ({"complaint": "no", "spam": "all"}, {"complaint": "false", "spam": "all"}),
    ({"lang": "en", "q": "refund"}, {"lang": "en", "q": "refund"}),
    ({"complaint": "yes", "spam": "all", "lang": "en"},
     {"complaint": "true", "spam": "all", "lang": "en"}),
    ({"status": "open"}, {"status": "open"}),
    ({"status": "answered", "spam": "all"}, {"status": "answered", "spam": "all"}),
    ({"assigned_to": "none", "complaint": "yes"}, {"assigned_to": "none", "complaint": "true"}),
    ({"platform": "x"}, {"platform": "x"}),
    ({"sentiment": "negative"}, {"sentiment": "negative"}),
    ({"answered": "yes"}, {"answered": "true"}),
    ({"answered": "no", "complaint": "yes"}, {"answered": "false", "complaint": "true"}),
]


@pytest.mark.parametrize(("dashboard", "api"), SAME_FILTERS)
def test_the_api_and_the_dashboard_list_the_same_mentions(
    world, mentions, client_for, api_client_for, dashboard, api
):
    assert dashboard_ids(client_for(world.owner), dashboard) == api_ids(
        api_client_for(world.owner), api
    )


def test_they_agree_on_brand_and_source_and_hide_spam_alike(
    world, mentions, client_for, api_client_for
):
    dashboard, api = client_for(world.owner), api_client_for(world.owner)
    for key in ("brand", "source"):
        value = mentions["lite" if key == "brand" else "forum"].pk
        assert dashboard_ids(dashboard, {key: value}) == api_ids(api, {key: value}) == []
        both = dashboard_ids(dashboard, {key: value, "spam": "all"})
        assert both == api_ids(api, {key: value, "spam": "all"})
        assert len(both) == 1


def test_the_search_finds_authors_on_both(world, mentions, client_for, api_client_for):
    # "refund_hunter" says "love it": only its handle matches.
    dashboard = dashboard_ids(client_for(world.owner), {"q": "hunter"})
    assert dashboard == api_ids(api_client_for(world.owner), {"q": "hunter"})
    assert len(dashboard) == 1


def test_they_agree_on_the_assignee_and_me_means_the_person_asking(
    world, mentions, client_for, api_client_for
):
    mine = dashboard_ids(client_for(world.owner), {"assigned_to": "me"})
    assert mine == api_ids(api_client_for(world.owner), {"assigned_to": str(world.owner.pk)})
    assert len(mine) == 1
    assert dashboard_ids(client_for(world.viewer), {"assigned_to": "me"}) == []


def test_dashboard_days_are_the_tenants_days_both_ends_included(world, client_for, api_client_for):
    jakarta = ZoneInfo("Asia/Jakarta")
    world.acme.timezone = "Asia/Jakarta"
    world.acme.save()
    make = factories.MentionFactory
    before = make(source=world.acme_source, published_at=datetime(2026, 3, 9, 23, 59, tzinfo=jakarta))
    first = make(source=world.acme_source, published_at=datetime(2026, 3, 10, 0, 0, tzinfo=jakarta))
    last = make(source=world.acme_source, published_at=datetime(2026, 3, 11, 23, 59, tzinfo=jakarta))
    after = make(source=world.acme_source, published_at=datetime(2026, 3, 12, 0, 0, tzinfo=jakarta))
    days = dashboard_ids(client_for(world.owner), {"since": date(2026, 3, 10), "until": date(2026, 3, 11)})
    api = api_ids(api_client_for(world.owner), {"since": "2026-03-10T00:00:00+07:00",
                                                 "until": "2026-03-12T00:00:00+07:00"})
    assert days == api == [last.pk, first.pk]
    assert before.pk not in days
    assert after.pk not in days
