"""Answering from Dengar through the YouTube, Google Play, App Store and X sources: the reply
service posts through each adapter once, records it as the brand's reply under the id the
platform's own listing gives it (so the next poll does not store it twice), and answers the
complaint; a post the platform refuses changes nothing and says why."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from listening.models import Mention, OutgoingReply, ReplyStatus
from listening.models.mentions import ComplaintStatus
from listening.scoping import TenantScopeMissing, tenant_scope
from listening.services.replies import mention_reply_send
from listening.services.sources import source_create
from tests import factories
from tests.workers.apifake import Answer, FakeApi, error, fixture, install
from tests.workers.test_appstore_adapter import CONFIG as APP_STORE
from tests.workers.test_googleplay_adapter import key_json

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Case:
    kind: str
    hosts: frozenset[str]
    config: Any  # a callable: the config is made when the test runs (the service account key)
    complaint: str
    path: str
    answer: tuple[int, str]  # status and the fixture the platform answers the post with
    posted_as: str


CASES = [
    Case("youtube", frozenset({"www.googleapis.com"}),
         lambda: {"channel_id": "UC_x5XG1OV2P6uZZ5FSM9Ttw", "access_token": "ya29.token"},
         "UgzThreadComplaint01", "/youtube/v3/comments", (200, "youtube/comment_inserted.json"),
         "UgzThreadComplaint01.9xNewReply"),
    Case("google_play", frozenset({"androidpublisher.googleapis.com", "oauth2.googleapis.com"}),
         lambda: {"package_name": "com.acme.app", "service_account_json": key_json()},
         "gp:AOqpTOQuestionAboutEsim",
         "/androidpublisher/v3/applications/com.acme.app/reviews/gp%3AAOqpTOQuestionAboutEsim:reply",
         (200, "google_play/reply.json"), "gp:AOqpTOQuestionAboutEsim:reply"),
    Case("app_store", frozenset({"api.appstoreconnect.apple.com"}), lambda: APP_STORE,
         "00000029-0b6c-0e01-b0b0-000000000001", "/v1/customerReviewResponses",
         (201, "app_store/response_created.json"), "response:6c2b1f00-0000-0000-0000-00000000cccc"),
    Case("x", frozenset({"api.x.com"}), lambda: {"user_id": "1500000000", "access_token": "x-user-token"},
         "1861000000000000003", "/2/tweets", (201, "x/tweet_created.json"), "1861000000000000020"),
]


def setup(case: Case, world: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[FakeApi, Mention]:
    api = install(monkeypatch, FakeApi(hosts=case.hosts))
    api.json("/token", "google_play", "token.json", method="POST")
    source = source_create(tenant=world.acme, name=case.kind, kind=case.kind, config=case.config())
    mention = factories.MentionFactory.create(
        tenant=world.acme, source=source, external_id=case.complaint, thread_external_id=case.complaint,
        platform=case.kind, text="the app is broken", is_complaint=True, reply_kind="complaint",
        complaint_status=ComplaintStatus.OPEN, published_at=timezone.now())
    return api, mention


@pytest.mark.parametrize("case", CASES, ids=[c.kind for c in CASES])
def test_a_reply_is_posted_once_recorded_under_the_platforms_id_and_answers_the_complaint(
    case: Case, world: Any, monkeypatch: pytest.MonkeyPatch, no_network: None
) -> None:
    api, mention = setup(case, world, monkeypatch)
    status, name = case.answer
    kind, file = name.split("/")
    api.route(case.path, Answer(status, fixture(kind, file)), method="POST")
    with tenant_scope(world.acme):
        sent = mention_reply_send(mention=mention, actor=world.owner, text="We are on it.", idempotency_key="k-1")
        again = mention_reply_send(mention=mention, actor=world.owner, text="We are on it.", idempotency_key="k-1")
    assert sent.status == ReplyStatus.SENT, sent.error
    assert again.pk == sent.pk
    assert [r.path for r in api.requests if r.method == "POST" and r.path == case.path] == [case.path]
    assert sent.external_id == case.posted_as
    reply = Mention.all_tenants.get(source=mention.source, external_id=case.posted_as)
    assert reply.is_brand_reply
    assert reply.replied_by == world.owner
    mention.refresh_from_db()
    assert mention.complaint_status == ComplaintStatus.ANSWERED


@pytest.mark.parametrize("case", CASES, ids=[c.kind for c in CASES])
def test_a_post_the_platform_refuses_changes_nothing_and_says_why(
    case: Case, world: Any, monkeypatch: pytest.MonkeyPatch, no_network: None
) -> None:
    api, mention = setup(case, world, monkeypatch)
    api.route(case.path, error(401, {"error": {"code": 401, "message": "Invalid Credentials"},
                                     "errors": [{"status": "401", "detail": "Invalid Credentials"}],
                                     "detail": "Unauthorized"}), method="POST")
    with tenant_scope(world.acme):
        attempt = mention_reply_send(mention=mention, actor=world.owner, text="We are on it.", idempotency_key="k-2")
    assert attempt.status == ReplyStatus.FAILED
    assert "no longer accepts" in attempt.error
    mention.refresh_from_db()
    assert mention.complaint_status == ComplaintStatus.OPEN
    assert not Mention.all_tenants.filter(source=mention.source, is_brand_reply=True).exists()
    assert OutgoingReply.all_tenants.count() == 1
    assert json.loads(api.requests[-1].body)  # the post was made, and refused


def test_a_reply_is_sent_only_in_the_mentions_own_tenants_scope(
    world: Any, monkeypatch: pytest.MonkeyPatch, no_network: None
) -> None:
    api, mention = setup(CASES[0], world, monkeypatch)
    with tenant_scope(world.globex), pytest.raises(TenantScopeMissing):
        mention_reply_send(mention=mention, actor=world.owner, text="We are on it.", idempotency_key="k-3")
    assert not OutgoingReply.all_tenants.exists()
    assert not [r for r in api.requests if r.method == "POST"]
