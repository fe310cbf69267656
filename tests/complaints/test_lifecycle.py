"""The complaint lifecycle: transitions, events, the answer policy, dismissals, assignment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from listening.models import ComplaintEvent, Correction, Mention
from listening.models.mentions import ComplaintStatus as S
from listening.models.tenancy import AnswerPolicy
from listening.services.complaints import (
    AnswerPolicyForbids,
    AssigneeNotMember,
    ComplaintConflict,
    TransitionNotAllowed,
    complaint_assign,
    complaint_dismiss,
    complaint_mark_answered,
    complaint_reopen,
    complaint_resolve,
)
from listening.services.corrections import correction_create
from listening.services.ingestion import mentions_ingest
from tests import factories
from tests.complaints.conftest import complaint, office_hours
from workers.adapters.base import RawMention


def history(mention: Mention) -> list[tuple[str, str, str, object]]:
    return [(e.action, e.from_status, e.to_status, e.actor_id)
            for e in ComplaintEvent.all_tenants.filter(mention=mention).order_by("at", "id")]


def fresh(mention: Mention) -> Mention:
    return Mention.all_tenants.get(pk=mention.pk)


def ingest(source, *raws: RawMention) -> None:
    source.refresh_from_db()
    mentions_ingest(source=source, batch=list(raws), expected_cursor=source.cursor,
                    next_cursor={"n": (source.cursor or {}).get("n", 0) + 1})


def test_ingestion_opens_a_new_complaint_and_a_brand_reply_answers_it(world, fake_classifier):
    factories.BrandAccountFactory(brand=world.acme_brand, platform="mock", handle="acme_care")
    asked = timezone.now() - timedelta(hours=2)
    ingest(world.acme_source, RawMention("c1", "My Acme order arrived broken", asked, "budi", "", "mock"),
           RawMention("n1", "Acme delivered today", asked, "sari", "", "mock"))
    c1 = Mention.all_tenants.get(external_id="c1")
    assert c1.complaint_status == S.OPEN
    assert Mention.all_tenants.get(external_id="n1").complaint_status == S.NONE
    assert history(c1) == []

    ingest(world.acme_source, RawMention("r1", "Sorry! DM us", asked + timedelta(minutes=30),
                                         "acme_care", "", "mock", parent_external_id="c1"))
    c1 = fresh(c1)
    assert c1.complaint_status == S.ANSWERED
    assert c1.answered_at == asked + timedelta(minutes=30)
    assert history(c1) == [("answered", "open", "answered", None)]


def test_a_reply_stored_before_its_complaint_still_answers_it(world, fake_classifier):
    factories.BrandAccountFactory(brand=world.acme_brand, platform="mock", handle="acme_care")
    asked = timezone.now() - timedelta(hours=2)
    ingest(world.acme_source, RawMention("r1", "On it", asked + timedelta(minutes=5), "acme_care", "",
                                         "mock", parent_external_id="c1"))
    ingest(world.acme_source, RawMention("c1", "Acme app is broken", asked, "budi", "", "mock"))
    c1 = Mention.all_tenants.get(external_id="c1")
    assert c1.complaint_status == S.ANSWERED
    assert history(c1) == [("answered", "open", "answered", None)]


def test_a_brand_reply_leaves_a_resolved_complaint_resolved(world, fake_classifier):
    factories.BrandAccountFactory(brand=world.acme_brand, platform="mock", handle="acme_care")
    c = complaint(world, external_id="c9", status=S.RESOLVED)
    ingest(world.acme_source, RawMention("r9", "Late, sorry", timezone.now(), "acme_care", "", "mock",
                                         parent_external_id="c9"))
    c = fresh(c)
    assert (c.complaint_status, c.answered_at is not None) == (S.RESOLVED, True)


def test_it_walks_open_answered_resolved_reopened_with_an_event_each(world):
    office_hours(world.acme, policy=AnswerPolicy.BRAND_REPLY_OR_MARKED)
    c = complaint(world)
    complaint_mark_answered(mention=c, actor=world.agency_user, note="Called them")
    assert c.answered_at is not None
    complaint_resolve(mention=c, actor=world.agency_user)
    complaint_reopen(mention=c, actor=world.owner)
    c = fresh(c)
    assert c.complaint_status == S.OPEN
    assert c.answered_at is not None  # the first response stays on record after a reopen
    assert history(c) == [
        ("answered", "open", "answered", world.agency_user.pk),
        ("resolved", "answered", "resolved", world.agency_user.pk),
        ("reopened", "resolved", "open", world.owner.pk),
    ]
    assert ComplaintEvent.all_tenants.filter(mention=c).first().note == "Called them"


def test_a_manual_answer_is_refused_under_the_brand_reply_policy(world):
    office_hours(world.acme, policy=AnswerPolicy.BRAND_REPLY)
    c = complaint(world)
    with pytest.raises(AnswerPolicyForbids):
        complaint_mark_answered(mention=c, actor=world.owner)
    assert fresh(c).complaint_status == S.OPEN
    assert fresh(c).answered_at is None
    assert history(c) == []


def test_a_manual_answer_keeps_an_earlier_brand_reply_as_the_first_response(world):
    office_hours(world.acme, policy=AnswerPolicy.BRAND_REPLY_OR_MARKED)
    replied = timezone.now() - timedelta(hours=3)
    c = complaint(world, answered_at=replied)  # answered, then reopened
    complaint_mark_answered(mention=c, actor=world.owner)
    assert fresh(c).answered_at == replied


def test_resolving_an_open_complaint_directly_is_allowed_but_answering_a_resolved_one_is_not(world):
    office_hours(world.acme, policy=AnswerPolicy.BRAND_REPLY_OR_MARKED)
    c = complaint(world)
    complaint_resolve(mention=c, actor=world.owner)
    with pytest.raises(TransitionNotAllowed):
        complaint_mark_answered(mention=c, actor=world.owner)
    with pytest.raises(TransitionNotAllowed):
        complaint_resolve(mention=c, actor=world.owner)


def test_a_mention_that_is_not_a_complaint_has_no_lifecycle(world):
    m = factories.MentionFactory(source=world.acme_source)
    m.tenant = world.acme
    with pytest.raises(TransitionNotAllowed):
        complaint_resolve(mention=m, actor=world.owner)
    with pytest.raises(TransitionNotAllowed):
        complaint_assign(mention=m, assignee=world.owner, actor=world.owner)


def test_dismissing_records_a_correction_so_the_classifier_learns(world):
    c = complaint(world)
    complaint_dismiss(mention=c, actor=world.agency_user, note="A joke")
    c = fresh(c)
    assert (c.complaint_status, c.is_complaint) == (S.DISMISSED, False)
    correction = Correction.all_tenants.get(mention=c)
    assert (correction.field, correction.old_value, correction.new_value, correction.created_by) == (
        "complaint", "complaint", "not_complaint", world.agency_user)
    assert history(c) == [("dismissed", "open", "dismissed", world.agency_user.pk)]


def test_reopening_a_dismissed_complaint_corrects_it_back(world):
    c = complaint(world)
    complaint_dismiss(mention=c, actor=world.owner)
    complaint_reopen(mention=c, actor=world.owner)
    c = fresh(c)
    assert (c.complaint_status, c.is_complaint) == (S.OPEN, True)
    assert list(Correction.all_tenants.filter(mention=c).order_by("created_at", "id")
                .values_list("new_value", flat=True)) == ["not_complaint", "complaint"]
    assert [a for a, *_ in history(c)] == ["dismissed", "reopened"]


def test_a_correction_that_makes_a_mention_a_complaint_opens_it(world, fake_classifier):
    m = factories.MentionFactory(source=world.acme_source, text="Acme again", is_complaint=False)
    correction_create(mention=m, field="complaint", value="complaint", user=world.owner)
    m = fresh(m)
    assert m.complaint_status == S.OPEN
    assert history(m) == [("opened", "", "open", world.owner.pk)]
    assert ComplaintEvent.all_tenants.get(mention=m).note == "relabelled as a complaint"


@pytest.mark.parametrize("status", [S.OPEN, S.ANSWERED])
def test_a_not_complaint_correction_dismisses_the_complaint(world, status):
    c = complaint(world, status=status)
    correction_create(mention=c, field="complaint", value="not_complaint", user=world.agency_user)
    assert c.complaint_status == S.DISMISSED  # the caller's instance too
    c = fresh(c)
    assert (c.complaint_status, c.is_complaint) == (S.DISMISSED, False)
    assert history(c) == [("dismissed", status, "dismissed", world.agency_user.pk)]
    assert ComplaintEvent.all_tenants.get(mention=c).note == "relabelled as not a complaint"
    # One correction: the dismissal it triggers records none of its own.
    assert list(Correction.all_tenants.filter(mention=c).values_list("old_value", "new_value")) == [
        ("complaint", "not_complaint")]


def test_a_not_complaint_correction_by_a_command_dismisses_with_no_actor(world):
    c = complaint(world)
    correction_create(mention=c, field="complaint", value="not_complaint", user=None)
    assert history(fresh(c)) == [("dismissed", "open", "dismissed", None)]


def test_a_not_complaint_correction_leaves_a_resolved_complaint_resolved(world):
    c = complaint(world, status=S.RESOLVED)
    correction_create(mention=c, field="complaint", value="not_complaint", user=world.owner)
    c = fresh(c)
    assert (c.complaint_status, c.is_complaint) == (S.RESOLVED, False)
    assert history(c) == []


def test_a_complaint_correction_of_a_dismissed_complaint_reopens_it(world):
    c = complaint(world)
    complaint_dismiss(mention=c, actor=world.owner)
    correction_create(mention=fresh(c), field="complaint", value="complaint", user=world.agency_user)
    c = fresh(c)
    assert (c.complaint_status, c.is_complaint) == (S.OPEN, True)
    assert history(c) == [("dismissed", "open", "dismissed", world.owner.pk),
                          ("reopened", "dismissed", "open", world.agency_user.pk)]
    assert list(Correction.all_tenants.filter(mention=c).order_by("id")
                .values_list("new_value", "created_by")) == [
        ("not_complaint", world.owner.pk), ("complaint", world.agency_user.pk)]


def test_a_correction_that_changes_nothing_about_complaints_leaves_the_lifecycle_alone(world):
    c = complaint(world)
    correction_create(mention=c, field="complaint", value="complaint", user=world.owner)
    correction_create(mention=c, field="sentiment", value="positive", user=world.owner)
    assert fresh(c).complaint_status == S.OPEN
    assert history(c) == []


def test_two_people_acting_at_once_cannot_both_win(world):
    c = complaint(world)
    mine, theirs = fresh(c), fresh(c)
    mine.tenant = theirs.tenant = world.acme
    complaint_resolve(mention=mine, actor=world.owner)
    with pytest.raises(ComplaintConflict):
        complaint_dismiss(mention=theirs, actor=world.agency_user)
    c = fresh(c)
    assert (c.complaint_status, c.is_complaint) == (S.RESOLVED, True)
    assert history(c) == [("resolved", "open", "resolved", world.owner.pk)]
    assert not Correction.all_tenants.filter(mention=c).exists()


def test_it_assigns_to_direct_and_agency_members_and_unassigns(world):
    c = complaint(world)
    complaint_assign(mention=c, assignee=world.viewer, actor=world.owner)
    complaint_assign(mention=c, assignee=world.agency_user, actor=world.owner)
    assert fresh(c).assigned_to == world.agency_user
    complaint_assign(mention=c, assignee=None, actor=world.owner)
    assert fresh(c).assigned_to is None
    events = ComplaintEvent.all_tenants.filter(mention=c).order_by("id")
    assert [(e.action, e.assignee_id) for e in events] == [
        ("assigned", world.viewer.pk), ("assigned", world.agency_user.pk), ("assigned", None)]
    assert {(e.from_status, e.to_status) for e in events} == {("open", "open")}


def test_it_refuses_an_assignee_who_is_not_a_member(world):
    c = complaint(world)
    with pytest.raises(AssigneeNotMember):
        complaint_assign(mention=c, assignee=world.outsider, actor=world.owner)
    assert fresh(c).assigned_to is None
    assert history(c) == []


def test_a_stale_assignment_is_a_conflict(world):
    c = complaint(world)
    mine, theirs = fresh(c), fresh(c)
    mine.tenant = theirs.tenant = world.acme
    complaint_assign(mention=mine, assignee=world.viewer, actor=world.owner)
    with pytest.raises(ComplaintConflict):
        complaint_assign(mention=theirs, assignee=world.agency_user, actor=world.agency_user)
    assert fresh(c).assigned_to == world.viewer
