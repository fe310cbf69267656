"""The "facebook" kind (a Page) against the Graph API's documented answers, the network blocked."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from listening.models import Mention, Source
from listening.models.mentions import ComplaintStatus
from listening.scoping import tenant_scope
from listening.selectors.mentions import MentionFilters, mention_list
from listening.services.ingestion import mentions_ingest
from listening.services.sources import source_create, source_poll_once
from tests.workers.graphfake import Answer, FakeGraph, fixture
from workers.adapters.base import ConfigError, TransientAdapterError
from workers.adapters.facebook.adapter import FacebookPageAdapter
from workers.adapters.meta.graph import TokenRejected

PAGE = "104000000000001"
TOKEN = "EAApageTOKENvalue0123456789abcdef"
P1, P2 = f"{PAGE}_200000000000001", f"{PAGE}_200000000000002"
C1, C2, C3 = "200000000000001_300000000000001", "200000000000001_300000000000002", "200000000000001_300000000000003"
R1, R2 = "200000000000001_300000000000011", "200000000000001_300000000000012"
FEED_AFTER, COMMENTS_AFTER, REPLIES_AFTER = "RkVFRDFfQUZURVI", "Q09NTUVOVDFfQUZURVI", "UkVQTFkxX0FGVEVS"


def config(**overrides):
    return {"page_id": PAGE, "access_token": TOKEN, **overrides}


def page(fake: FakeGraph) -> None:
    """Two pages of feed; the first post has two pages of comments, its first comment two pages
    of replies; the second post is a visitor's."""
    fake.json(f"{PAGE}/feed", "facebook", "feed_p1.json")
    fake.json(f"{PAGE}/feed", "facebook", "feed_p2.json", after=FEED_AFTER)
    fake.json(f"{P1}/comments", "facebook", "comments_p1_p2.json", after=COMMENTS_AFTER)
    fake.json(f"{C1}/comments", "facebook", "replies_c1_p2.json", after=REPLIES_AFTER)


EVERY_REQUEST = [(f"{PAGE}/feed", None), (f"{C1}/comments", REPLIES_AFTER), (f"{P1}/comments", COMMENTS_AFTER),
                 (f"{PAGE}/feed", FEED_AFTER)]


def test_a_sweep_follows_every_chain_to_its_end_across_fetches_resumed_from_the_cursor(graph):
    page(graph)
    first = FacebookPageAdapter(config(max_requests=2)).fetch(cursor=None)
    assert first.has_more
    assert graph.asked() == EVERY_REQUEST[:2]
    stored = json.loads(json.dumps(first.next_cursor))
    assert "access_token" not in json.dumps(stored)
    second = FacebookPageAdapter(config(max_requests=2)).fetch(cursor=stored)
    assert not second.has_more
    assert graph.asked() == EVERY_REQUEST
    ids = {m.external_id for r in (first, second) for m in r.mentions}
    # The Page's own posts are not mentions; a visitor's post is.
    assert ids == {C1, R1, C2, P2, R2, C3}


def test_the_pages_own_reply_is_the_brands_and_names_its_comment(graph):
    page(graph)
    mentions = {m.external_id: m for m in FacebookPageAdapter(config(max_requests=50)).fetch(cursor=None).mentions}
    assert (mentions[R1].is_brand_reply, mentions[R1].parent_external_id, mentions[R1].thread_external_id) == (
        True, C1, C1)
    assert mentions[C1].parent_external_id == P1
    assert not mentions[C1].is_brand_reply
    assert mentions[C1].author_handle == "Rina Wulandari"


def test_a_429_backs_off_by_its_retry_after_header(graph):
    graph.route(f"{PAGE}/feed", Answer(429, b"", {"Retry-After": "90"}))
    with pytest.raises(TransientAdapterError) as caught:
        FacebookPageAdapter(config()).fetch(cursor=None)
    assert caught.value.retry_after == 90


