from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from listening.models import Alert
from tests import factories


def slugs(response):
    return [t["slug"] for t in response.json()["results"]]


def test_an_agency_user_sees_the_agency_tenants_only(world, session_client_for):
    response = session_client_for(world.agency_user).get("/api/v1/tenants/")
    assert response.status_code == 200
    assert slugs(response) == ["acme", "globex"]
    assert {t["role"] for t in response.json()["results"]} == {"analyst"}


def test_it_lists_a_tenant_with_its_agency_and_the_users_role(world, api_client_for):
    [acme] = api_client_for(world.owner).get("/api/v1/tenants/").json()["results"]
    assert acme == {
        "slug": "acme", "name": "Acme", "agency": {"slug": "kilat", "name": "Kilat Agency"},
        "timezone": world.acme.timezone,
        "response_target_minutes": world.acme.response_target_minutes, "role": "owner",
    }


def test_the_highest_role_wins(world, session_client_for):
    factories.MembershipFactory(user=world.agency_user, tenant=world.acme, role="owner")
    results = session_client_for(world.agency_user).get("/api/v1/tenants/").json()["results"]
    assert {t["slug"]: t["role"] for t in results} == {"acme": "owner", "globex": "analyst"}


def test_the_outsider_sees_its_own_tenant_only(world, api_client_for):
    assert slugs(api_client_for(world.outsider).get("/api/v1/tenants/")) == ["initech"]


def test_an_agency_user_may_open_globex_but_not_initech(world, api_client_for):
    client = api_client_for(world.agency_user)
    assert client.get("/api/v1/tenants/globex/").status_code == 200
    assert client.get("/api/v1/tenants/initech/").status_code == 404


def test_a_tenant_comes_with_its_flags(world, api_client_for):
    factories.MentionFactory(source=world.acme_source, is_complaint=True,
                             published_at=timezone.now() - timedelta(days=1))
    body = api_client_for(world.viewer).get("/api/v1/tenants/acme/").json()
    assert body["role"] == "viewer"
    assert body["flags"]["unanswered_count"] == 1
    assert body["flags"]["oldest_unanswered_at"] is not None
    assert body["flags"]["flagged"] is True
    assert "mentions in the last 7 days" in body["flags"]["volume_explanation"]


def test_the_portfolio_lists_every_visible_tenant_most_urgent_first(world, session_client_for):
    factories.MentionFactory(source=world.globex_source, is_complaint=True,
                             published_at=timezone.now() - timedelta(days=1))
    rows = session_client_for(world.agency_user).get("/api/v1/portfolio/").json()
    assert [r["tenant"]["slug"] for r in rows] == ["globex", "acme"]
    assert rows[0]["unanswered_count"] == 1
    assert rows[0]["tenant"]["agency"] == "kilat"
    assert set(rows[0]["volume"]) >= {"last_7_days", "weekly_baseline", "change", "declining",
                                      "surging", "explanation", "unhealthy_sources"}


def test_the_portfolio_of_the_outsider_is_initech_alone(world, api_client_for):
    rows = api_client_for(world.outsider).get("/api/v1/portfolio/").json()
    assert [r["tenant"]["slug"] for r in rows] == ["initech"]


def test_listing_tenants_costs_the_same_for_1_or_12_tenants(
    world, session_client_for, count_queries, django_assert_max_num_queries
):
    client = session_client_for(world.agency_user)
    few = count_queries(lambda: client.get("/api/v1/tenants/"))
    for i in range(10):
        factories.TenantFactory(agency=world.agency, slug=f"more-{i}")
    with django_assert_max_num_queries(few):
        response = client.get("/api/v1/tenants/")
    assert len(response.json()["results"]) == 12


def test_the_portfolio_costs_the_same_for_3_or_30_complaints(
    world, session_client_for, count_queries, django_assert_max_num_queries
):
    # It grows with the number of tenants (one set of flag queries each), not with their rows.
    def complaints(n):
        for _ in range(n):
            factories.MentionFactory(source=world.acme_source, is_complaint=True,
                                     published_at=timezone.now() - timedelta(days=1))

    client = session_client_for(world.agency_user)
    complaints(3)
    few = count_queries(lambda: client.get("/api/v1/portfolio/"))
    complaints(27)
    with django_assert_max_num_queries(few):
        rows = client.get("/api/v1/portfolio/").json()
    assert rows[0]["unanswered_count"] == 30


def test_live_alerts_count_by_kind_in_the_portfolio_and_the_tenant_and_only_the_tenants_own(
    world, api_client_for, session_client_for
):
    now = timezone.now()
    for tenant, kind, key in ((world.acme, "decline", "decline:tenant"), (world.acme, "surge", "surge:brand:1"),
                              (world.initech, "decline", "decline:tenant")):
        Alert.all_tenants.create(tenant=tenant, kind=kind, key=key, title=key, explanation=key,
                                 opened_at=now, last_seen_at=now)
    Alert.all_tenants.create(tenant=world.acme, kind="decline", key="decline:brand:9", title="old",
                             explanation="old", opened_at=now, last_seen_at=now, status="resolved")
    rows = session_client_for(world.agency_user).get("/api/v1/portfolio/").json()
    assert [(r["tenant"]["slug"], r["live_alerts"], r["flagged"]) for r in rows] == [
        ("acme", {"decline": 1, "surge": 1}, True), ("globex", {}, False)]
    detail = api_client_for(world.viewer).get("/api/v1/tenants/acme/").json()
    assert detail["flags"]["live_alerts"] == {"decline": 1, "surge": 1}
    flags = api_client_for(world.viewer).get("/api/v1/tenants/acme/flags/").json()
    assert flags["live_alerts"] == {"decline": 1, "surge": 1}
    # Initech's alert is Initech's: its owner sees it, nobody at the agency does.
    rows = api_client_for(world.outsider).get("/api/v1/portfolio/").json()
    assert [(r["tenant"]["slug"], r["live_alerts"]) for r in rows] == [("initech", {"decline": 1})]
