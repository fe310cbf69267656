"""The "youtube" kind against the YouTube Data API v3's documented answers, faked at the HTTP
client (tests/fixtures/youtube/), with the network blocked."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from listening.models import Mention, Source
from listening.models.mentions import ComplaintStatus
from listening.services.sources import source_create, source_poll_once
from tests.workers.apifake import Answer, FakeApi, error, fixture, install
from workers.adapters.apicall import CredentialsRejected
from workers.adapters.base import ConfigError, TransientAdapterError
from workers.adapters.youtube.adapter import YoutubeAdapter

CHANNEL = "UC_x5XG1OV2P6uZZ5FSM9Ttw"
THREADS = "/youtube/v3/commentThreads"
COMMENTS = "/youtube/v3/comments"
PAGE2 = "QURTSl9pMlBnQ1lXdzhxb"
REPLIES2 = "Z2V0X25leHRfcmVwbGllcw"


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch, no_network: None) -> FakeApi:
    fake = install(monkeypatch, FakeApi(page_param="pageToken", hosts=frozenset({"www.googleapis.com"})))
    fake.json(THREADS, "youtube", "threads_page1.json")
    fake.json(THREADS, "youtube", "threads_page2.json", page=PAGE2)
    fake.json(COMMENTS, "youtube", "replies_page1.json")
    fake.json(COMMENTS, "youtube", "replies_page2.json", page=REPLIES2)
    return fake


def adapter(**config: object) -> YoutubeAdapter:
    return YoutubeAdapter({"channel_id": CHANNEL, "access_token": "ya29.test-token", **config})


def test_it_follows_every_chain_to_the_end_and_resumes_from_the_stored_cursor(api: FakeApi) -> None:
    first = adapter(max_requests=2).fetch(cursor=None)
    assert first.has_more
    # The thread page, then the replies of the thread that embeds only some of them.
    assert api.asked() == [(THREADS, None), (COMMENTS, None)]
    stored = json.loads(json.dumps(first.next_cursor))  # as the database gives it back
    second = adapter(max_requests=10).fetch(cursor=stored)
    assert api.asked()[2:] == [(COMMENTS, REPLIES2), (THREADS, PAGE2)]
    assert not second.has_more
    assert second.next_cursor["queue"] == []
    ids = [m.external_id for m in [*first.mentions, *second.mentions]]
    assert ids.count("UgzThreadLong03.r1") == 1  # read from the chain, not also from the embed
    assert {"UgzThreadComplaint01", "UgzThreadComplaint01.9xBrandReply", "UgzThreadLong03.r3",
            "UgzThreadOld04"} <= set(ids)
    assert api.requests[1].params["parentId"] == "UgzThreadLong03"
    assert api.requests[0].params["allThreadsRelatedToChannelId"] == CHANNEL
    assert api.requests[0].headers["Authorization"] == "Bearer ya29.test-token"
    assert "ya29" not in api.requests[0].path + json.dumps(stored)


def test_a_new_sweep_waits_for_sweep_every_seconds_to_spare_the_daily_quota(api: FakeApi) -> None:
    start = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
    done = YoutubeAdapter({"channel_id": CHANNEL, "access_token": "t"}, clock=lambda: start).fetch(cursor=None)
    assert done.next_cursor["swept_at"] == start.isoformat()
    asked = len(api.requests)
    soon = start + timedelta(minutes=10)
    idle = YoutubeAdapter({"channel_id": CHANNEL, "access_token": "t"}, clock=lambda: soon).fetch(
        cursor=json.loads(json.dumps(done.next_cursor)))
    assert len(api.requests) == asked
    assert idle.mentions == ()
    assert idle.next_cursor == json.loads(json.dumps(done.next_cursor))
    later = start + timedelta(minutes=16)
    YoutubeAdapter({"channel_id": CHANNEL, "access_token": "t"}, clock=lambda: later).fetch(
        cursor=json.loads(json.dumps(done.next_cursor)))
    assert api.asked()[asked] == (THREADS, None)  # a new sweep, from the newest threads


def test_a_reply_by_the_channel_is_the_brands_and_others_are_not(api: FakeApi) -> None:
    mentions = {m.external_id: m for m in adapter(max_requests=10).fetch(cursor=None).mentions}
    brand = mentions["UgzThreadComplaint01.9xBrandReply"]
    assert brand.is_brand_reply
    assert brand.parent_external_id == "UgzThreadComplaint01"
    assert brand.thread_external_id == "UgzThreadComplaint01"
    assert mentions["UgzThreadLong03.r3"].is_brand_reply
    assert not mentions["UgzThreadLong03.r1"].is_brand_reply
    assert not mentions["UgzThreadComplaint01"].is_brand_reply
    assert mentions["UgzThreadComplaint01"].url == "https://www.youtube.com/watch?v=dQw4w9WgXcQ&lc=UgzThreadComplaint01"


def test_a_spent_daily_quota_waits_until_it_is_renewed_at_pacific_midnight(api: FakeApi) -> None:
    api.route(THREADS, Answer(403, fixture("youtube", "quota_exceeded.json")))
    noon_pacific = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)  # 12:00 in Los Angeles (PST)
    source = YoutubeAdapter({"channel_id": CHANNEL, "api_key": "AIza-test"}, clock=lambda: noon_pacific)
    with pytest.raises(TransientAdapterError) as caught:
        source.fetch(cursor=None)
    assert caught.value.retry_after == 12 * 3600
    assert api.requests[0].headers["X-goog-api-key"] == "AIza-test"


def test_a_rate_limit_backs_off_by_its_retry_after_header(api: FakeApi) -> None:
    api.route(THREADS, error(403, {"error": {"code": 403, "message": "Rate limit", "errors": [
        {"reason": "rateLimitExceeded", "domain": "youtube.quota"}]}}, **{"Retry-After": "120"}))
    with pytest.raises(TransientAdapterError) as caught:
        adapter().fetch(cursor=None)
    assert caught.value.retry_after == 120


@pytest.mark.django_db
def test_a_brand_reply_marks_the_complaint_answered_and_a_malformed_item_is_dropped_with_its_reason(
    api: FakeApi, world
) -> None:
    source = source_create(tenant=world.acme, name="YouTube", kind="youtube",
                           config={"channel_id": CHANNEL, "access_token": "ya29.test-token", "max_requests": 10})
    assert "access_token" in source.secrets
    assert "access_token" not in source.config
    outcome = source_poll_once(source=source)
    assert outcome.report is not None
    assert outcome.report.rejected == 2
    stored = {m.external_id: m for m in Mention.all_tenants.filter(source=source)}
    complaint = stored["UgzThreadComplaint01"]
    assert complaint.is_complaint
    assert complaint.complaint_status == ComplaintStatus.ANSWERED
    assert stored["UgzThreadComplaint01.9xBrandReply"].is_brand_reply
    assert "UgzThreadLong03.r3" in stored
    assert "UgzThreadOld04" in stored
    source.refresh_from_db()
    assert source.items_rejected == 2
    assert "text is missing" in source.last_rejection


@pytest.mark.django_db
def test_an_edited_comment_replaces_the_stored_text(api: FakeApi, world) -> None:
    source = source_create(tenant=world.acme, name="YouTube", kind="youtube",
                           config={"channel_id": CHANNEL, "access_token": "ya29.test-token", "max_requests": 10})
    source_poll_once(source=source)
    page = json.loads(fixture("youtube", "threads_page2.json"))
    page["items"][0]["snippet"]["topLevelComment"]["snippet"]["textOriginal"] = "love this ad, edited"
    api.route(THREADS, Answer(200, json.dumps(page).encode()), page=PAGE2)
    source.refresh_from_db()
    an_hour_ago = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    Source.all_tenants.filter(pk=source.pk).update(cursor={**(source.cursor or {}), "swept_at": an_hour_ago})
    source.refresh_from_db()
    source_poll_once(source=source)
    assert Mention.all_tenants.get(source=source, external_id="UgzThreadOld04").text == "love this ad, edited"


@pytest.mark.django_db
def test_an_expired_token_pauses_the_source_with_a_clear_message(api: FakeApi, world) -> None:
    api.route(THREADS, Answer(401, fixture("youtube", "invalid_credentials.json")))
    source = source_create(tenant=world.acme, name="YouTube", kind="youtube",
                           config={"channel_id": CHANNEL, "access_token": "ya29.expired"})
    source_poll_once(source=source)
    source = Source.all_tenants.get(pk=source.pk)
    assert source.paused
    assert source.health == "paused"
    assert "no longer accepts this source's credentials" in source.last_error
    assert "Connect the channel again" in source.last_error
    assert "ya29" not in source.last_error


def test_a_source_never_connected_says_so() -> None:
    with pytest.raises(CredentialsRejected, match="not connected yet"):
        YoutubeAdapter({"channel_id": CHANNEL}).fetch(cursor=None)


def test_it_posts_a_reply_to_the_thread_with_comments_insert(api: FakeApi) -> None:
    api.json(COMMENTS, "youtube", "comment_inserted.json", method="POST")
    new_id = adapter().reply(to_external_id="UgzThreadComplaint01", thread_external_id="UgzThreadComplaint01",
                             text="We are on it.")
    assert new_id == "UgzThreadComplaint01.9xNewReply"
    posted = api.requests[-1]
    assert posted.method == "POST"
    assert posted.params == {"part": "snippet"}
    assert json.loads(posted.body) == {"snippet": {"parentId": "UgzThreadComplaint01", "textOriginal": "We are on it."}}


def test_replying_with_only_an_api_key_is_refused_before_any_request(api: FakeApi) -> None:
    with pytest.raises(CredentialsRejected, match="OAuth"):
        YoutubeAdapter({"channel_id": CHANNEL, "api_key": "AIza-test"}).reply(
            to_external_id="x", thread_external_id="x", text="hi")
    assert api.requests == []


@pytest.mark.parametrize(("config", "field"), [
    ({"channel_id": "not-a-channel"}, "channel_id"),
    ({"channel_id": CHANNEL, "max_threads": 0}, "max_threads"),
    ({"channel_id": CHANNEL, "bogus": 1}, "bogus"),
])
def test_it_refuses_a_bad_config_field_by_field(config: dict[str, object], field: str) -> None:
    with pytest.raises(ConfigError) as caught:
        YoutubeAdapter(config)
    assert field in caught.value.errors


def test_an_expired_connected_token_waits_for_its_renewal_without_calling_youtube(api: FakeApi) -> None:
    now = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
    config = {"channel_id": CHANNEL, "access_token": "t", "refresh_token": "r",
              "token_expires_at": "2026-11-22T09:00:00Z"}
    with pytest.raises(TransientAdapterError, match="being renewed"):
        YoutubeAdapter(config, clock=lambda: now).fetch(cursor=None)
    assert api.requests == []
