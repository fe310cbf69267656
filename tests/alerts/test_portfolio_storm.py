"""A complaint storm on the agency's portfolio (page and API): named, explained, ranked with falls."""

from __future__ import annotations

import pytest

from listening.models import Alert
from listening.selectors.portfolio import agency_portfolio

pytestmark = pytest.mark.django_db

STORM = ("272 complaints in the last 24 h against usually about 20 a day (13.6 times as many); "
         "54% of 503 mentions, usually 5%.")


def storm(tenant, **kw):
    return Alert.all_tenants.create(tenant=tenant, kind="complaint_storm", key="complaint_storm:tenant",
                                    title=f"Complaints about {tenant.name} are surging",
                                    explanation=STORM, severity="critical", **kw)


def test_the_portfolio_page_names_and_explains_a_storm(client, world):
    storm(world.acme)
    client.force_login(world.agency_user)
    html = client.get("/").content.decode()
    row = html[html.index('data-row="acme"'):html.index('data-row="globex"')]
    assert "Complaint storm" in row
    assert STORM in row
    assert "All clear" not in row
    other = html[html.index('data-row="globex"'):]
    assert "Complaint storm" not in other


def test_a_resolved_storm_leaves_the_portfolio(client, world):
    storm(world.acme, status="resolved")
    client.force_login(world.agency_user)
    html = client.get("/").content.decode()
    assert "Complaint storm" not in html


def test_a_storming_tenant_ranks_with_the_falling_ones(world):
    storm(world.globex)
    Alert.all_tenants.create(tenant=world.acme, kind="unanswered", key="unanswered:tenant",
                             title="x", explanation="x")
    Alert.all_tenants.create(tenant=world.acme, kind="surge", key="surge:tenant", title="x",
                             explanation="x")
    rows = agency_portfolio(user=world.agency_user)
    assert [r.tenant.slug for r in rows] == ["globex", "acme"]
    assert rows[0].storming_now
    assert [s.explanation for s in rows[0].storms] == [STORM]


def test_the_portfolio_api_gives_the_storm_with_its_explanation(client, world):
    storm(world.acme)
    client.force_login(world.agency_user)  # a session sees every tenant; a token only its own
    body = client.get("/api/v1/portfolio/").json()
    acme = next(r for r in body if r["tenant"]["slug"] == "acme")
    assert acme["live_alerts"] == {"complaint_storm": 1}
    assert acme["storms"] == [{"title": "Complaints about Acme are surging", "explanation": STORM,
                               "severity": "critical"}]
    globex = next(r for r in body if r["tenant"]["slug"] == "globex")
    assert globex["storms"] == []


def test_the_portfolio_costs_the_same_with_storms_on_every_tenant(client, world, count_queries):
    client.force_login(world.agency_user)
    storm(world.acme)
    one = count_queries(lambda: client.get("/"))
    storm(world.globex)
    assert count_queries(lambda: client.get("/")) == one
