"""Working the complaint queue in the dashboard: sort, quick and saved views, bulk actions with
their confirmation, message and undo, and the backlog setting."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from listening.models import BulkAction, Correction, Mention, SavedView
from listening.models.mentions import ComplaintStatus as S
from listening.scoping import tenant_scope
from listening.selectors.complaint_queue import bulk_selection
from listening.services.complaint_bulk import complaints_bulk_apply
from tests import factories

pytestmark = pytest.mark.django_db

LIST = "/t/acme/mentions/"
BULK = "/t/acme/bulk-actions/"


def complaint(world, *, status=S.OPEN, hours_ago=5, **fields) -> Mention:
    return factories.MentionFactory.create(
        source=world.acme_source, brand=world.acme_brand, is_complaint=True, complaint_status=status,
        published_at=timezone.now() - timedelta(hours=hours_ago), **fields)


def listed(response) -> list[int]:
    assert response.status_code == 200
    return [m.pk for m in response.context["page"].object_list]


def statuses(*mentions: Mention) -> list[str]:
    found = dict(Mention.all_tenants.filter(pk__in=[m.pk for m in mentions])
                 .values_list("pk", "complaint_status"))
    return [found[m.pk] for m in mentions]


def texts(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- sort and views ------------------------------------------------------------------------------


def test_it_sorts_newest_oldest_and_waiting_longest(world, client_for):
    answered_old = complaint(world, hours_ago=30, answered_at=timezone.now() - timedelta(hours=29))
    waiting_old, waiting_new = complaint(world, hours_ago=20), complaint(world, hours_ago=2)
    client = client_for(world.owner)
    assert listed(client.get(LIST)) == [waiting_new.pk, waiting_old.pk, answered_old.pk]
    assert listed(client.get(LIST, {"sort": "oldest"})) == [answered_old.pk, waiting_old.pk, waiting_new.pk]
    assert listed(client.get(LIST, {"sort": "waiting"})) == [waiting_old.pk, waiting_new.pk, answered_old.pk]


def test_a_wrong_filter_shows_its_error_not_everything(world, client_for):
    complaint(world)
    response = client_for(world.owner).get(LIST, {"since": "2026-03-10", "until": "2026-03-01"})
    assert listed(response) == []
    assert "until" in response.context["form"].errors


def test_assigned_to_me_is_a_ready_made_view(world, client_for):
    mine = complaint(world, assigned_to=world.agency_user)
    complaint(world, assigned_to=world.owner)
    response = client_for(world.agency_user).get(LIST, {"assigned_to": "me", "complaint": "yes"})
    assert listed(response) == [mine.pk]
    assert b'aria-current="true">Assigned to me</a>' in response.content


def test_a_saved_view_is_saved_listed_opened_and_deleted_by_its_owner_only(world, client_for):
    client = client_for(world.owner)
    response = client.post("/t/acme/saved-views/", {"name": "Open, oldest", "query": "status=open&sort=oldest"},
                           follow=True)
    view = SavedView.all_tenants.get()
    assert (view.user, view.tenant, view.query) == (world.owner, world.acme, {"status": "open", "sort": "oldest"})
    assert texts(response) == ["Saved the view “Open, oldest”."]
    assert response.redirect_chain[-1][0] == f"{LIST}?status=open&sort=oldest"
    assert b"Open, oldest" in client.get(LIST).content
    assert b"Open, oldest" not in client_for(world.viewer).get(LIST).content
    # Someone else's view is not found, not deleted.
    assert client_for(world.viewer).post("/t/acme/saved-views/", {"delete": view.pk}).status_code == 404
    assert client_for(world.outsider).post("/t/initech/saved-views/", {"delete": view.pk}).status_code == 404
    client.post("/t/acme/saved-views/", {"delete": view.pk})
    assert not SavedView.all_tenants.exists()


def test_a_view_with_filters_the_list_refuses_is_not_saved(world, client_for):
    response = client_for(world.owner).post("/t/acme/saved-views/", {"name": "x", "query": "status=exploded"},
                                            follow=True)
    assert not SavedView.all_tenants.exists()
    assert texts(response) == ["Give the view a name (and filters that work) to save it."]


# --- bulk actions --------------------------------------------------------------------------------


def test_reviewing_a_bulk_action_shows_how_many_will_change_and_changes_nothing(world, client_for):
    open_, done = complaint(world), complaint(world, status=S.RESOLVED)
    theirs = factories.MentionFactory(source=world.globex_source, is_complaint=True, complaint_status=S.OPEN)
    response = client_for(world.owner).get(LIST, {
        "bulk": "resolve", "scope": "selected", "ids": [open_.pk, done.pk, theirs.pk]})
    confirm = response.context["confirm"]
    assert (confirm.preview.requested, confirm.preview.will_change, confirm.not_found) == (3, 1, 1)
    assert b"Resolve 1 complaint?" in response.content
    assert b"1 was not found and is left out." in response.content
    assert statuses(open_, done, theirs) == [S.OPEN, S.RESOLVED, S.OPEN]


def test_confirming_applies_it_and_says_so(world, client_for):
    first, second = complaint(world), complaint(world)
    response = client_for(world.agency_user).post(BULK, {
        "bulk": "resolve", "scope": "selected", "ids": [first.pk, second.pk], "expected": 2,
        "query": "status=open"}, follow=True)
    assert response.redirect_chain[0][0] == f"{LIST}?status=open"
    assert texts(response) == ["Resolved 2 complaints."]
    assert statuses(first, second) == [S.RESOLVED, S.RESOLVED]
    assert response.context["undo"] == BulkAction.all_tenants.get()


def test_a_whole_filter_result_is_changed_and_only_it(world, client_for):
    late = [complaint(world, text="late delivery again") for _ in range(3)]
    other = complaint(world, text="rude staff")
    response = client_for(world.owner).post(BULK, {
        "bulk": "dismiss", "scope": "all", "expected": 3, "query": "q=late+delivery"}, follow=True)
    assert texts(response) == ["Dismissed 3 complaints."]
    assert statuses(*late, other) == [S.DISMISSED] * 3 + [S.OPEN]
    assert Correction.all_tenants.filter(new_value="not_complaint").count() == 3


def test_it_asks_again_when_the_count_changed_since_the_confirmation(world, client_for):
    first = complaint(world)
    complaint(world)
    response = client_for(world.owner).post(BULK, {
        "bulk": "resolve", "scope": "all", "expected": 1, "query": "status=open"}, follow=True)
    assert texts(response) == ["The selection changed meanwhile: check the new count and confirm again."]
    assert response.context["confirm"].preview.will_change == 2
    assert statuses(first) == [S.OPEN]


def test_assigning_in_bulk_names_the_assignee(world, client_for):
    open_ = complaint(world)
    response = client_for(world.owner).post(BULK, {
        "bulk": "assign", "scope": "selected", "ids": [open_.pk], "assignee": world.viewer.pk,
        "expected": 1}, follow=True)
    assert texts(response) == ["Assigned 1 complaint to viewer."]
    assert Mention.all_tenants.get(pk=open_.pk).assigned_to == world.viewer


def test_an_assignee_from_another_tenant_is_refused(world, client_for):
    open_ = complaint(world)
    response = client_for(world.owner).post(BULK, {
        "bulk": "assign", "scope": "selected", "ids": [open_.pk], "assignee": world.outsider.pk,
        "expected": 1}, follow=True)
    assert texts(response) == ["That bulk action could not be read; nothing was changed."]
    assert Mention.all_tenants.get(pk=open_.pk).assigned_to is None


def test_another_tenants_mentions_in_a_bulk_post_are_never_touched(world, client_for):
    theirs = factories.MentionFactory(source=world.globex_source, is_complaint=True, complaint_status=S.OPEN)
    client_for(world.owner).post(BULK, {"bulk": "resolve", "scope": "selected", "ids": [theirs.pk],
                                        "expected": 0})
    assert statuses(theirs) == [S.OPEN]


def test_viewers_may_look_but_not_act(world, client_for):
    open_ = complaint(world)
    client = client_for(world.viewer)
    assert b"bulk-form" not in client.get(LIST).content
    response = client.post(BULK, {"bulk": "resolve", "scope": "selected", "ids": [open_.pk], "expected": 1})
    assert response.status_code == 403
    assert statuses(open_) == [S.OPEN]


def test_undo_once_from_the_list_then_it_is_gone(world, client_for):
    open_ = complaint(world)
    client = client_for(world.owner)
    client.post(BULK, {"bulk": "resolve", "scope": "selected", "ids": [open_.pk], "expected": 1}, follow=True)
    bulk = BulkAction.all_tenants.get()
    response = client.post(BULK, {"undo": bulk.pk, "next": f"{LIST}?status=open"}, follow=True)
    assert response.redirect_chain[0][0] == f"{LIST}?status=open"
    assert texts(response) == ["Undone: 1 complaint is as it was."]
    assert statuses(open_) == [S.OPEN]
    assert response.context["undo"] is None
    again = client.post(BULK, {"undo": bulk.pk}, follow=True)
    assert texts(again) == ["This bulk action was undone already."]
    history = client.get(BULK).content
    assert b"by owner" in history
    assert b"(1 restored)" in history
    assert b'name="undo"' not in history


def test_undo_goes_back_only_to_a_page_of_this_tenant(world, client_for):
    open_ = complaint(world)
    client = client_for(world.owner)
    client.post(BULK, {"bulk": "resolve", "scope": "selected", "ids": [open_.pk], "expected": 1})
    response = client.post(BULK, {"undo": BulkAction.all_tenants.get().pk, "next": "https://evil.example/"})
    assert response["Location"] == BULK


def test_another_tenants_bulk_action_cannot_be_undone_from_here(world, client_for):
    mention = factories.MentionFactory(source=world.initech_source, is_complaint=True, complaint_status=S.OPEN)
    with tenant_scope(world.initech):
        bulk = complaints_bulk_apply(tenant=world.initech, actor=world.outsider, action="resolve",
                                     selection=bulk_selection(ids=[mention.pk]))
    assert client_for(world.owner).post(BULK, {"undo": bulk.pk}).status_code == 404
    assert client_for(world.owner).post(BULK, {"undo": "²"}).status_code == 404
    assert statuses(mention) == [S.RESOLVED]


def test_the_history_lists_the_tenants_bulk_actions_with_their_undo(world, client_for):
    open_ = complaint(world)
    client_for(world.owner).post(BULK, {"bulk": "resolve", "scope": "selected", "ids": [open_.pk],
                                        "note": "weekly sweep", "expected": 1})
    page = client_for(world.agency_user).get(BULK)
    assert page.status_code == 200
    assert b"weekly sweep" in page.content
    assert b'name="undo"' in page.content
    assert b'name="undo"' not in client_for(world.viewer).get(BULK).content


# --- the backlog setting -------------------------------------------------------------------------


def test_an_admin_sets_the_day_complaints_count_from(world, client_for):
    complaint(world, hours_ago=24 * 40)
    complaint(world, hours_ago=1)
    day = (timezone.now() - timedelta(days=7)).date()
    response = client_for(world.owner).post("/t/acme/queue-settings/", {"complaints_counted_from": day.isoformat()},
                                            follow=True)
    world.acme.refresh_from_db()
    assert world.acme.complaints_counted_from == day
    assert texts(response) == [f"Complaints count from {day.day} {day.strftime('%B')} {day.year} on."]
    assert b"1 older complaint is left out." in response.content
    cleared = client_for(world.owner).post("/t/acme/queue-settings/", {"complaints_counted_from": ""}, follow=True)
    world.acme.refresh_from_db()
    assert world.acme.complaints_counted_from is None
    assert texts(cleared) == ["Every complaint counts again, however old."]


def test_analysts_read_the_backlog_setting_but_may_not_change_it(world, client_for):
    client = client_for(world.agency_user)
    assert client.get("/t/acme/queue-settings/").status_code == 200
    response = client.post("/t/acme/queue-settings/", {"complaints_counted_from": date(2026, 1, 1).isoformat()})
    assert response.status_code == 403
    world.acme.refresh_from_db()
    assert world.acme.complaints_counted_from is None


def test_an_action_that_changed_nothing_offers_no_undo(world, client_for):
    done = complaint(world, status=S.RESOLVED)
    with tenant_scope(world.acme):
        complaints_bulk_apply(tenant=world.acme, actor=world.owner, action="resolve",
                              selection=bulk_selection(ids=[done.pk]))
    assert client_for(world.owner).get(LIST).context["undo"] is None


# --- messages after single actions ---------------------------------------------------------------


def test_a_single_complaint_step_and_a_relabel_say_what_they_did(world, client_for):
    open_ = complaint(world)
    client = client_for(world.owner)
    url = f"/t/acme/mentions/{open_.pk}/"
    resolved = client.post(url, {"complaint_action": "resolve"}, follow=True)
    assert texts(resolved) == ["Complaint resolved."]
    assert b"Complaint resolved." in resolved.content
    relabelled = client.post(url, {"label": "sentiment:positive"}, follow=True)
    assert texts(relabelled) == ["Relabelled: the correction is recorded and teaches the classifier."]


def test_acknowledging_an_alert_says_so(world, client_for):
    from listening.models import Alert

    alert = Alert.all_tenants.create(tenant=world.acme, kind="decline", key="decline:tenant", title="Falling")
    client = client_for(world.owner)
    first = client.post("/t/acme/", {"action": "acknowledge", "alert_id": alert.pk}, follow=True)
    assert texts(first) == ["Alert acknowledged."]
    again = client.post("/t/acme/", {"action": "acknowledge", "alert_id": alert.pk}, follow=True)
    assert texts(again) == ["Someone else changed this alert meanwhile."]


def test_a_result_past_the_limit_is_not_offered_and_refused_if_posted(world, client_for, monkeypatch):
    from listening.services import complaint_bulk

    monkeypatch.setattr(complaint_bulk, "BULK_LIMIT", 2)
    mentions = [complaint(world) for _ in range(3)]
    client = client_for(world.owner)
    review = client.get(LIST, {"bulk": "resolve", "scope": "all"})
    assert b"That is more than 2 at once: narrow the filters first." in review.content
    assert b"data-confirm-button" not in review.content
    posted = client.post(BULK, {"bulk": "resolve", "scope": "all", "expected": 3, "query": ""}, follow=True)
    assert texts(posted) == ["At most 2 complaints can change in one action: narrow the filters."]
    assert statuses(*mentions) == [S.OPEN] * 3
