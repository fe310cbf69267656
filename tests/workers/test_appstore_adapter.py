"""The "app_store" kind against App Store Connect's documented answers, faked at the HTTP client
(tests/fixtures/app_store/), with the network blocked."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from listening.models import Mention, Source
from listening.models.mentions import ComplaintStatus
from listening.services.sources import source_create, source_poll_once
from tests.workers.apifake import Answer, FakeApi, fixture, install
from workers.adapters.appstore.adapter import AppStoreAdapter
from workers.adapters.base import ConfigError, TransientAdapterError

REVIEWS = "/v1/apps/1234567890/customerReviews"
PAGE2 = "eyJvZmZzZXQiOiIyMDAifQ"
FIRST = "00000029-0b6c-0e01-b0b0-000000000001"
ISSUER = "57246542-96fe-1a63-e053-0824d011072a"
KEY = ec.generate_private_key(ec.SECP256R1())
P8 = KEY.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                       serialization.NoEncryption()).decode()
CONFIG = {"app_id": "1234567890", "issuer_id": ISSUER, "key_id": "2X9R4HXF34", "private_key": P8}


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch, no_network: None) -> FakeApi:
    fake = install(monkeypatch, FakeApi(page_param="cursor", hosts=frozenset({"api.appstoreconnect.apple.com"})))
    fake.json(REVIEWS, "app_store", "reviews_page1.json")
    fake.json(REVIEWS, "app_store", "reviews_page2.json", page=PAGE2)
    return fake


def b64(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def test_each_request_carries_an_es256_jwt_signed_with_the_p8_key(api: FakeApi) -> None:
    now = datetime(2026, 11, 22, tzinfo=UTC)
    AppStoreAdapter(CONFIG, clock=lambda: now).fetch(cursor=None)
    token = api.requests[0].headers["Authorization"].removeprefix("Bearer ")
    header, claims, signature = token.split(".")
    raw = b64(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    KEY.public_key().verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
    assert json.loads(b64(header)) == {"alg": "ES256", "kid": "2X9R4HXF34", "typ": "JWT"}
    said = json.loads(b64(claims))
    assert said["iss"] == ISSUER
    assert said["aud"] == "appstoreconnect-v1"
    assert said["exp"] - said["iat"] <= 20 * 60


def test_it_follows_links_next_to_the_end_and_resumes_from_the_stored_cursor(api: FakeApi) -> None:
    first = AppStoreAdapter({**CONFIG, "max_requests": 1}).fetch(cursor=None)
    assert first.has_more
    assert first.next_cursor == {"page": PAGE2, "read": 3}
    second = AppStoreAdapter(CONFIG).fetch(cursor=json.loads(json.dumps(first.next_cursor)))
    assert api.asked() == [(REVIEWS, None), (REVIEWS, PAGE2)]
    assert not second.has_more
    assert [m.external_id for m in second.mentions] == ["00000029-0b6c-0e01-b0b0-000000000004"]


def test_a_next_link_to_another_host_is_not_followed(api: FakeApi) -> None:
    page = json.loads(fixture("app_store", "reviews_page1.json"))
    page["links"]["next"] = "https://evil.example/v1/apps/1/customerReviews?cursor=abc"
    api.route(REVIEWS, Answer(200, json.dumps(page).encode()))
    assert not AppStoreAdapter(CONFIG).fetch(cursor=None).has_more


def test_only_a_published_response_is_the_brands_reply(api: FakeApi) -> None:
    mentions = {m.external_id: m for m in AppStoreAdapter(CONFIG).fetch(cursor=None).mentions}
    reply = mentions["response:6c2b1f00-0000-0000-0000-00000000aaaa"]
    assert reply.is_brand_reply
    assert reply.parent_external_id == FIRST
    assert "response:6c2b1f00-0000-0000-0000-00000000bbbb" not in mentions  # still in Apple's review
    assert mentions[FIRST].text.startswith("Broken since update\nThe app is broken")


def test_a_rate_limit_backs_off_by_its_header(api: FakeApi) -> None:
    api.route(REVIEWS, Answer(429, fixture("app_store", "rate_limited.json"),
                              {"Retry-After": "600", "X-Rate-Limit": "user-hour-lim:3600;user-hour-rem:0;"}))
    with pytest.raises(TransientAdapterError) as caught:
        AppStoreAdapter(CONFIG).fetch(cursor=None)
    assert caught.value.retry_after == 600


@pytest.mark.django_db
def test_a_published_response_marks_the_complaint_answered_and_a_malformed_review_is_dropped(
    api: FakeApi, world: Any
) -> None:
    source = source_create(tenant=world.acme, name="App Store", kind="app_store", config=CONFIG)
    assert "private_key" not in source.config
    source_poll_once(source=source)
    stored = {m.external_id: m for m in Mention.all_tenants.filter(source=source)}
    assert stored[FIRST].complaint_status == ComplaintStatus.ANSWERED
    assert "00000029-0b6c-0e01-b0b0-000000000003" in stored
    source.refresh_from_db()
    assert source.items_rejected == 1
    assert "text is missing" in source.last_rejection


@pytest.mark.django_db
def test_a_revoked_key_pauses_the_source_with_a_clear_message(api: FakeApi, world: Any) -> None:
    api.route(REVIEWS, Answer(401, fixture("app_store", "not_authorized.json")))
    source = source_create(tenant=world.acme, name="App Store", kind="app_store", config=CONFIG)
    source_poll_once(source=source)
    source = Source.all_tenants.get(pk=source.pk)
    assert source.paused
    assert "Apple no longer accepts this API key" in source.last_error
    assert "PRIVATE KEY" not in source.last_error


def test_it_posts_a_response_with_customer_review_responses(api: FakeApi) -> None:
    api.route("/v1/customerReviewResponses", Answer(201, fixture("app_store", "response_created.json")),
              method="POST")
    stored_as = AppStoreAdapter(CONFIG).reply(to_external_id=FIRST, thread_external_id=FIRST, text="We are on it.")
    assert stored_as == "response:6c2b1f00-0000-0000-0000-00000000cccc"
    assert json.loads(api.requests[-1].body) == {"data": {
        "type": "customerReviewResponses", "attributes": {"responseBody": "We are on it."},
        "relationships": {"review": {"data": {"type": "customerReviews", "id": FIRST}}}}}


@pytest.mark.parametrize(("changes", "field"), [
    ({"app_id": "acme"}, "app_id"),
    ({"issuer_id": "not-a-uuid"}, "issuer_id"),
    ({"key_id": "short"}, "key_id"),
    ({"private_key": "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----"}, "private_key"),
])
def test_it_refuses_a_bad_config_field_by_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(ConfigError) as caught:
        AppStoreAdapter({**CONFIG, **changes})
    assert field in caught.value.errors
