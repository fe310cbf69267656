"""Meta's webhooks: the handshake, the signature checked over the raw body before anything is
parsed, and items stored through the same validation and upsert as polled ones."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from typing import Any

import pytest
from rest_framework.test import APIClient

from listening.models import Mention, Source
from listening.services.sources import source_create, source_poll_once
from tests.workers.graphfake import FakeGraph, fixture
from workers.adapters import httpclient

IG_ACCOUNT, PAGE = "17841400000000001", "104000000000001"
APP_SECRET, VERIFY = "meta-app-secret-0123", "a phrase of our own"
C1 = "200000000000001_300000000000001"


def sign(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@pytest.fixture
def meta(monkeypatch: pytest.MonkeyPatch) -> FakeGraph:
    """The Graph API, faked at the HTTP client's one function."""
    fake = FakeGraph()
    monkeypatch.setattr(httpclient, "http_request", fake)
    return fake


@pytest.fixture
def client() -> APIClient:
    return APIClient(enforce_csrf_checks=True)


@pytest.fixture
def instagram(world, fake_classifier) -> Source:
    return source_create(tenant=world.acme, name="Instagram", kind="instagram", config={
        "account_id": IG_ACCOUNT, "access_token": "EAAtoken0123456789abcdefghij", "app_secret": APP_SECRET,
        "verify_token": VERIFY})


@pytest.fixture
def facebook(world, fake_classifier) -> Source:
    return source_create(tenant=world.acme, name="Facebook", kind="facebook", config={
        "page_id": PAGE, "access_token": "EAAtoken0123456789abcdefghij", "app_secret": APP_SECRET,
        "verify_token": VERIFY, "max_requests": 50})


def url(source: Source) -> str:
    return f"/api/v1/hooks/meta/{source.webhook_key}/"


def deliver(client: APIClient, source: Source, body: bytes, signature: str | None = None):
    headers: dict[str, Any] = {} if signature == "" else {"HTTP_X_HUB_SIGNATURE_256": signature or sign(body)}
    return client.post(url(source), body, content_type="application/json", **headers)


def test_the_subscription_handshake_echoes_the_challenge_for_the_right_verify_token(client, instagram):
    response = client.get(url(instagram), {"hub.mode": "subscribe", "hub.verify_token": VERIFY,
                                           "hub.challenge": "1158201444"})
    assert (response.status_code, response.content) == (200, b"1158201444")
    assert response["Content-Type"].startswith("text/plain")


def test_a_wrong_verify_token_is_refused_and_counted(client, instagram):
    response = client.get(url(instagram), {"hub.mode": "subscribe", "hub.verify_token": "guess",
                                           "hub.challenge": "1158201444"})
    assert response.status_code == 403
    instagram.refresh_from_db()
    assert instagram.webhook_rejected == 1


def test_an_address_that_names_no_meta_source_is_not_found(client, world, instagram):
    assert client.get(f"/api/v1/hooks/meta/{uuid.uuid4()}/").status_code == 404
    assert client.post(f"/api/v1/hooks/meta/{world.acme_source.webhook_key}/", b"{}",
                       content_type="application/json").status_code == 404
    assert client.get("/api/v1/hooks/meta/1/").status_code == 404


def test_a_signed_delivery_is_stored_in_the_sources_tenant(client, world, instagram):
    response = deliver(client, instagram, fixture("instagram", "webhook_comments.json"))
    assert response.status_code == 200
    mention = Mention.all_tenants.get(external_id="17860000000000031")
    assert (mention.tenant, mention.source, mention.platform) == (world.acme, instagram, "instagram")
    assert mention.is_complaint
    instagram.refresh_from_db()
    assert instagram.mentions_ingested == 1
    assert instagram.webhook_received_at is not None
    assert instagram.cursor is None  # the poll's bookmark is the poll's


@pytest.mark.parametrize("signature", ["", "sha256=" + "0" * 64, sign(b"another body"),
                                       sign(b"x", "another-secret")])
def test_an_unsigned_or_badly_signed_delivery_is_refused_counted_and_not_read(client, instagram, signature):
    response = deliver(client, instagram, fixture("instagram", "webhook_comments.json"), signature)
    assert response.status_code == 403
    assert not Mention.all_tenants.exists()
    instagram.refresh_from_db()
    assert instagram.webhook_rejected == 1


def test_the_signature_is_checked_before_the_body_is_parsed(client, instagram):
    assert deliver(client, instagram, b"{not json", "").status_code == 403
    assert deliver(client, instagram, b"{not json").status_code == 400


