"""The "instagram" kind against the Graph API's documented answers, the network blocked."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from listening.models import Alert, Mention, Source
from listening.models.alerts import AlertStatus
from listening.models.mentions import ComplaintStatus
from listening.services.alert_sweep import flags_sweep
from listening.services.sources import source_create, source_poll_once
from tests.workers.graphfake import Answer, FakeGraph, fixture
from workers.adapters.base import ConfigError, TransientAdapterError
from workers.adapters.instagram.adapter import InstagramAdapter
from workers.adapters.meta.graph import TokenRejected, appsecret_proof

ACCOUNT = "17841400000000001"
TOKEN = "EAAtestTOKENvalue0123456789abcdef"
M1, M2, M3 = "17900000000000001", "17900000000000002", "17900000000000003"
C11 = "17860000000000011"
MEDIA_AFTER = "QVFIUm1lZGlhMl9hZnRlcg"
COMMENTS_AFTER, REPLIES_AFTER = "QVFIUmNvbW1lbnQxX2FmdGVy", "QVFIUnJlcGx5MV9hZnRlcg"


def config(**overrides):
    return {"account_id": ACCOUNT, "access_token": TOKEN, **overrides}


def account(fake: FakeGraph) -> None:
    """Three media over two pages; the first has two pages of comments, and its first comment
    a second page of replies."""
    fake.json(f"{ACCOUNT}/media", "instagram", "media_p1.json")
    fake.json(f"{ACCOUNT}/media", "instagram", "media_p2.json", after=MEDIA_AFTER)
    fake.json(f"{M1}/comments", "instagram", "comments_m1_p1.json")
    fake.json(f"{M1}/comments", "instagram", "comments_m1_p2.json", after=COMMENTS_AFTER)
    fake.json(f"{C11}/replies", "instagram", "replies_c11_p2.json", after=REPLIES_AFTER)
    fake.json(f"{M2}/comments", "instagram", "comments_m2.json")
    fake.json(f"{M3}/comments", "instagram", "comments_m3.json")


EVERY_REQUEST = [
    (f"{ACCOUNT}/media", None), (f"{M1}/comments", None), (f"{C11}/replies", REPLIES_AFTER),
    (f"{M1}/comments", COMMENTS_AFTER), (f"{M2}/comments", None), (f"{ACCOUNT}/media", MEDIA_AFTER),
    (f"{M3}/comments", None),
]


def test_a_sweep_follows_every_chain_to_its_end_across_fetches_resumed_from_the_cursor(graph):
    account(graph)
    adapter = InstagramAdapter(config(max_requests=3))
    first = adapter.fetch(cursor=None)
    assert first.has_more
    assert graph.asked() == EVERY_REQUEST[:3]
    stored = json.loads(json.dumps(first.next_cursor))  # as the database gives it back
    assert TOKEN not in json.dumps(stored)
    assert "access_token" not in json.dumps(stored)

    second = adapter.fetch(cursor=stored)
    third = InstagramAdapter(config(max_requests=3)).fetch(cursor=second.next_cursor)
    assert graph.asked() == EVERY_REQUEST  # each page once, in order, none skipped
    assert not third.has_more
    assert third.next_cursor["queue"] == []
    ids = {m.external_id for r in (first, second, third) for m in r.mentions}
    assert ids == {C11, "17870000000000012", "17860000000000013", "17870000000000015",
                   "17860000000000014", "17860000000000021"}

    adapter.fetch(cursor=third.next_cursor)  # the sweep is over: the next one starts afresh
    assert graph.asked()[len(EVERY_REQUEST)] == (f"{ACCOUNT}/media", None)


def test_a_sweep_reads_only_the_newest_media_it_is_allowed(graph):
    account(graph)
    result = InstagramAdapter(config(max_roots=2, max_requests=50)).fetch(cursor=None)
    assert not result.has_more
    assert (f"{ACCOUNT}/media", MEDIA_AFTER) not in graph.asked()


def test_the_token_travels_in_a_header_and_every_call_carries_its_proof(graph):
    account(graph)
    InstagramAdapter(config(app_secret="app-secret-value", max_requests=1)).fetch(cursor=None)
    request = graph.requests[0]
    assert TOKEN not in request.url
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.params["appsecret_proof"] == appsecret_proof(app_secret="app-secret-value", access_token=TOKEN)


def test_a_reply_from_the_account_itself_is_the_brands(graph):
    account(graph)
    mentions = {m.external_id: m for m in InstagramAdapter(config(max_requests=50)).fetch(cursor=None).mentions}
    brand = mentions["17870000000000012"]
    assert (brand.is_brand_reply, brand.parent_external_id, brand.thread_external_id) == (True, C11, C11)
    assert not mentions[C11].is_brand_reply
    assert mentions["17870000000000015"].parent_external_id == C11


def test_a_429_backs_off_by_its_retry_after_header(graph):
    graph.route(f"{ACCOUNT}/media", Answer(429, b"", {"Retry-After": "120"}))
    with pytest.raises(TransientAdapterError) as caught:
        InstagramAdapter(config()).fetch(cursor=None)
    assert caught.value.retry_after == 120


def test_a_rate_limit_code_waits_as_long_as_the_usage_header_says(graph):
    usage = {ACCOUNT: [{"type": "instagram", "call_count": 100, "total_cputime": 20, "total_time": 20,
                        "estimated_time_to_regain_access": 7}]}
    graph.route(f"{ACCOUNT}/media", Answer(400, fixture("instagram", "error_rate_limit.json"),
                                           {"X-Business-Use-Case-Usage": json.dumps(usage)}))
    with pytest.raises(TransientAdapterError) as caught:
        InstagramAdapter(config()).fetch(cursor=None)
    assert caught.value.retry_after == 7 * 60


def test_an_expired_token_is_a_permanent_error_that_says_what_to_do(graph):
    graph.route(f"{ACCOUNT}/media", Answer(400, fixture("instagram", "error_token_expired.json")))
    with pytest.raises(TokenRejected, match="no longer accepts this source's access token"):
        InstagramAdapter(config()).fetch(cursor=None)


@pytest.mark.parametrize(("field", "value"), [("account_id", "acme.id"), ("account_id", "1/../2"),
                                              ("api_version", "21"), ("access_token", "")])
def test_the_config_is_checked_field_by_field(field, value):
    with pytest.raises(ConfigError) as caught:
        InstagramAdapter(config(**{field: value}))
    assert field in caught.value.errors


def test_a_cursor_that_names_an_edge_it_does_not_know_is_refused(graph):
    with pytest.raises(Exception, match="unreadable cursor"):
        InstagramAdapter(config()).fetch(cursor={"queue": [{"edge": "users", "id": "1"}], "roots": 0})


# --- Through the pipeline ---------------------------------------------------------------------------
@pytest.fixture
def source(world, fake_classifier) -> Source:
    return source_create(tenant=world.acme, name="Instagram", kind="instagram", config=config(max_requests=3))


def poll_to_the_end(source: Source) -> int:
    polls = 0
    while True:
        polls += 1
        outcome = source_poll_once(source=source)
        assert outcome.report is not None, outcome.error
        if not outcome.has_more:
            return polls


def test_a_brand_reply_marks_the_complaint_it_answers_answered(graph, source):
    account(graph)
    assert poll_to_the_end(source) == 3
    answered = Mention.all_tenants.get(external_id=C11)
    assert answered.is_complaint
    assert answered.complaint_status == ComplaintStatus.ANSWERED
    assert answered.answered_at is not None
    assert Mention.all_tenants.get(external_id="17870000000000012").is_brand_reply
    waiting = Mention.all_tenants.get(external_id="17860000000000021")
    assert waiting.is_complaint
    assert waiting.complaint_status == ComplaintStatus.OPEN
    assert waiting.answered_at is None


def test_a_malformed_item_is_dropped_with_its_reason_and_the_rest_lands(graph, source):
    account(graph)
    poll_to_the_end(source)
    source.refresh_from_db()
    assert source.items_rejected == 1
    assert "text is missing" in source.last_rejection
    assert Mention.all_tenants.filter(source=source).count() == 5
    assert not Mention.all_tenants.filter(external_id="17860000000000013").exists()


def test_a_second_sweep_stores_nothing_twice_and_takes_an_edited_text(graph, source):
    account(graph)
    poll_to_the_end(source)
    edited = json.loads(fixture("instagram", "comments_m2.json"))
    edited["data"][0]["text"] = "Screen broken again on the second unit, and the third"
    graph.route(f"{M2}/comments", Answer(200, json.dumps(edited).encode()))
    poll_to_the_end(source)
    assert Mention.all_tenants.filter(source=source).count() == 5
    mention = Mention.all_tenants.get(external_id="17860000000000021")
    assert mention.text.endswith("and the third")
    assert mention.edited_at is not None


def test_an_expired_token_pauses_the_source_with_a_clear_message(graph, source):
    graph.route(f"{ACCOUNT}/media", Answer(400, fixture("instagram", "error_token_expired.json")))
    source_poll_once(source=source)
    assert source.paused
    assert source.health == "paused"
    assert "paste a new one" in source.last_error
    assert TOKEN not in source.last_error


def test_a_rate_limited_poll_is_retried_no_sooner_than_meta_asks(graph, source):
    graph.route(f"{ACCOUNT}/media", Answer(429, b"", {"Retry-After": "3000"}))
    before = timezone.now()
    source_poll_once(source=source)
    assert not source.paused
    assert source.next_poll_at >= before + timedelta(seconds=3000)


def test_an_expired_token_raises_a_source_health_alert(graph, source, world):
    graph.route(f"{ACCOUNT}/media", Answer(400, fixture("instagram", "error_token_expired.json")))
    source_poll_once(source=source)
    flags_sweep(now=timezone.now())
    keys = set(Alert.all_tenants.filter(tenant=world.acme, status=AlertStatus.OPEN).values_list("key", flat=True))
    assert f"source_health:source:{source.pk}" in keys


def test_a_sweep_of_another_account_is_not_resumed(graph):
    account(graph)
    first = InstagramAdapter(config(max_requests=2)).fetch(cursor=None)
    assert first.next_cursor["account"] == ACCOUNT
    other = "17841400000000009"
    graph.json(f"{other}/media", "instagram", "comments_m3.json")
    InstagramAdapter(config(account_id=other)).fetch(cursor=first.next_cursor)
    assert graph.asked()[-1] == (f"{other}/media", None)
