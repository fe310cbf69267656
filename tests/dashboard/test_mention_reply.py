"""The reply box on a mention's page: an analyst answers on the platform from Dengar."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from listening.models import Mention, Source
from listening.models.mentions import ComplaintStatus
from listening.services.sources import source_create
from tests import factories
from tests.workers.graphfake import Answer, FakeGraph, fixture
from workers.adapters import httpclient

C11 = "17860000000000011"


@pytest.fixture
def meta(monkeypatch: pytest.MonkeyPatch) -> FakeGraph:
    fake = FakeGraph()
    monkeypatch.setattr(httpclient, "http_request", fake)
    return fake


@pytest.fixture
def instagram(world) -> Source:
    return source_create(tenant=world.acme, name="Instagram", kind="instagram", config={
        "account_id": "17841400000000001", "access_token": "EAAtoken0123456789abcdefghij"})


@pytest.fixture
def complaint(instagram) -> Mention:
    return factories.MentionFactory.create(
        tenant=instagram.tenant, source=instagram, external_id=C11, thread_external_id=C11, platform="instagram",
        text="My order arrived broken", is_complaint=True, reply_kind="complaint",
        complaint_status=ComplaintStatus.OPEN, published_at=timezone.now())


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client
    return as_user


def page(mention: Mention) -> str:
    return f"/t/acme/mentions/{mention.pk}/"


def test_the_page_offers_the_box_with_a_fresh_key_each_time(world, login, complaint):
    client = login(world.agency_user)
    first, second = client.get(page(complaint)).content.decode(), client.get(page(complaint)).content.decode()
    keys = [re.search(r'name="idempotency_key" value="([0-9a-f]+)"', html)[1] for html in (first, second)]
    assert keys[0] != keys[1]
    assert "Post reply" in first


def test_a_viewer_sees_no_form_and_may_not_post(world, login, complaint, meta):
    client = login(world.viewer)
    assert "Post reply" not in client.get(page(complaint)).content.decode()
    response = client.post(f"{page(complaint)}reply/", {"text": "hi", "idempotency_key": "k-viewer-001"})
    assert response.status_code == 403
    assert meta.requests == []


def test_posting_answers_the_complaint_and_says_so(world, login, complaint, meta):
    meta.json(f"{C11}/replies", "instagram", "reply_created.json", method="POST")
    client = login(world.agency_user)
    response = client.post(f"{page(complaint)}reply/", {"text": "Sorry, a new one ships today",
                                                        "idempotency_key": "k-dash-0001"}, follow=True)
    assert "Your reply is posted" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.complaint_status == ComplaintStatus.ANSWERED
    assert "Sorry, a new one ships today" in response.content.decode()  # listed among the replies sent


def test_a_failed_post_shows_why_and_changes_nothing(world, login, complaint, meta):
    meta.route(f"{C11}/replies", Answer(400, fixture("instagram", "error_token_expired.json")), method="POST")
    response = login(world.agency_user).post(
        f"{page(complaint)}reply/", {"text": "On it", "idempotency_key": "k-dash-0002"}, follow=True)
    assert "The reply was not posted" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.complaint_status == ComplaintStatus.OPEN


def test_a_source_that_cannot_reply_says_so_on_the_page(world, login):
    feed = factories.SourceFactory.create(tenant=world.acme, kind="rss", config={"url": "https://example.com/feed"})
    mention = factories.MentionFactory.create(source=feed, tenant=world.acme, text="broken")
    html = login(world.owner).get(page(mention)).content.decode()
    assert "cannot post replies" in html
    assert "Post reply" not in html
