"""One number, one meaning, on the pages and in the API: both response clocks named, times in
the tenant's zone with the zone, today's bar marked as a day still running, and the week's
figure saying which window it measures."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from dashboard.charts import daily_chart
from listening.models import Alert
from listening.selectors.volume import VolumePoint
from tests import factories
from tests.complaints.conftest import complaint, office_hours

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")


def days(n: int, *, last: datetime) -> list[VolumePoint]:
    return [VolumePoint(start=last - timedelta(days=n - 1 - i), mentions=10, complaints=1, negative=0)
            for i in range(n)]


def test_todays_bar_is_marked_as_a_day_still_running():
    today = datetime(2026, 11, 27, tzinfo=JAKARTA)
    chart = daily_chart(days(8, last=today), now=today + timedelta(hours=9))
    assert [b.partial for b in chart.bars] == [False] * 7 + [True]
    assert chart.bars[-1].label == "today (so far)"
    assert chart.has_partial
    assert "today, counted so far (10 mentions)" in chart.summary


def test_a_chart_of_finished_days_has_no_partial_bar():
    last = datetime(2026, 11, 26, tzinfo=JAKARTA)
    chart = daily_chart(days(8, last=last), now=last + timedelta(days=1, hours=2))
    assert not any(b.partial for b in chart.bars)
    assert not chart.has_partial


def test_the_tenant_page_draws_todays_bar_as_partial(client_for, world):
    body = client_for(world.owner).get("/t/acme/").content.decode()
    assert body.count("data-partial") == 1
    assert "Today, so far (the day is not over)" in body


def last_saturday_morning() -> datetime:
    """10:00 in Jakarta on the latest Saturday at least a day ago: outside business hours."""
    day = (timezone.now() - timedelta(days=1)).astimezone(JAKARTA)
    while day.weekday() != 5:
        day -= timedelta(days=1)
    return day.replace(hour=10, minute=0, second=0, microsecond=0)


def test_the_tenant_page_names_both_response_clocks(client_for, world):
    office_hours(world.acme)
    asked = last_saturday_morning()
    complaint(world, published_at=asked, answered_at=asked + timedelta(minutes=47))
    body = client_for(world.owner).get("/t/acme/").content.decode()
    median = re.search(r"<dt>Median first response</dt>(.*?)</div>", body, re.S).group(1)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", median)).strip()
    # Answered at the weekend: no business time passed, 47 minutes did on the clock.
    assert text == "&lt; 1 min in business hours 47 min wall-clock"


def test_the_api_gives_both_clocks_in_the_pages_words(world, api_client_for):
    office_hours(world.acme)
    asked = last_saturday_morning()
    complaint(world, published_at=asked, answered_at=asked + timedelta(minutes=47))
    overall = api_client_for(world.viewer).get(
        "/api/v1/tenants/acme/response-metrics/").json()["overall"]
    assert (overall["median_seconds"], overall["median_human"]) == (47 * 60, "47 min")
    assert (overall["median_business_seconds"], overall["median_business_human"]) == (0, "< 1 min")


def test_the_api_gives_no_human_figure_where_there_is_no_figure(world, api_client_for):
    overall = api_client_for(world.viewer).get(
        "/api/v1/tenants/acme/response-metrics/").json()["overall"]
    assert overall["median_human"] is None
    assert overall["p90_business_human"] is None


def test_tenant_pages_show_times_in_the_tenants_zone_with_the_zone(client_for, world):
    mention = factories.MentionFactory(source=world.acme_source,
                                       published_at=datetime(2026, 11, 20, 7, 5, tzinfo=UTC))
    client = client_for(world.owner)
    assert re.search(r"updated \d\d:\d\d WIB", client.get("/t/acme/").content.decode())
    detail = client.get(f"/t/acme/mentions/{mention.pk}/").content.decode()
    assert "Fri 20 Nov 2026, 14:05 WIB" in detail


def test_the_portfolio_shows_each_tenants_local_time_with_its_zone(client_for, world):
    world.globex.timezone = "Europe/London"
    world.globex.save()
    body = client_for(world.agency_user).get("/").content.decode()
    local = dict(re.findall(r'data-row="(\w+)".*?data-local-time[^>]*>([^<]+)<', body, re.S))
    assert re.fullmatch(r"\d\d:\d\d WIB", local["acme"])
    assert re.fullmatch(r"\d\d:\d\d GMT", local["globex"])
    assert re.search(r"updated \d\d:\d\d UTC", body)


def test_the_weeks_figure_says_its_window_and_why_an_alert_differs(client_for, world):
    client = client_for(world.owner)
    week = "7 days against the mean week of the 4 weeks before"
    differs = "the open alert measures only its last hours, so its percentage differs"
    body = client.get("/t/acme/").content.decode()
    assert week in body
    assert differs not in body
    now = timezone.now()
    Alert.all_tenants.create(tenant=world.acme, kind="decline", key="decline:tenant",
                             title="Mentions of Acme are falling", opened_at=now, last_seen_at=now)
    assert differs in client.get("/t/acme/").content.decode()


def test_the_mention_list_gives_the_first_reply_time_with_the_tenants_zone(client_for, world):
    asked = datetime(2026, 11, 20, 7, 5, tzinfo=UTC)
    factories.MentionFactory(source=world.acme_source, published_at=asked, is_complaint=True,
                             answered_at=asked + timedelta(minutes=10))
    body = client_for(world.owner).get("/t/acme/mentions/").content.decode()
    assert 'title="First brand reply 20 Nov 14:15 WIB"' in body
