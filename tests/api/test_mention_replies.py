"""Answering a complaint from Dengar: posted through the platform once, recorded as the brand's
reply with who sent it; a failed post says why and changes nothing."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from listening.models import ComplaintEvent, Mention, OutgoingReply, Source
from listening.models.mentions import ComplaintStatus
from listening.services.sources import source_create
from tests import factories
from tests.workers.graphfake import Answer, FakeGraph, fixture
from workers.adapters import httpclient

IG_ACCOUNT, PAGE = "17841400000000001", "104000000000001"
C11, R11 = "17860000000000011", "17870000000000015"
FB_COMMENT = "200000000000001_300000000000001"


@pytest.fixture
def meta(monkeypatch: pytest.MonkeyPatch) -> FakeGraph:
    fake = FakeGraph()
    monkeypatch.setattr(httpclient, "http_request", fake)
    return fake


@pytest.fixture
def instagram(world) -> Source:
    return source_create(tenant=world.acme, name="Instagram", kind="instagram", config={
        "account_id": IG_ACCOUNT, "access_token": "EAAtoken0123456789abcdefghij"})


def complaint(source: Source, external_id: str = C11, thread: str = "") -> Mention:
    return factories.MentionFactory.create(
        tenant=source.tenant, source=source, external_id=external_id, thread_external_id=thread or external_id,
        platform=source.kind, text="My order arrived broken", is_complaint=True, reply_kind="complaint",
        complaint_status=ComplaintStatus.OPEN, published_at=timezone.now())


def url(mention: Mention) -> str:
    return f"/api/v1/tenants/acme/mentions/{mention.pk}/reply/"


def test_an_analysts_reply_is_posted_recorded_as_the_brands_and_answers_the_complaint(world, api_client_for,
                                                                                      meta, instagram):
    meta.json(f"{C11}/replies", "instagram", "reply_created.json", method="POST")
    mention = complaint(instagram)
    response = api_client_for(world.agency_user).post(
        url(mention), {"text": "So sorry, we are sending a new one today", "idempotency_key": "k-0001-abcd"},
        format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "sent"
    [posted] = meta.requests
    assert (posted.method, posted.params["message"]) == ("POST", "So sorry, we are sending a new one today")
    mention.refresh_from_db()
    assert mention.complaint_status == ComplaintStatus.ANSWERED
    assert mention.answered_at is not None
    event = ComplaintEvent.all_tenants.get(mention=mention, action="answered")
    assert event.actor == world.agency_user
    reply = Mention.all_tenants.get(external_id="17870000000000099")
    assert (reply.is_brand_reply, reply.parent_external_id, reply.replied_by) == (True, C11, world.agency_user)


def test_a_double_click_posts_once(world, api_client_for, meta, instagram):
    meta.json(f"{C11}/replies", "instagram", "reply_created.json", method="POST")
    mention = complaint(instagram)
    client = api_client_for(world.owner)
    body = {"text": "On it", "idempotency_key": "same-key-1234"}
    first, second = client.post(url(mention), body, format="json"), client.post(url(mention), body, format="json")
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] == second.json()["id"]
    assert len(meta.requests) == 1
    assert OutgoingReply.all_tenants.count() == 1
    assert Mention.all_tenants.filter(is_brand_reply=True).count() == 1


def test_a_failed_post_says_why_and_changes_nothing(world, api_client_for, meta, instagram):
    meta.route(f"{C11}/replies", Answer(400, fixture("instagram", "error_token_expired.json")), method="POST")
    mention = complaint(instagram)
    response = api_client_for(world.owner).post(url(mention), {"text": "On it", "idempotency_key": "k-fail-0001"},
                                                format="json")
    assert response.status_code == 502
    assert "no longer accepts this source's access token" in response.json()["error"]
    mention.refresh_from_db()
    assert (mention.complaint_status, mention.answered_at) == (ComplaintStatus.OPEN, None)
    assert not Mention.all_tenants.filter(is_brand_reply=True).exists()
    assert not ComplaintEvent.all_tenants.filter(mention=mention, action="answered").exists()


def test_a_reply_to_a_reply_goes_to_its_comment_on_instagram(world, api_client_for, meta, instagram):
    meta.json(f"{C11}/replies", "instagram", "reply_created.json", method="POST")
    mention = complaint(instagram, external_id=R11, thread=C11)
    response = api_client_for(world.owner).post(url(mention), {"text": "On it", "idempotency_key": "k-thread-01"},
                                                format="json")
    assert response.status_code == 201
    assert meta.requests[0].path == f"{C11}/replies"
    assert Mention.all_tenants.get(external_id="17870000000000099").parent_external_id == R11


def test_a_facebook_comment_is_answered_in_its_thread(world, api_client_for, meta):
    source = source_create(tenant=world.acme, name="Facebook", kind="facebook", config={
        "page_id": PAGE, "access_token": "EAAtoken0123456789abcdefghij"})
    meta.json(f"{FB_COMMENT}/comments", "facebook", "comment_created.json", method="POST")
    mention = complaint(source, external_id=FB_COMMENT)
    response = api_client_for(world.owner).post(url(mention), {"text": "On it", "idempotency_key": "k-fb-00001"},
                                                format="json")
    assert response.status_code == 201
    assert json.loads(json.dumps(response.json()))["external_id"] == "200000000000001_300000000000099"


def test_a_source_that_cannot_reply_says_so(world, api_client_for):
    feed = factories.SourceFactory.create(tenant=world.acme, kind="rss", config={"url": "https://example.com/feed"})
    mention = complaint(feed)
    response = api_client_for(world.owner).post(url(mention), {"text": "On it", "idempotency_key": "k-mock-0001"},
                                                format="json")
    assert response.status_code == 400
    assert "cannot post replies" in response.json()["detail"]


@pytest.mark.parametrize("body", [{"text": "", "idempotency_key": "k-empty-001"}, {"text": "On it"},
                                  {"text": "On it", "idempotency_key": "no spaces allowed"},
                                  {"text": "x" * 2001, "idempotency_key": "k-long-0001"}])
def test_bad_input_is_a_400(world, api_client_for, instagram, body):
    assert api_client_for(world.owner).post(url(complaint(instagram)), body, format="json").status_code == 400


def test_a_viewer_may_not_reply(world, api_client_for, meta, instagram):
    response = api_client_for(world.viewer).post(url(complaint(instagram)),
                                                 {"text": "On it", "idempotency_key": "k-view-0001"}, format="json")
    assert response.status_code == 403
    assert meta.requests == []