def test_a_spent_app_quota_without_a_hint_waits_a_quarter_of_an_hour(graph):
    usage = json.dumps({"call_count": 100, "total_cputime": 12, "total_time": 30})
    graph.route(f"{PAGE}/feed", Answer(403, fixture("facebook", "error_page_rate_limit.json"), {"X-App-Usage": usage}))
    with pytest.raises(TransientAdapterError) as caught:
        FacebookPageAdapter(config()).fetch(cursor=None)
    assert caught.value.retry_after == 900


def test_an_invalidated_session_is_a_token_to_paste_again(graph):
    graph.route(f"{PAGE}/feed", Answer(400, fixture("facebook", "error_token_expired.json")))
    with pytest.raises(TokenRejected, match="paste a new one"):
        FacebookPageAdapter(config()).fetch(cursor=None)


def test_the_page_id_must_be_a_graph_id():
    with pytest.raises(ConfigError) as caught:
        FacebookPageAdapter(config(page_id="acme-indonesia"))
    assert "page_id" in caught.value.errors


# --- Through the pipeline ---------------------------------------------------------------------------
@pytest.fixture
def source(world, fake_classifier) -> Source:
    return source_create(tenant=world.acme, name="Facebook", kind="facebook", config=config(max_requests=2))


def poll_to_the_end(source: Source) -> None:
    while True:
        outcome = source_poll_once(source=source)
        assert outcome.report is not None, outcome.error
        if not outcome.has_more:
            return


def test_a_page_reply_marks_the_complaint_answered_and_the_rest_waits(graph, source):
    page(graph)
    poll_to_the_end(source)
    answered = Mention.all_tenants.get(external_id=C1)
    assert answered.complaint_status == ComplaintStatus.ANSWERED
    assert answered.answered_at is not None
    visitor = Mention.all_tenants.get(external_id=P2)
    assert visitor.is_complaint
    assert visitor.answered_at is None


def test_a_comment_without_words_is_dropped_with_its_reason_and_the_rest_lands(graph, source):
    page(graph)
    poll_to_the_end(source)
    source.refresh_from_db()
    assert (source.items_rejected, source.last_rejection) == (1, "text is missing (1x)")
    assert set(Mention.all_tenants.filter(source=source).values_list("external_id", flat=True)) == {
        C1, R1, P2, R2, C3}


def test_an_invalidated_token_pauses_the_source_saying_so(graph, source):
    graph.route(f"{PAGE}/feed", Answer(400, fixture("facebook", "error_token_expired.json")))
    source_poll_once(source=source)
    assert source.health == "paused"
    assert "no longer accepts this source's access token" in source.last_error


def test_a_page_rate_limit_is_waited_out(graph, source):
    graph.route(f"{PAGE}/feed", Answer(400, fixture("facebook", "error_page_rate_limit.json"), {"Retry-After": "600"}))
    before = timezone.now()
    source_poll_once(source=source)
    assert not source.paused
    assert source.next_poll_at >= before + timedelta(seconds=600)


def test_a_removed_comment_is_marked_deleted_and_leaves_the_lists(graph, source, world):
    page(graph)
    poll_to_the_end(source)
    adapter = FacebookPageAdapter(config())
    removal = json.loads(fixture("facebook", "webhook_feed.json"))
    removal["entry"][0]["changes"][0]["value"].update(comment_id=C1, verb="remove")
    source.refresh_from_db()
    report = mentions_ingest(source=source, batch=adapter.webhook_items(removal),
                             expected_cursor=source.cursor, next_cursor=source.cursor)
    assert report.deleted == 1
    assert Mention.all_tenants.get(external_id=C1).deleted_at is not None
    with tenant_scope(world.acme):
        listed = set(mention_list().values_list("external_id", flat=True))
        everything = set(mention_list(filters=MentionFilters(deleted=None)).values_list("external_id", flat=True))
    assert C1 not in listed
    assert C1 in everything
