"""The complaints API: roles, filters, actions, history, metrics, settings and holidays."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.utils import timezone

from listening.models import ComplaintEvent, Correction, Mention, TenantHoliday
from listening.models.mentions import ComplaintStatus as S
from listening.models.tenancy import AnswerPolicy
from tests import factories
from tests.complaints.conftest import complaint, office_hours

BASE = "/api/v1/tenants/acme"


@pytest.fixture
def open_complaint(world):
    return complaint(world, published_at=timezone.now() - timedelta(days=3))


def test_members_list_complaints_and_outsiders_get_404(world, api_client_for, open_complaint):
    factories.MentionFactory(source=world.acme_source)  # not a complaint
    body = api_client_for(world.viewer).get(f"{BASE}/complaints/").json()
    assert [c["id"] for c in body["results"]] == [open_complaint.pk]
    assert body["results"][0]["status"] == "open"
    assert api_client_for(world.outsider).get(f"{BASE}/complaints/").status_code == 404
    url = f"/api/v1/tenants/initech/complaints/{open_complaint.pk}/"
    assert api_client_for(world.outsider).get(url).status_code == 404


def test_it_filters_by_status_assignee_and_overdue(world, api_client_for, open_complaint):
    world.acme.business_weekdays = list(range(7))
    world.acme.business_day_start = world.acme.business_day_end = time(0)
    world.acme.save()  # a 24/7 clock, so a three-day-old complaint is overdue whenever this runs
    fresh = complaint(world, published_at=timezone.now() - timedelta(minutes=5),
                      assigned_to=world.viewer)
    done = complaint(world, status=S.RESOLVED)
    client = api_client_for(world.viewer)

    def ids(query: str) -> set[int]:
        return {c["id"] for c in client.get(f"{BASE}/complaints/?{query}").json()["results"]}

    assert ids("status=resolved") == {done.pk}
    assert ids(f"assigned_to={world.viewer.pk}") == {fresh.pk}
    assert ids("assigned_to=none") == {open_complaint.pk, done.pk}
    assert ids("overdue=true") == {open_complaint.pk}
    assert ids("overdue=false") == {fresh.pk, done.pk}
    assert client.get(f"{BASE}/complaints/?status=nope").status_code == 400


@pytest.mark.parametrize("action", ["resolve", "dismiss", "assign"])
def test_viewers_may_not_act_and_analysts_may(world, api_client_for, open_complaint, action):
    url = f"{BASE}/complaints/{open_complaint.pk}/{action}/"
    body = {"assigned_to": world.viewer.pk} if action == "assign" else {}
    assert api_client_for(world.viewer).post(url, body, format="json").status_code == 403
    assert api_client_for(world.outsider).post(url, body, format="json").status_code == 404
    open_complaint.refresh_from_db()
    assert (open_complaint.complaint_status, open_complaint.assigned_to) == (S.OPEN, None)
    assert api_client_for(world.agency_user).post(url, body, format="json").status_code == 200
    open_complaint.refresh_from_db()
    expected = {"resolve": (S.RESOLVED, None), "dismiss": (S.DISMISSED, None), "assign": (S.OPEN, world.viewer)}
    assert (open_complaint.complaint_status, open_complaint.assigned_to) == expected[action]


def test_resolve_then_reopen_and_read_the_history(world, api_client_for, open_complaint):
    client = api_client_for(world.agency_user)
    url = f"{BASE}/complaints/{open_complaint.pk}"
    assert client.post(f"{url}/resolve/", {"note": "Refunded"}, format="json").json()["status"] == "resolved"
    assert client.post(f"{url}/resolve/", format="json").status_code == 409
    assert client.post(f"{url}/reopen/", format="json").json()["status"] == "open"
    events = api_client_for(world.viewer).get(f"{url}/events/").json()["results"]
    assert [(e["action"], e["from_status"], e["to_status"], e["actor"]["username"], e["note"])
            for e in events] == [("resolved", "open", "resolved", "agency", "Refunded"),
                                 ("reopened", "resolved", "open", "agency", "")]


def test_dismiss_records_a_correction(world, api_client_for, open_complaint):
    r = api_client_for(world.owner).post(f"{BASE}/complaints/{open_complaint.pk}/dismiss/", format="json")
    assert (r.status_code, r.json()["status"], r.json()["is_complaint"]) == (200, "dismissed", False)
    assert Correction.all_tenants.filter(mention=open_complaint, new_value="not_complaint").exists()


def test_answer_follows_the_tenants_policy(world, api_client_for, open_complaint):
    client = api_client_for(world.owner)
    url = f"{BASE}/complaints/{open_complaint.pk}/answer/"
    refused = client.post(url, format="json")
    assert refused.status_code == 400
    assert "brand's accounts" in refused.json()["detail"]
    world.acme.answer_policy = AnswerPolicy.BRAND_REPLY_OR_MARKED
    world.acme.save()
    body = client.post(url, {"note": "Answered by DM"}, format="json").json()
    assert body["status"] == "answered"
    assert body["answered_at"] is not None


def test_assigning_someone_who_is_not_a_member_is_a_field_error(world, api_client_for, open_complaint):
    client = api_client_for(world.owner)
    url = f"{BASE}/complaints/{open_complaint.pk}/assign/"
    for user_id in (world.outsider.pk, 999_999):
        r = client.post(url, {"assigned_to": user_id}, format="json")
        assert r.status_code == 400
        assert r.json() == {"assigned_to": ["Not a member of this tenant."]}
    ok = client.post(url, {"assigned_to": world.agency_user.pk}, format="json").json()
    assert ok["assigned_to"] == {"id": world.agency_user.pk, "username": "agency"}
    assert client.post(url, {"assigned_to": None}, format="json").json()["assigned_to"] is None
    assert ComplaintEvent.all_tenants.filter(mention=open_complaint).count() == 2


def test_the_complaint_list_costs_the_same_for_3_and_30(world, api_client_for, count_queries):
    client = api_client_for(world.viewer)
    for _ in range(3):
        complaint(world, assigned_to=world.owner)
    few = count_queries(lambda: client.get(f"{BASE}/complaints/?overdue=true"))
    for _ in range(27):
        complaint(world, assigned_to=world.viewer)
    assert count_queries(lambda: client.get(f"{BASE}/complaints/?overdue=true")) == few
    assert few <= 6


def test_the_event_list_costs_the_same_for_3_and_30(world, api_client_for, count_queries, open_complaint):
    client = api_client_for(world.viewer)
    url = f"{BASE}/complaints/{open_complaint.pk}/events/"

    def add(n: int) -> None:
        for _ in range(n):
            ComplaintEvent.all_tenants.create(tenant=world.acme, mention=open_complaint, action="assigned",
                                              actor=world.owner, assignee=world.viewer)
    add(3)
    few = count_queries(lambda: client.get(url))
    add(27)
    assert count_queries(lambda: client.get(url)) == few


def test_response_metrics_endpoint(world, api_client_for):
    office_hours(world.acme, target=60)
    asked = timezone.now() - timedelta(days=2)
    c = complaint(world, published_at=asked, answered_at=asked + timedelta(minutes=30))
    client = api_client_for(world.viewer)
    body = client.get(f"{BASE}/response-metrics/?group_by=brand").json()
    assert body["overall"]["count"] == 1
    assert body["overall"]["median_seconds"] == 30 * 60
    assert [(g["label"], g["count"]) for g in body["groups"]] == [("Acme", 1)]
    assert body["scope"] == "overdue"  # what the overdue flag counts: complaints by default
    assert c.pk
    assert client.get(f"{BASE}/response-metrics/?scope=all").json()["overall"]["count"] == 1
    assert client.get(f"{BASE}/response-metrics/?group_by=planet").status_code == 400
    assert client.get(f"{BASE}/response-metrics/?since=2026-02-01T00:00Z&until=2026-01-01T00:00Z").status_code == 400
    assert api_client_for(world.outsider).get(f"{BASE}/response-metrics/").status_code == 404


def test_response_settings_read_by_members_written_by_admins(world, api_client_for):
    url = f"{BASE}/response-settings/"
    body = api_client_for(world.viewer).get(url).json()
    assert body["answer_policy"] == "brand_reply"
    assert body["timezone"] == "Asia/Jakarta"
    change = {"answer_policy": "brand_reply_or_marked", "business_day_start": "08:00",
              "business_weekdays": [5, 0, 1, 1], "timezone": "Europe/London"}
    assert api_client_for(world.viewer).patch(url, change, format="json").status_code == 403
    assert api_client_for(world.agency_user).patch(url, change, format="json").status_code == 403
    body = api_client_for(world.owner).patch(url, change, format="json").json()
    assert (body["answer_policy"], body["business_day_start"], body["business_weekdays"], body["timezone"]) == (
        "brand_reply_or_marked", "08:00:00", [0, 1, 5], "Europe/London")
    bad = api_client_for(world.owner).patch(url, {"timezone": "Mars/Olympus", "business_weekdays": [9]},
                                            format="json")
    assert bad.status_code == 400
    assert set(bad.json()) == {"timezone", "business_weekdays"}


def test_holidays_crud_keeps_the_calendar_in_step(world, api_client_for):
    owner, viewer = api_client_for(world.owner), api_client_for(world.viewer)
    assert viewer.post(f"{BASE}/holidays/", {"date": "2026-12-25", "name": "Natal"}, format="json").status_code == 403
    created = owner.post(f"{BASE}/holidays/", {"date": "2026-12-25", "name": "Natal"}, format="json")
    assert created.status_code == 201
    assert owner.post(f"{BASE}/holidays/", {"date": "2026-12-25"}, format="json").json() == {
        "date": ["This tenant already has a holiday on this date."]}
    url = f"{BASE}/holidays/{created.json()['id']}/"
    assert owner.patch(url, {"date": "2026-12-26"}, format="json").json()["date"] == "2026-12-26"
    assert viewer.get(f"{BASE}/holidays/").json()["results"][0]["name"] == "Natal"
    assert viewer.get(f"{BASE}/response-settings/").json()["holidays"] == ["2026-12-26"]
    assert owner.delete(url).status_code == 204
    assert not TenantHoliday.all_tenants.exists()
    world.acme.refresh_from_db()
    assert world.acme.holiday_dates == []


def test_an_action_on_another_tenants_complaint_changes_nothing(world, api_client_for):
    globex = factories.MentionFactory(source=world.globex_source, is_complaint=True,
                                      complaint_status=S.OPEN)
    r = api_client_for(world.owner).post(f"{BASE}/complaints/{globex.pk}/resolve/", format="json")
    assert r.status_code == 404
    assert Mention.all_tenants.get(pk=globex.pk).complaint_status == S.OPEN
