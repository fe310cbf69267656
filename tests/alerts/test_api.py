"""The alerts API: filters, acknowledge and resolve with who and when, channels, settings."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from listening.models import Alert, AlertChannel
from listening.scoping import TenantScopeMissing, tenant_scope
from listening.services.alerts import alert_acknowledge, alert_resolve
from tests.isolation.test_api_isolation import api_routes, cross_tenant_violations

pytestmark = pytest.mark.django_db

BASE = "/api/v1/tenants/acme"


def make_alert(tenant, key="decline:tenant", kind="decline", **kw):
    return Alert.all_tenants.create(tenant=tenant, kind=kind, key=key, title=f"About {key}",
                                    explanation="Fell a lot.", **kw)


def test_it_lists_the_tenants_alerts_with_filters(world, api_client_for):
    make_alert(world.acme)
    make_alert(world.acme, key="unanswered:tenant", kind="unanswered")
    make_alert(world.acme, key="surge:tenant", kind="surge", status="resolved")
    make_alert(world.globex)
    client = api_client_for(world.viewer)
    body = client.get(f"{BASE}/alerts/").json()
    assert len(body["results"]) == 3
    assert {a["kind"] for a in client.get(f"{BASE}/alerts/?status=live").json()["results"]} == {
        "decline", "unanswered"}
    assert [a["key"] for a in client.get(f"{BASE}/alerts/?kind=surge").json()["results"]] == [
        "surge:tenant"]
    assert client.get(f"{BASE}/alerts/?status=bogus").status_code == 400


def test_the_list_costs_the_same_for_3_and_30_alerts(world, api_client_for, django_user_model):
    client = api_client_for(world.agency_user)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{BASE}/alerts/").status_code == 200
        return len(ctx.captured_queries)

    for i in range(3):
        make_alert(world.acme, key=f"k{i}", status="acknowledged", acknowledged_by=world.owner)
    few = count()
    for i in range(3, 30):
        make_alert(world.acme, key=f"k{i}", status="resolved", resolved_by=world.viewer)
    assert count() == few
    channel_few = None
    for i in range(3):
        AlertChannel.all_tenants.create(tenant=world.acme, name=f"c{i}", kind="email",
                                        target="a@example.com")
    owner = api_client_for(world.owner)
    with CaptureQueriesContext(connection) as ctx:
        owner.get(f"{BASE}/alert-channels/")
    channel_few = len(ctx.captured_queries)
    for i in range(3, 20):
        AlertChannel.all_tenants.create(tenant=world.acme, name=f"c{i}", kind="email",
                                        target="a@example.com")
    with CaptureQueriesContext(connection) as ctx:
        owner.get(f"{BASE}/alert-channels/")
    assert len(ctx.captured_queries) == channel_few


@pytest.mark.parametrize("change", [alert_acknowledge, alert_resolve])
def test_an_alert_is_changed_by_hand_only_in_its_own_tenants_scope(world, change):
    alert = make_alert(world.acme)
    with tenant_scope(world.globex), pytest.raises(TenantScopeMissing):
        change(alert=alert, user=world.owner)
    assert Alert.all_tenants.get(pk=alert.pk).status == "open"


def test_an_analyst_acknowledges_then_resolves_and_both_are_recorded(world, api_client_for):
    alert = make_alert(world.acme)
    client = api_client_for(world.agency_user)  # analyst through the agency
    body = client.post(f"{BASE}/alerts/{alert.pk}/acknowledge/").json()
    assert body["status"] == "acknowledged"
    assert body["acknowledged_by"] == "agency"
    assert body["acknowledged_at"]
    assert client.post(f"{BASE}/alerts/{alert.pk}/acknowledge/").status_code == 409

    body = client.post(f"{BASE}/alerts/{alert.pk}/resolve/").json()
    assert body["status"] == "resolved"
    assert body["resolved_by"] == "agency"
    assert [(e["action"], e["by"]) for e in body["history"]] == [
        ("acknowledged", "agency"), ("resolved", "agency")]
    assert client.post(f"{BASE}/alerts/{alert.pk}/resolve/").status_code == 409


def test_a_viewer_may_read_but_not_act(world, api_client_for):
    alert = make_alert(world.acme)
    client = api_client_for(world.viewer)
    assert client.get(f"{BASE}/alerts/{alert.pk}/").status_code == 200
    assert client.post(f"{BASE}/alerts/{alert.pk}/acknowledge/").status_code == 403
    assert client.post(f"{BASE}/alerts/{alert.pk}/resolve/").status_code == 403
    alert.refresh_from_db()
    assert alert.status == "open"


def test_another_tenants_alert_is_a_404(world, api_client_for):
    other = make_alert(world.globex)
    client = api_client_for(world.owner)  # owner of acme only
    assert client.get(f"{BASE}/alerts/{other.pk}/").status_code == 404
    assert client.post(f"{BASE}/alerts/{other.pk}/resolve/").status_code == 404
    assert client.get("/api/v1/tenants/globex/alerts/").status_code == 404


def test_channels_are_for_admins_and_never_echo_the_secret(world, api_client_for):
    owner = api_client_for(world.owner)
    response = owner.post(f"{BASE}/alert-channels/", {
        "name": "Ops hook", "kind": "webhook", "target": "https://hooks.example.com/x",
        "secret": "s3cret", "payload_format": "slack", "events": ["decline", "source_health"],
    }, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert "secret" not in body
    assert body["has_secret"] is True
    assert "s3cret" not in response.content.decode()
    channel = AlertChannel.all_tenants.get(pk=body["id"])
    assert channel.secret == "s3cret"
    assert channel.tenant_id == world.acme.pk

    detail = owner.patch(f"{BASE}/alert-channels/{channel.pk}/", {"active": False}, format="json")
    assert detail.status_code == 200
    assert "s3cret" not in detail.content.decode()
    channel.refresh_from_db()
    assert channel.secret == "s3cret"
    assert channel.active is False

    assert owner.post(f"{BASE}/alert-channels/", {"name": "Bad", "kind": "email",
                                                  "target": "not-an-address"},
                      format="json").status_code == 400
    assert owner.post(f"{BASE}/alert-channels/", {"name": "Bad", "kind": "webhook",
                                                  "target": "file:///etc/passwd"},
                      format="json").status_code == 400
    analyst = api_client_for(world.agency_user)
    assert analyst.get(f"{BASE}/alert-channels/").status_code == 403
    assert analyst.delete(f"{BASE}/alert-channels/{channel.pk}/").status_code == 403
    assert owner.delete(f"{BASE}/alert-channels/{channel.pk}/").status_code == 204


def test_settings_are_read_by_members_and_written_by_admins(world, api_client_for):
    assert api_client_for(world.viewer).get(f"{BASE}/alert-settings/").json() == {
        "alert_sensitivity": "normal", "alert_cooldown_minutes": 360}
    analyst = api_client_for(world.agency_user)
    assert analyst.patch(f"{BASE}/alert-settings/", {"alert_sensitivity": "high"},
                         format="json").status_code == 403
    owner = api_client_for(world.owner)
    body = owner.patch(f"{BASE}/alert-settings/", {"alert_sensitivity": "high"},
                       format="json").json()
    assert body == {"alert_sensitivity": "high", "alert_cooldown_minutes": 360}
    assert owner.patch(f"{BASE}/alert-settings/", {"alert_sensitivity": "extreme"},
                       format="json").status_code == 400
    world.acme.refresh_from_db()
    assert world.acme.alert_sensitivity == "high"


def test_the_outsider_reaches_none_of_the_alert_routes(world, api_client_for):
    make_alert(world.acme)
    AlertChannel.all_tenants.create(tenant=world.acme, name="ops", kind="email",
                                    target="ops@acme.example")
    routes = [r for r in api_routes() if "alert" in r.template]
    assert len(routes) == 8  # alerts: list, detail, 3 actions; channels: 2; settings
    acme = type("Acme", (), {"tenant": world.acme, "source": world.acme_source})
    problems = cross_tenant_violations(api_client_for(world.outsider), routes, acme=acme,
                                       own_slug=world.initech.slug)
    assert problems == []
