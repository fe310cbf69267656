"""A tenant's backlog: complaints published before the day it counts from are never overdue,
raise no unanswered alert and stay out of the response figures, everywhere alike."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from listening.models import Alert
from listening.scoping import tenant_scope
from listening.selectors.flags import tenant_flags
from listening.selectors.mentions import MentionFilters, mention_list
from listening.selectors.response import response_metrics
from listening.services.alert_sweep import flags_sweep
from tests.complaints.conftest import complaint, jakarta

pytestmark = pytest.mark.django_db

BASE = "/api/v1/tenants/acme/response-settings/"


@pytest.fixture
def backlog(world):
    """Acme counts from 10 March 2026 (Jakarta); one complaint the minute before, one at 00:00."""
    world.acme.timezone = "Asia/Jakarta"
    world.acme.complaints_counted_from = date(2026, 3, 10)
    world.acme.save()
    old = complaint(world, published_at=jakarta(2026, 3, 9, 23, 59))
    counted = complaint(world, published_at=jakarta(2026, 3, 10, 0, 0))
    return old, counted


NOW = jakarta(2026, 4, 20, 12)


def test_a_backlog_complaint_is_never_overdue(world, backlog):
    old, counted = backlog
    with tenant_scope(world.acme):
        flags = tenant_flags(tenant=world.acme, now=NOW)
        overdue = list(mention_list(filters=MentionFilters(unanswered=True), now=NOW))
    assert flags.unanswered_count == 1
    assert flags.oldest_unanswered_at == counted.published_at
    assert overdue == [counted]


def test_without_the_setting_every_complaint_counts(world, backlog):
    world.acme.complaints_counted_from = None
    world.acme.save()
    with tenant_scope(world.acme):
        assert tenant_flags(tenant=world.acme, now=NOW).unanswered_count == 2


def test_the_unanswered_alert_counts_only_from_the_day_and_clears_when_all_is_backlog(world, backlog):
    flags_sweep(now=NOW)
    alert = Alert.all_tenants.get(tenant=world.acme, key="unanswered:tenant")
    assert alert.data["count"] == 1
    world.acme.complaints_counted_from = date(2026, 4, 1)
    world.acme.save()
    flags_sweep(now=NOW + timedelta(minutes=10))
    alert.refresh_from_db()
    assert alert.status == "resolved"


def test_backlog_complaints_stay_out_of_the_response_figures(world, backlog):
    with tenant_scope(world.acme):
        report = response_metrics(tenant=world.acme, since=jakarta(2026, 3, 1), until=NOW)
    assert report.overall.count == 1


def test_the_api_sets_and_clears_the_day(world, api_client_for):
    client = api_client_for(world.owner)
    assert client.get(BASE).json()["complaints_counted_from"] is None
    response = client.patch(BASE, {"complaints_counted_from": "2026-03-10"}, format="json")
    assert response.status_code == 200
    assert response.json()["complaints_counted_from"] == "2026-03-10"
    world.acme.refresh_from_db()
    assert world.acme.complaints_counted_from == date(2026, 3, 10)
    cleared = client.patch(BASE, {"complaints_counted_from": None}, format="json")
    assert cleared.json()["complaints_counted_from"] is None
    assert client.patch(BASE, {"complaints_counted_from": "10/03/2026"}, format="json").status_code == 400


def test_only_admins_change_it_through_the_api(world, api_client_for):
    response = api_client_for(world.agency_user).patch(BASE, {"complaints_counted_from": "2026-03-10"},
                                                      format="json")
    assert response.status_code == 403
    world.acme.refresh_from_db()
    assert world.acme.complaints_counted_from is None
