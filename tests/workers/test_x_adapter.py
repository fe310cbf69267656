"""The "x" kind against X API v2's documented answers, faked at the HTTP client
(tests/fixtures/x/), with the network blocked."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from listening.models import Alert, Mention, Source
from listening.models.mentions import ComplaintStatus
from listening.services.alert_sweep import flags_sweep
from listening.services.sources import source_create, source_poll_once
from tests.workers.apifake import Answer, FakeApi, fixture, install
from workers.adapters.apicall import CredentialsRejected
from workers.adapters.base import ConfigError, TransientAdapterError
from workers.adapters.x.adapter import XAdapter

BRAND = "1500000000"
MENTIONS = f"/2/users/{BRAND}/mentions"
TWEETS = f"/2/users/{BRAND}/tweets"
NEXT = "7140dibdnow9c7btw3z3b2wq6w3w4cjx5bqc6rnqo8mxc"
COMPLAINT = "1861000000000000003"
CONFIG = {"user_id": BRAND, "access_token": "x-user-token"}


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch, no_network: None) -> FakeApi:
    fake = install(monkeypatch, FakeApi(page_param="pagination_token", hosts=frozenset({"api.x.com"})))
    fake.json(MENTIONS, "x", "mentions_page1.json")
    fake.json(MENTIONS, "x", "mentions_page2.json", page=NEXT)
    fake.json(TWEETS, "x", "tweets_page1.json")
    return fake


def test_it_follows_next_token_to_the_end_resumes_and_then_reads_only_what_is_newer(api: FakeApi) -> None:
    first = XAdapter({**CONFIG, "max_requests": 1}).fetch(cursor=None)
    assert first.has_more
    assert first.next_cursor["mentions"]["next"] == NEXT
    second = XAdapter(CONFIG).fetch(cursor=json.loads(json.dumps(first.next_cursor)))
    assert api.asked() == [(MENTIONS, None), (MENTIONS, NEXT), (TWEETS, None)]
    assert not second.has_more
    assert second.next_cursor["mentions"]["since_id"] == COMPLAINT  # the chain's newest, from its first page
    assert second.next_cursor["tweets"]["since_id"] == "1861000000000000010"
    api.json(MENTIONS, "x", "empty.json")
    api.json(TWEETS, "x", "empty.json")
    third = XAdapter(CONFIG).fetch(cursor=json.loads(json.dumps(second.next_cursor)))
    assert api.requests[3].params["since_id"] == COMPLAINT
    assert api.requests[4].params["since_id"] == "1861000000000000010"
    assert third.next_cursor["mentions"]["since_id"] == COMPLAINT
    assert third.mentions == ()
    assert api.requests[0].headers["Authorization"] == "Bearer x-user-token"
    assert "conversation_id" in api.requests[0].params["tweet.fields"]


def test_a_reply_authored_by_the_brand_answers_the_post_it_replies_to(api: FakeApi) -> None:
    mentions = {m.external_id: m for m in XAdapter(CONFIG).fetch(cursor=None).mentions}
    reply = mentions["1861000000000000010"]
    assert reply.is_brand_reply
    assert reply.parent_external_id == COMPLAINT
    assert reply.thread_external_id == COMPLAINT
    assert "1861000000000000011" not in mentions  # the brand's own post answers nobody
    assert not mentions[COMPLAINT].is_brand_reply


def test_an_edited_post_is_kept_under_its_first_id_with_its_latest_text(api: FakeApi) -> None:
    mentions = {m.external_id: m for m in XAdapter(CONFIG).fetch(cursor=None).mentions}
    assert "1861000000000000009" not in mentions
    assert mentions["1861000000000000001"].text.endswith("fast too")
    assert mentions["1861000000000000001"].url == "https://x.com/dewi/status/1861000000000000009"


def test_a_429_backs_off_until_x_rate_limit_reset(api: FakeApi) -> None:
    now = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
    reset = int(now.timestamp()) + 420
    api.route(MENTIONS, Answer(429, fixture("x", "too_many_requests.json"),
                               {"x-rate-limit-limit": "450", "x-rate-limit-remaining": "0",
                                "x-rate-limit-reset": str(reset)}))
    with pytest.raises(TransientAdapterError) as caught:
        XAdapter(CONFIG, clock=lambda: now).fetch(cursor=None)
    assert caught.value.retry_after == 420


@pytest.mark.django_db
def test_a_brand_reply_marks_the_complaint_answered_and_a_malformed_post_is_dropped(api: FakeApi, world: Any) -> None:
    source = source_create(tenant=world.acme, name="X", kind="x", config=CONFIG)
    assert "access_token" not in source.config
    assert source_poll_once(source=source).has_more is False  # both chains read to the end in one poll
    stored = {m.external_id: m for m in Mention.all_tenants.filter(source=source)}
    assert stored[COMPLAINT].complaint_status == ComplaintStatus.ANSWERED
    assert stored["1861000000000000010"].is_brand_reply
    source.refresh_from_db()
    assert source.items_rejected == 1
    assert "text is missing" in source.last_rejection


@pytest.mark.django_db
def test_an_expired_token_pauses_the_source_with_a_clear_message(api: FakeApi, world: Any) -> None:
    api.route(MENTIONS, Answer(401, fixture("x", "unauthorized.json")))
    source = source_create(tenant=world.acme, name="X", kind="x", config=CONFIG)
    source_poll_once(source=source)
    source = Source.all_tenants.get(pk=source.pk)
    assert source.paused
    assert "X no longer accepts this source's token" in source.last_error
    assert "Connect the X account again" in source.last_error
    assert "x-user-token" not in source.last_error
    flags_sweep(tenants=[world.acme])
    [alert] = Alert.all_tenants.filter(tenant=world.acme, kind="source_health")
    assert source.name in alert.title + alert.explanation


def test_it_posts_a_reply_with_in_reply_to_tweet_id(api: FakeApi) -> None:
    api.route("/2/tweets", Answer(201, fixture("x", "tweet_created.json")), method="POST")
    new_id = XAdapter(CONFIG).reply(to_external_id=COMPLAINT, thread_external_id=COMPLAINT, text="We are on it.")
    assert new_id == "1861000000000000020"
    assert json.loads(api.requests[-1].body) == {"text": "We are on it.", "reply": {"in_reply_to_tweet_id": COMPLAINT}}


def test_an_app_only_bearer_token_reads_but_cannot_reply(api: FakeApi) -> None:
    adapter = XAdapter({"user_id": BRAND, "bearer_token": "app-only"})
    adapter.fetch(cursor=None)
    assert api.requests[0].headers["Authorization"] == "Bearer app-only"
    with pytest.raises(CredentialsRejected, match="OAuth"):
        adapter.reply(to_external_id=COMPLAINT, thread_external_id=COMPLAINT, text="hi")


@pytest.mark.parametrize("config", [{"user_id": "acme_id"}, {"user_id": BRAND, "max_requests": 0}])
def test_it_refuses_a_bad_config(config: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        XAdapter(config)


def test_an_expired_connected_token_waits_for_its_renewal_without_calling_x(api: FakeApi) -> None:
    now = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
    adapter = XAdapter({**CONFIG, "refresh_token": "r", "token_expires_at": "2026-11-22T09:59:00Z"}, clock=lambda: now)
    with pytest.raises(TransientAdapterError, match="being renewed") as caught:
        adapter.fetch(cursor=None)
    assert caught.value.retry_after == 300
    assert api.requests == []
    fresh = XAdapter({**CONFIG, "refresh_token": "r", "token_expires_at": "2026-11-22T11:00:00Z"}, clock=lambda: now)
    fresh.fetch(cursor=None)
    assert api.requests