def test_a_body_over_the_limit_is_refused_unread(client, instagram):
    body = b'{"object": "instagram", "pad": "' + b"x" * (1024 * 1024) + b'"}'
    assert deliver(client, instagram, body).status_code == 413


def test_items_of_another_account_are_not_taken(client, instagram):
    payload = json.loads(fixture("instagram", "webhook_comments.json"))
    payload["entry"][0]["id"] = "17841499999999999"
    body = json.dumps(payload).encode()
    assert deliver(client, instagram, body).status_code == 200
    assert not Mention.all_tenants.exists()


@pytest.mark.parametrize("kind", ["instagram", "facebook"])
@pytest.mark.parametrize("shape", [{"entry": "not a list"}, {"entry": {"id": "x"}}, {"entry": [{"changes": 7}]},
                                   {"entry": [{"changes": {"field": "comments"}}]}])
def test_a_signed_delivery_of_the_wrong_shape_is_read_as_nothing_not_a_500(client, request, kind, shape):
    source = request.getfixturevalue(kind)
    obj = {"instagram": "instagram", "facebook": "page"}[kind]
    entry = shape["entry"]
    if isinstance(entry, list):  # the entry is the source's own account, so its changes are read
        entry = [{**item, "id": source.config.get("account_id") or source.config.get("page_id")} for item in entry]
    body = json.dumps({"object": obj, "entry": entry}).encode()
    assert deliver(client, source, body).status_code == 200
    assert not Mention.all_tenants.exists()


def test_a_comment_delivered_then_polled_is_stored_once(client, meta, facebook):
    payload = json.loads(fixture("facebook", "webhook_feed.json"))
    payload["entry"][0]["changes"][0]["value"].update(comment_id=C1, message="The app is broken after the update")
    assert deliver(client, facebook, json.dumps(payload).encode()).status_code == 200
    meta.json(f"{PAGE}/feed", "facebook", "feed_p1.json")
    meta.json(f"{PAGE}/feed", "facebook", "feed_p2.json", after="RkVFRDFfQUZURVI")
    meta.json(f"{PAGE}_200000000000001/comments", "facebook", "comments_p1_p2.json", after="Q09NTUVOVDFfQUZURVI")
    meta.json(f"{C1}/comments", "facebook", "replies_c1_p2.json", after="UkVQTFkxX0FGVEVS")
    source_poll_once(source=facebook)
    assert Mention.all_tenants.filter(external_id=C1).count() == 1
    # ... and answered by the Page's reply the poll found.
    assert Mention.all_tenants.get(external_id=C1).answered_at is not None


def test_an_edit_replaces_the_text_and_a_removal_marks_the_comment_deleted(client, facebook):
    payload = json.loads(fixture("facebook", "webhook_feed.json"))
    deliver(client, facebook, json.dumps(payload).encode())
    change = payload["entry"][0]["changes"][0]["value"]
    change.update(verb="edited", message="My order is broken and support replied after a week")
    deliver(client, facebook, json.dumps(payload).encode())
    mention = Mention.all_tenants.get(external_id=change["comment_id"])
    assert mention.text.endswith("after a week")
    assert mention.edited_at is not None
    change.update(verb="remove")
    deliver(client, facebook, json.dumps(payload).encode())
    mention.refresh_from_db()
    assert mention.deleted_at is not None


def test_the_sources_api_gives_the_webhook_path_and_never_the_secrets(world, api_client_for, instagram):
    body = api_client_for(world.owner).get(f"/api/v1/tenants/acme/sources/{instagram.pk}/").json()
    assert body["webhook_path"] == url(instagram)
    assert body["config"]["app_secret"] == body["config"]["verify_token"] == "********"
    assert APP_SECRET not in json.dumps(body)
    assert VERIFY not in json.dumps(body)


def test_refused_deliveries_show_on_the_sources_health(client, world, api_client_for, instagram):
    deliver(client, instagram, fixture("instagram", "webhook_comments.json"), "")
    deliver(client, instagram, fixture("instagram", "webhook_comments.json"), "")
    notes = api_client_for(world.owner).get(f"/api/v1/tenants/acme/sources/{instagram.pk}/").json()["feed_notes"]
    assert notes == ["2 webhook requests were refused: unsigned, badly signed or with a wrong verify token. "
                     "Check the app secret and verify token the platform was given."]
