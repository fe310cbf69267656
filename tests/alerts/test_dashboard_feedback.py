"""Alert feedback through the dashboard: the history page, the tenant page's buttons, who may."""

from __future__ import annotations

import pytest

from listening.models import Alert, AlertEvent
from listening.models.alerts import AlertFeedback
from listening.scoping import tenant_scope
from listening.services.alert_feedback import alert_feedback_give
from tests import factories

pytestmark = pytest.mark.django_db


def make_alert(tenant, key="decline:tenant", **kw):
    return Alert.all_tenants.create(tenant=tenant, kind="decline", key=key,
                                    title="Mentions of Acme are falling",
                                    explanation="120 mentions against 300 expected.", **kw)


def test_an_analyst_answers_on_the_history_page_and_sees_it_there(client, world):
    alert = make_alert(world.acme, status="resolved")
    client.force_login(world.agency_user)
    response = client.post("/t/acme/alerts/", {"alert_id": alert.pk, "verdict": "wrong",
                                               "note": "a public holiday", "back": "alerts"})
    assert response.status_code == 302
    assert response["Location"] == f"/t/acme/alerts/#alert-{alert.pk}"
    feedback = AlertFeedback.all_tenants.get(alert=alert)
    assert (feedback.user, feedback.verdict, feedback.note) == (world.agency_user, "wrong",
                                                                "a public holiday")
    html = client.get("/t/acme/alerts/").content.decode()
    assert "marked wrong" in html  # the message after the action
    assert "Wrong · agency" in html
    assert 'data-event="feedback"' in html
    assert "Wrong: a public holiday" in html
    assert 'aria-pressed="true"' in html  # their current answer is marked


def test_the_tenant_page_offers_feedback_on_live_alerts_and_comes_back(client, world):
    alert = make_alert(world.acme)
    client.force_login(world.agency_user)
    html = client.get("/t/acme/").content.decode()
    assert 'action="/t/acme/alerts/"' in html
    assert 'value="not_useful"' in html
    response = client.post("/t/acme/alerts/", {"alert_id": alert.pk, "verdict": "useful",
                                               "back": "tenant"})
    assert response["Location"] == "/t/acme/#alerts-h"
    assert AlertFeedback.all_tenants.get(alert=alert).verdict == "useful"
    assert "marked useful" in client.get("/t/acme/").content.decode()


def test_a_viewer_reads_the_history_without_buttons_and_cannot_answer(client, world):
    alert = make_alert(world.acme)
    with tenant_scope(world.acme):
        alert_feedback_give(alert=alert, user=world.owner, verdict="not_useful")
    client.force_login(world.viewer)
    html = client.get("/t/acme/alerts/").content.decode()
    assert "Not useful · owner" in html
    assert 'name="verdict"' not in html
    assert 'name="verdict"' not in client.get("/t/acme/").content.decode()
    assert client.post("/t/acme/alerts/", {"alert_id": alert.pk, "verdict": "wrong"}).status_code == 403
    assert AlertFeedback.all_tenants.get(alert=alert).verdict == "not_useful"


@pytest.mark.parametrize("payload", [
    {"verdict": "wrong"}, {"alert_id": "²", "verdict": "wrong"}, {"alert_id": "1", "verdict": "meh"},
    {"alert_id": "1", "verdict": "wrong", "note": "x" * 201},
])
def test_bad_input_is_a_400(client, world, payload):
    make_alert(world.acme)
    client.force_login(world.owner)
    assert client.post("/t/acme/alerts/", payload).status_code == 400
    assert client.get("/t/acme/alerts/?before=x").status_code == 400
    assert not AlertFeedback.all_tenants.exists()


def test_another_tenants_alert_cannot_be_answered_through_ones_own_page(client, world):
    theirs = make_alert(world.acme)
    client.force_login(world.outsider)
    assert client.post("/t/initech/alerts/", {"alert_id": theirs.pk, "verdict": "wrong"}).status_code == 404
    assert client.post("/t/acme/alerts/", {"alert_id": theirs.pk, "verdict": "wrong"}).status_code == 404
    assert not AlertFeedback.all_tenants.exists()
    assert not AlertEvent.all_tenants.filter(action="feedback").exists()


def test_the_history_pages_by_the_id_and_costs_the_same_for_3_and_30_alerts(client, world,
                                                                            count_queries):
    client.force_login(world.agency_user)

    def add(n, start):
        for i in range(start, start + n):
            alert = make_alert(world.acme, key=f"k{i}", status="resolved", resolved_by=world.owner)
            AlertEvent.all_tenants.create(tenant=world.acme, alert=alert, action="opened")
            with tenant_scope(world.acme):
                alert_feedback_give(alert=alert, user=world.viewer, verdict="useful")

    add(3, 0)
    few = count_queries(lambda: client.get("/t/acme/alerts/"))
    add(27, 3)
    assert count_queries(lambda: client.get("/t/acme/alerts/")) == few
    html = client.get("/t/acme/alerts/").content.decode()
    assert html.count('data-alert="') == 25
    older = Alert.all_tenants.filter(tenant=world.acme).order_by("id")[5].pk
    assert f"?before={older}" in html
    rest = client.get(f"/t/acme/alerts/?before={older}").content.decode()
    assert rest.count('data-alert="') == 5


def test_a_source_that_never_succeeded_says_so_on_the_tenant_page(client, world):
    factories.SourceFactory(tenant=world.acme, name="Partner API", consecutive_failures=1,
                            last_error="connection reset")
    client.force_login(world.viewer)
    html = client.get("/t/acme/").content.decode()
    assert html.count("data-never-succeeded") == 1
    assert "has never succeeded since it was added" in html
