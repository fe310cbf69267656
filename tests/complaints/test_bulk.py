"""Bulk actions on complaints (the service and the API): over a selection or a filter result,
with a dry run to confirm, efficient at size, undone exactly and once, never across tenants."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from listening.models import BulkAction, ComplaintEvent, Correction, Mention
from listening.models.mentions import ComplaintStatus as S
from listening.scoping import TenantScopeMissing, tenant_scope
from listening.selectors.complaint_queue import bulk_selection
from listening.selectors.mentions import MentionFilters
from listening.services import complaint_bulk
from listening.services.complaint_bulk import (
    BulkAlreadyUndone,
    BulkTooLarge,
    bulk_action_undo,
    complaints_bulk_apply,
)
from tests import factories
from tests.complaints.conftest import complaint

BASE = "/api/v1/tenants/acme/complaint-bulk-actions/"


def _status(mention: Mention) -> str:
    return Mention.all_tenants.values_list("complaint_status", flat=True).get(pk=mention.pk)


def _undo(world, bulk: BulkAction):
    with tenant_scope(world.acme):
        return bulk_action_undo(bulk_action=bulk, actor=world.owner)


def _apply(world, action: str, mentions: list[Mention], **kwargs) -> BulkAction:
    with tenant_scope(world.acme):
        return complaints_bulk_apply(tenant=world.acme, actor=world.agency_user, action=action,
                                     selection=bulk_selection(ids=[m.pk for m in mentions]), **kwargs)


# --- the service ---------------------------------------------------------------------------------


def test_resolving_changes_only_open_and_answered_complaints_and_records_each(world):
    open_, answered = complaint(world), complaint(world, status=S.ANSWERED)
    done, plain = complaint(world, status=S.RESOLVED), factories.MentionFactory(source=world.acme_source)
    bulk = _apply(world, "resolve", [open_, answered, done, plain])
    assert (bulk.requested, bulk.changed) == (4, 2)
    assert [_status(m) for m in (open_, answered, done, plain)] == [S.RESOLVED, S.RESOLVED, S.RESOLVED, ""]
    events = ComplaintEvent.all_tenants.filter(action="resolved").order_by("mention_id")
    assert [(e.mention_id, e.from_status, e.actor_id) for e in events] == [
        (open_.pk, S.OPEN, world.agency_user.pk), (answered.pk, S.ANSWERED, world.agency_user.pk)]
    assert {e.note for e in events} == {f"Bulk action #{bulk.pk}"}


def test_undo_puts_back_exactly_what_the_action_changed_once(world):
    open_, answered = complaint(world), complaint(world, status=S.ANSWERED)
    bulk = _apply(world, "resolve", [open_, answered])
    result = _undo(world, bulk)
    assert (result.restored, result.skipped) == (2, 0)
    assert [_status(open_), _status(answered)] == [S.OPEN, S.ANSWERED]
    bulk.refresh_from_db()
    assert bulk.undone_by == world.owner
    assert bulk.undone_at is not None
    with pytest.raises(BulkAlreadyUndone):
        _undo(world, bulk)


def test_undo_leaves_alone_a_complaint_changed_again_since(world):
    first, second = complaint(world), complaint(world)
    bulk = _apply(world, "resolve", [first, second])
    Mention.all_tenants.filter(pk=second.pk).update(complaint_status=S.DISMISSED)
    result = _undo(world, bulk)
    assert (result.restored, result.skipped) == (1, 1)
    assert [_status(first), _status(second)] == [S.OPEN, S.DISMISSED]


def test_assigning_and_undoing_restores_each_previous_assignee(world):
    mine, nobodys = complaint(world, assigned_to=world.owner), complaint(world)
    already = complaint(world, assigned_to=world.viewer)
    bulk = _apply(world, "assign", [mine, nobodys, already], assignee=world.viewer)
    assert bulk.changed == 2
    assert set(Mention.all_tenants.filter(pk__in=[mine.pk, nobodys.pk])
               .values_list("assigned_to_id", flat=True)) == {world.viewer.pk}
    _undo(world, bulk)
    assigned = dict(Mention.all_tenants.values_list("pk", "assigned_to_id"))
    assert assigned == {mine.pk: world.owner.pk, nobodys.pk: None, already.pk: world.viewer.pk}


def test_marking_not_a_complaint_records_a_correction_per_mention_as_a_relabel_does(world):
    open_, resolved = complaint(world), complaint(world, status=S.RESOLVED)
    bulk = _apply(world, "not_complaint", [open_, resolved])
    assert bulk.changed == 2
    corrections = Correction.all_tenants.filter(field="complaint").order_by("mention_id")
    assert [(c.mention_id, c.old_value, c.new_value, c.created_by_id) for c in corrections] == [
        (open_.pk, "complaint", "not_complaint", world.agency_user.pk),
        (resolved.pk, "complaint", "not_complaint", world.agency_user.pk)]
    # As a single relabel: an open complaint is dismissed, a resolved one keeps its status.
    assert [_status(open_), _status(resolved)] == [S.DISMISSED, S.RESOLVED]
    assert not Mention.all_tenants.filter(is_complaint=True).exists()

    _undo(world, bulk)
    assert [_status(open_), _status(resolved)] == [S.OPEN, S.RESOLVED]
    assert Mention.all_tenants.filter(is_complaint=True).count() == 2
    latest = Correction.all_tenants.filter(mention=open_).order_by("-id").first()
    assert (latest.new_value, latest.created_by) == ("complaint", world.owner)


def test_dismissing_also_teaches_the_classifier_like_a_single_dismissal(world):
    answered = complaint(world, status=S.ANSWERED)
    _apply(world, "dismiss", [answered])
    assert _status(answered) == S.DISMISSED
    assert Correction.all_tenants.get(mention=answered).new_value == "not_complaint"


def test_it_refuses_more_than_the_limit_and_changes_nothing(world, monkeypatch):
    monkeypatch.setattr(complaint_bulk, "BULK_LIMIT", 2)
    mentions = [complaint(world) for _ in range(3)]
    with pytest.raises(BulkTooLarge, match="At most 2 complaints"):
        _apply(world, "resolve", mentions)
    assert {_status(m) for m in mentions} == {S.OPEN}
    assert not BulkAction.all_tenants.exists()


def test_a_whole_filter_result_takes_the_same_queries_for_ten_or_sixty_rows(world, count_queries, monkeypatch):
    monkeypatch.setattr(complaint_bulk, "BATCH_SIZE", 100)

    def run(n: int) -> int:
        for _ in range(n):
            complaint(world, text="late delivery")
        with tenant_scope(world.acme):
            selection = bulk_selection(filters=MentionFilters(q="late delivery", status=S.OPEN))
            return count_queries(lambda: complaints_bulk_apply(
                tenant=world.acme, actor=world.owner, action="resolve", selection=selection))

    assert run(10) == run(60)
    assert Mention.all_tenants.filter(complaint_status=S.RESOLVED).count() == 70


def test_another_tenants_mention_in_a_selection_is_never_touched(world):
    ours = complaint(world)
    theirs = factories.MentionFactory(source=world.globex_source, is_complaint=True,
                                      complaint_status=S.OPEN)
    bulk = _apply(world, "resolve", [ours, theirs])
    assert bulk.changed == 1
    assert _status(theirs) == S.OPEN
    assert not ComplaintEvent.all_tenants.filter(mention=theirs).exists()


def test_a_bulk_action_is_applied_and_undone_only_in_its_own_tenants_scope(world):
    open_ = complaint(world)
    with tenant_scope(world.globex), pytest.raises(TenantScopeMissing):
        complaints_bulk_apply(tenant=world.acme, actor=world.owner, action="resolve",
                              selection=Mention.all_tenants.filter(pk=open_.pk))
    bulk = _apply(world, "resolve", [open_])
    with tenant_scope(world.globex), pytest.raises(TenantScopeMissing):
        bulk_action_undo(bulk_action=bulk, actor=world.owner)
    assert _status(open_) == S.RESOLVED
    assert BulkAction.all_tenants.get().undone_at is None


# --- the API -------------------------------------------------------------------------------------


def test_a_dry_run_counts_and_changes_nothing(world, api_client_for):
    open_, done = complaint(world), complaint(world, status=S.RESOLVED)
    theirs = factories.MentionFactory(source=world.globex_source, is_complaint=True,
                                      complaint_status=S.OPEN)
    response = api_client_for(world.agency_user).post(BASE, {
        "action": "resolve", "ids": [open_.pk, done.pk, theirs.pk, 10**12], "dry_run": True,
    }, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"action": "resolve", "requested": 4, "not_found": 2, "will_change": 1,
                               "limit": complaint_bulk.BULK_LIMIT}
    assert _status(open_) == S.OPEN
    assert not BulkAction.all_tenants.exists()


def test_it_acts_on_a_selection_and_counts_other_tenants_ids_as_not_found(world, api_client_for):
    open_ = complaint(world)
    theirs = factories.MentionFactory(source=world.globex_source, is_complaint=True,
                                      complaint_status=S.OPEN)
    response = api_client_for(world.owner).post(
        BASE, {"action": "dismiss", "ids": [open_.pk, theirs.pk], "note": "duplicates"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["requested"], body["changed"], body["not_found"]) == (2, 1, 1)
    assert (body["action"], body["actor"]["username"], body["note"]) == ("dismiss", "owner", "duplicates")
    event = ComplaintEvent.all_tenants.get(mention=open_, action="dismissed")
    assert event.note == f"Bulk action #{body['id']}: duplicates"
    assert (_status(open_), _status(theirs)) == (S.DISMISSED, S.OPEN)


def test_it_acts_on_every_mention_the_list_filters_select(world, api_client_for):
    old = complaint(world, published_at=timezone.now() - timedelta(days=10))
    new = complaint(world, published_at=timezone.now() - timedelta(hours=1))
    since = (timezone.now() - timedelta(days=2)).isoformat()
    response = api_client_for(world.owner).post(
        f"{BASE}?status=open&since={since.replace('+', '%2B')}",
        {"action": "resolve", "all_matching": True}, format="json")
    assert response.status_code == 201, response.content
    assert (_status(old), _status(new)) == (S.OPEN, S.RESOLVED)


def test_it_assigns_to_a_member_only(world, api_client_for):
    open_ = complaint(world)
    client = api_client_for(world.owner)
    refused = client.post(BASE, {"action": "assign", "ids": [open_.pk], "assigned_to": world.outsider.pk},
                          format="json")
    assert refused.status_code == 400
    assert refused.json() == {"assigned_to": ["Not a member of this tenant."]}
    done = client.post(BASE, {"action": "assign", "ids": [open_.pk], "assigned_to": world.viewer.pk},
                       format="json")
    assert done.status_code == 201
    assert Mention.all_tenants.get(pk=open_.pk).assigned_to == world.viewer


@pytest.mark.parametrize(("body", "field"), [
    ({"action": "resolve"}, "ids"),
    ({"action": "resolve", "ids": [1], "all_matching": True}, "ids"),
    ({"action": "explode", "ids": [1]}, "action"),
    ({"action": "resolve", "ids": ["1"]}, "ids"),
    ({"action": "resolve", "ids": []}, "ids"),
    ({"action": "assign", "ids": [1]}, "assigned_to"),
])
def test_bad_input_is_a_400_naming_the_field(world, api_client_for, body, field):
    response = api_client_for(world.owner).post(BASE, body, format="json")
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("query", ["unanswered=5", "unanswered=yes&unanswered=no", "status=exploded"])
def test_a_bad_filter_is_a_400_even_beside_a_list_of_ids(world, api_client_for, query):
    open_ = complaint(world)
    response = api_client_for(world.owner).post(f"{BASE}?{query}", {"action": "resolve", "ids": [open_.pk]},
                                                format="json")
    assert response.status_code == 400, response.content
    assert _status(open_) == S.OPEN


def test_viewers_and_read_only_tokens_may_not_act(world, api_client_for):
    open_ = complaint(world)
    body = {"action": "resolve", "ids": [open_.pk]}
    assert api_client_for(world.viewer).post(BASE, body, format="json").status_code == 403
    read_only = api_client_for(world.owner, tenant=world.acme, read_only=True)
    assert read_only.post(BASE, body, format="json").status_code == 403
    assert _status(open_) == S.OPEN


def test_undo_through_the_api_once_then_409(world, api_client_for):
    open_ = complaint(world)
    client = api_client_for(world.owner)
    bulk_id = client.post(BASE, {"action": "resolve", "ids": [open_.pk]}, format="json").json()["id"]
    first = client.post(f"{BASE}{bulk_id}/undo/")
    assert first.status_code == 200
    assert (first.json()["restored"], first.json()["skipped"]) == (1, 0)
    assert _status(open_) == S.OPEN
    assert client.post(f"{BASE}{bulk_id}/undo/").status_code == 409
    listed = client.get(BASE).json()["results"]
    assert [(b["id"], b["undone_by"]["username"]) for b in listed] == [(bulk_id, "owner")]


def test_another_tenant_cannot_undo_our_bulk_action(world, api_client_for):
    open_ = complaint(world)
    bulk = _apply(world, "resolve", [open_])
    outsider = api_client_for(world.outsider)
    assert outsider.post(f"{BASE}{bulk.pk}/undo/").status_code == 404
    url = f"/api/v1/tenants/initech/complaint-bulk-actions/{bulk.pk}/undo/"
    assert outsider.post(url).status_code == 404
    assert _status(open_) == S.RESOLVED


# --- saved views ---------------------------------------------------------------------------------

VIEWS = "/api/v1/tenants/acme/saved-views/"


def test_saved_views_are_each_persons_own(world, api_client_for):
    owner, viewer = api_client_for(world.owner), api_client_for(world.viewer)
    made = owner.post(VIEWS, {"name": "Open, oldest first", "query": {"status": "open", "sort": "oldest"}},
                      format="json")
    assert made.status_code == 201, made.content
    view_id = made.json()["id"]
    assert [v["name"] for v in owner.get(VIEWS).json()["results"]] == ["Open, oldest first"]
    assert viewer.get(VIEWS).json()["results"] == []
    assert viewer.get(f"{VIEWS}{view_id}/").status_code == 404
    assert viewer.delete(f"{VIEWS}{view_id}/").status_code == 404
    assert owner.delete(f"{VIEWS}{view_id}/").status_code == 204


def test_a_saved_view_takes_only_the_lists_parameters(world, api_client_for):
    response = api_client_for(world.owner).post(VIEWS, {"name": "x", "query": {"evil": "1"}}, format="json")
    assert response.status_code == 400
    assert response.json() == {"query": ["Unknown parameters: evil."]}


def test_the_api_costs_the_same_queries_for_5_or_40_complaints(world, api_client_for, count_queries):
    client = api_client_for(world.owner)

    def run(n: int, text: str) -> int:
        for _ in range(n):
            complaint(world, text=text)
        return count_queries(lambda: client.post(
            f"{BASE}?q={text}", {"action": "assign", "all_matching": True, "assigned_to": world.viewer.pk},
            format="json"))

    assert run(5, "cold coffee") == run(40, "wrong size")
    assert Mention.all_tenants.filter(assigned_to=world.viewer).count() == 45


def test_a_saved_view_belongs_to_one_tenant_and_saving_a_name_again_replaces_it(world, api_client_for):
    client = api_client_for(world.agency_user)
    first = client.post(VIEWS, {"name": "Mine", "query": {"assigned_to": "me"}}, format="json").json()
    again = client.post(VIEWS, {"name": "Mine", "query": {"assigned_to": "me", "sort": "waiting"}},
                        format="json").json()
    assert again["id"] == first["id"]
    assert again["query"] == {"assigned_to": "me", "sort": "waiting"}
    assert client.get("/api/v1/tenants/globex/saved-views/").json()["results"] == []
    assert client.get(f"/api/v1/tenants/globex/saved-views/{first['id']}/").status_code == 404
