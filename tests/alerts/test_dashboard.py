"""Alerts on the tenant page (with buttons for analysts) and counts on the portfolio."""

from __future__ import annotations

import pytest

from listening.models import Alert

pytestmark = pytest.mark.django_db


def make_alert(tenant, key="decline:tenant", **kw):
    return Alert.all_tenants.create(tenant=tenant, kind="decline", key=key,
                                    title="Mentions of Acme are falling",
                                    explanation="120 mentions against 300 expected.", **kw)


def test_the_tenant_page_shows_open_alerts_with_explanations(client, world):
    make_alert(world.acme)
    make_alert(world.acme, key="old", status="resolved")
    client.force_login(world.agency_user)
    html = client.get("/t/acme/").content.decode()
    assert "Mentions of Acme are falling" in html
    assert "120 mentions against 300 expected." in html
    assert html.count('data-alert="') == 1
    assert 'value="acknowledge"' in html
    assert 'value="resolve"' in html


def test_a_viewer_sees_alerts_without_buttons_and_cannot_post(client, world):
    alert = make_alert(world.acme)
    client.force_login(world.viewer)
    html = client.get("/t/acme/").content.decode()
    assert "Mentions of Acme are falling" in html
    assert 'value="resolve"' not in html
    assert client.post("/t/acme/", {"alert_id": alert.pk, "action": "resolve"}).status_code == 403
    alert.refresh_from_db()
    assert alert.status == "open"


def test_an_analyst_acknowledges_and_resolves_from_the_page(client, world):
    alert = make_alert(world.acme)
    client.force_login(world.agency_user)
    response = client.post("/t/acme/", {"alert_id": alert.pk, "action": "acknowledge"})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.status == "acknowledged"
    assert alert.acknowledged_by == world.agency_user
    client.post("/t/acme/", {"alert_id": alert.pk, "action": "resolve"})
    alert.refresh_from_db()
    assert alert.status == "resolved"
    assert alert.resolved_by == world.agency_user
    assert [(e.action, e.by) for e in alert.events.all()] == [
        ("acknowledged", world.agency_user), ("resolved", world.agency_user)]


def test_another_tenants_alert_cannot_be_resolved_through_ones_own_page(client, world):
    theirs = make_alert(world.acme)
    client.force_login(world.outsider)
    assert client.post("/t/initech/", {"alert_id": theirs.pk, "action": "resolve"}).status_code == 404
    assert client.post("/t/acme/", {"alert_id": theirs.pk, "action": "resolve"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "open"


def test_the_portfolio_shows_each_tenants_open_alert_count(client, world):
    make_alert(world.acme)
    make_alert(world.acme, key="unanswered:tenant", status="acknowledged")
    make_alert(world.acme, key="gone", status="resolved")
    client.force_login(world.agency_user)
    html = client.get("/").content.decode()
    acme_row = html.split('data-row="acme"')[1].split("</tr>")[0]
    globex_row = html.split('data-row="globex"')[1].split("</tr>")[0]
    assert 'class="count count-bad" href="/t/acme/#alerts-h">2</a>' in acme_row
    assert '<span class="muted">0</span>' in globex_row
