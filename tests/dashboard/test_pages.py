from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from dashboard.templatetags.dengar import humanise
from listening.models import Alert, Mention
from tests import factories
from tests.dashboard.conftest import add_hourly_volume

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/t/acme/", "/t/acme/mentions/"])
def test_it_sends_anonymous_visitors_to_the_login_page(client, world, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_login_page_signs_a_user_in_and_the_logout_button_posts(client, world):
    page = client.get("/login/")
    assert page.status_code == 200
    assert b'name="password"' in page.content
    response = client.post(
        "/login/", {"username": "agency", "password": factories.PASSWORD}, follow=True
    )
    assert response.request["PATH_INFO"] == "/"
    body = response.content.decode()
    assert 'action="/logout/"' in body
    assert 'method="post"' in body
    assert "csrfmiddlewaretoken" in body
    client.post("/logout/")
    assert client.get("/").status_code == 302


def test_the_switcher_lists_only_the_users_own_tenants(client_for, world):
    body = client_for(world.owner).get("/t/acme/").content.decode()
    assert 'data-tenant="acme"' in body
    assert 'data-tenant="globex"' not in body
    assert 'data-tenant="initech"' not in body

    body = client_for(world.agency_user).get("/t/globex/").content.decode()
    switcher = body[body.index('class="switcher"'):body.index("</details>")]
    assert 'data-tenant="acme"' in switcher
    assert 'data-tenant="globex"' in switcher
    assert "initech" not in switcher.lower()


def test_the_agency_user_sees_both_agency_tenants_in_the_portfolio_but_not_initech(
    client_for, world
):
    response = client_for(world.agency_user).get("/")
    assert response.status_code == 200
    slugs = [r.tenant.slug for r in response.context["rows"]]
    assert sorted(slugs) == ["acme", "globex"]
    assert "Initech" not in response.content.decode()


def test_the_portfolio_shows_overdue_counts_and_volume_changes(client_for, world):
    factories.MentionFactory(
        source=world.acme_source, is_complaint=True, text="refund please",
        published_at=timezone.now() - timedelta(hours=5, minutes=10),
    )
    add_hourly_volume(tenant=world.globex, source=world.globex_source, days_ago=range(7, 35),
                      per_day=20)
    add_hourly_volume(tenant=world.globex, source=world.globex_source, days_ago=range(0, 7),
                      per_day=5)
    body = client_for(world.agency_user).get("/").content.decode()
    acme_row = body[body.index('data-row="acme"'):body.index('data-row="globex"')]
    assert "oldest 5 h 10 min" in acme_row
    globex_row = body[body.index('data-row="globex"'):]
    assert "Declining" in globex_row
    assert "−75 %" in globex_row


def test_a_member_of_one_tenant_goes_straight_to_its_page(client_for, world):
    response = client_for(world.owner).get("/")
    assert response.status_code == 302
    assert response["Location"] == "/t/acme/"


def test_a_user_without_tenants_sees_an_empty_portfolio(client_for, world):
    loner = factories.UserFactory(username="loner")
    response = client_for(loner).get("/")
    assert response.status_code == 200
    assert "No tenants yet" in response.content.decode()


def test_the_tenant_page_shows_overdue_complaints_with_their_age_and_target(client_for, world):
    now = timezone.now()
    factories.MentionFactory(
        source=world.acme_source, brand=world.acme_brand, is_complaint=True,
        text="My order never arrived, refund please", author_handle="angry_ann",
        published_at=now - timedelta(hours=3, minutes=20, seconds=20),
    )
    factories.MentionFactory(  # within the 2 h target: not overdue yet
        source=world.acme_source, is_complaint=True, text="Fresh complaint",
        published_at=now - timedelta(minutes=30),
    )
    factories.MentionFactory(  # answered: not overdue
        source=world.acme_source, is_complaint=True, text="Answered complaint",
        published_at=now - timedelta(hours=6), answered_at=now - timedelta(hours=5),
    )
    response = client_for(world.viewer).get("/t/acme/")
    assert response.status_code == 200
    assert [m.text for m in response.context["unanswered"]] == [
        "My order never arrived, refund please"
    ]
    body = response.content.decode()
    section = body[body.index('id="unanswered-h"'):body.index('id="newest-h"')]
    assert "My order never arrived" in section
    assert "3 h 20 min" in section
    assert "target 2 h" in section
    assert "@angry_ann" in section
    assert "Fresh complaint" not in section


def test_the_tenant_page_explains_a_volume_drop(client_for, world):
    add_hourly_volume(tenant=world.acme, source=world.acme_source, days_ago=range(7, 35),
                      per_day=10)
    add_hourly_volume(tenant=world.acme, source=world.acme_source, days_ago=range(0, 7),
                      per_day=2)
    body = client_for(world.owner).get("/t/acme/").content.decode()
    flags = body[body.index('id="flags-h"'):body.index('id="unanswered-h"')]
    assert "Conversation is falling" in flags
    assert "14 mentions in the last 7 days against a weekly mean of 70" in flags
    assert "(-80%)" in flags


def test_the_tenant_page_says_a_failing_source_may_explain_a_fall(client_for, world):
    add_hourly_volume(tenant=world.acme, source=world.acme_source, days_ago=range(7, 35),
                      per_day=10)
    world.acme_source.consecutive_failures = 4
    world.acme_source.last_error = "HTTP 503 from upstream"
    world.acme_source.last_error_at = timezone.now()
    world.acme_source.save()
    body = client_for(world.owner).get("/t/acme/").content.decode()
    assert "may be the collector, not the conversation" in body
    sources = body[body.index('id="sources-h"'):]
    assert "pill-failing" in sources
    assert "HTTP 503 from upstream" in sources


def test_the_tenant_page_draws_an_accessible_chart_from_the_rollups(client_for, world):
    add_hourly_volume(tenant=world.acme, source=world.acme_source, days_ago=range(0, 3),
                      per_day=12, complaints=3)
    response = client_for(world.owner).get("/t/acme/")
    chart = response.context["chart"]
    assert len(chart.bars) == 35
    assert chart.total_mentions == 36
    assert chart.total_complaints == 9
    body = response.content.decode()
    assert '<svg viewBox="0 0 760 240" role="img"' in body
    assert "<title id=\"chart-title\">Mentions and complaints per day</title>" in body
    assert "36 mentions, 9 of them complaints" in body
    assert "Show as a table" in body
    assert body.count('class="bar-complaints"') == 3


def test_the_tenant_page_lists_the_newest_mentions_with_their_badges(client_for, world):
    complaint = factories.MentionFactory(
        source=world.acme_source, brand=world.acme_brand, text="Still broken", lang="en",
        is_complaint=True, sentiment="negative", published_at=timezone.now() - timedelta(hours=1),
        answered_at=timezone.now() - timedelta(minutes=20),
    )
    factories.MentionFactory(source=world.acme_source, text="Buy cheap followers", is_spam=True,
                             lang="en")
    factories.MentionFactory(source=world.acme_source, text="Sorry, DM us", is_brand_reply=True,
                             author_handle="acme_care", parent_external_id=complaint.external_id)
    body = client_for(world.owner).get("/t/acme/").content.decode()
    newest = body[body.index('id="newest-h"'):body.index('id="sources-h"')]
    assert "Still broken" in newest
    assert "Answered after 40" in newest
    assert "Complaint" in newest
    assert "Negative" in newest
    assert ">English<" in newest  # the language by name, not its code
    assert "Spam" in newest
    assert "Brand reply" in newest


def test_the_tenant_page_refreshes_itself(client_for, world):
    body = client_for(world.owner).get("/t/acme/").content.decode()
    assert 'data-refresh="30"' in body
    assert '<noscript><meta http-equiv="refresh" content="30"></noscript>' in body
    assert "dashboard/dashboard.js" in body


def test_the_mention_page_shows_the_conversation(client_for, world):
    complaint = factories.MentionFactory(source=world.acme_source, text="Where is my parcel?")
    factories.MentionFactory(source=world.acme_source, text="Checking for you now",
                             is_brand_reply=True, parent_external_id=complaint.external_id)
    response = client_for(world.owner).get(f"/t/acme/mentions/{complaint.pk}/")
    assert response.status_code == 200
    assert [m.text for m in response.context["thread"]] == ["Checking for you now"]


def test_the_tenant_scope_is_closed_after_the_request(client_for, world):
    client_for(world.owner).get("/t/acme/")
    from listening.scoping import TenantScopeMissing

    with pytest.raises(TenantScopeMissing):
        Mention.objects.count()


@pytest.mark.parametrize(
    ("minutes", "said"),
    [(0, "< 1 min"), (45, "45 min"), (60, "1 h"), (200, "3 h 20 min"), (1440, "1 d"),
     (1440 + 250, "1 d 4 h")],
)
def test_it_says_durations_as_people_do(minutes, said):
    assert humanise(timedelta(minutes=minutes)) == said


def test_a_tenant_whose_only_problem_is_a_live_decline_alert_is_not_all_clear(client_for, world):
    # The week as a whole looks normal, but the detector holds a decline open for the last hours.
    now = timezone.now()
    Alert.all_tenants.create(tenant=world.globex, kind="decline", key="decline:tenant",
                             title="Mentions of Globex are falling", explanation="-60% over 9 h",
                             opened_at=now, last_seen_at=now)
    Alert.all_tenants.create(tenant=world.initech, kind="decline", key="decline:tenant",
                             title="Mentions of Initech are falling", explanation="-60% over 9 h",
                             opened_at=now, last_seen_at=now)
    response = client_for(world.agency_user).get("/")
    body = response.content.decode()
    assert [r.tenant.slug for r in response.context["rows"]] == ["globex", "acme"]
    globex_row = body[body.index('data-row="globex"'):body.index('data-row="acme"')]
    acme_row = body[body.index('data-row="acme"'):]
    assert "Falling now" in globex_row
    assert "All clear" not in globex_row
    assert "All clear" in acme_row
    assert "Falling now" not in acme_row
    assert "1 needs attention" in body


def test_the_tenant_page_says_the_conversation_is_falling_now_while_a_decline_alert_is_open(client_for, world):
    def volume_flag() -> str:
        page = client_for(world.owner).get("/t/acme/").content.decode()
        at = page.index('data-flag="volume"')
        return page[page.rindex("<li", 0, at) : page.index("</li>", at)]

    assert "Volume as usual" in volume_flag()
    assert "flag-ok" in volume_flag()
    now = timezone.now()
    Alert.all_tenants.create(tenant=world.acme, kind="decline", key="decline:tenant",
                             title="Mentions of Acme are falling", explanation="-60% over 9 h",
                             opened_at=now, last_seen_at=now)
    flag = volume_flag()
    assert "Conversation is falling now" in flag
    assert "flag-bad" in flag
