"""The "google_play" kind against the Android Publisher API v3's documented answers and Google's
token endpoint, faked at the HTTP client (tests/fixtures/google_play/), with the network blocked."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from listening.models import Mention, Source
from listening.models.mentions import ComplaintStatus
from listening.services.sources import source_create, source_poll_once
from tests.workers.apifake import Answer, FakeApi, error, fixture, install
from workers.adapters.apicall import CredentialsRejected
from workers.adapters.base import ConfigError, TransientAdapterError
from workers.adapters.googleplay.adapter import GooglePlayAdapter

REVIEWS = "/androidpublisher/v3/applications/com.acme.app/reviews"
PAGE2 = "CgwI1Ij9ugYQgOvWkgM"
COMPLAINT = "gp:AOqpTOFmAVORqfWGcaqfF39ftwFjGkjecjvjXnC3g_uL0NtVGlrrqm8X2XUWx0WydH3C9afZlPUizYVZAfARLuk"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def key_json() -> str:
    info = json.loads(fixture("google_play", "service_account.json"))
    info["private_key"] = KEY.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()).decode()
    return json.dumps(info)


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch, no_network: None) -> FakeApi:
    fake = install(monkeypatch, FakeApi(page_param="token", hosts=frozenset(
        {"androidpublisher.googleapis.com", "oauth2.googleapis.com"})))
    fake.json("/token", "google_play", "token.json", method="POST")
    fake.json(REVIEWS, "google_play", "reviews_page1.json")
    fake.json(REVIEWS, "google_play", "reviews_page2.json", page=PAGE2)
    return fake


def adapter(**config: Any) -> GooglePlayAdapter:
    return GooglePlayAdapter({"package_name": "com.acme.app", "service_account_json": key_json(), **config})


def b64(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def test_it_signs_a_jwt_with_the_service_accounts_key_and_reads_with_the_token_it_gets(api: FakeApi) -> None:
    adapter().fetch(cursor=None)
    exchange = api.requests[0]
    assert exchange.host == "oauth2.googleapis.com"
    form = {k: v for k, v in (p.split("=", 1) for p in exchange.body.decode().split("&"))}
    assert form["grant_type"] == "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"
    header, claims, signature = form["assertion"].split(".")
    KEY.public_key().verify(b64(signature), f"{header}.{claims}".encode(), padding.PKCS1v15(), hashes.SHA256())
    said = json.loads(b64(claims))
    assert said["iss"] == "dengar@acme-play-reviews.iam.gserviceaccount.com"
    assert said["scope"] == "https://www.googleapis.com/auth/androidpublisher"
    assert said["aud"] == "https://oauth2.googleapis.com/token"
    assert json.loads(b64(header))["alg"] == "RS256"
    assert api.requests[1].headers["Authorization"] == "Bearer ya29.REDACTED-service-account-token"


def test_it_follows_the_token_chain_to_the_end_and_resumes_from_the_stored_token(api: FakeApi) -> None:
    first = adapter(max_requests=1).fetch(cursor=None)
    assert first.has_more
    assert first.next_cursor["page"] == PAGE2
    second = adapter(max_requests=5).fetch(cursor=json.loads(json.dumps(first.next_cursor)))
    assert api.asked(REVIEWS) == [(REVIEWS, None), (REVIEWS, PAGE2)]
    assert not second.has_more
    assert second.next_cursor["page"] is None
    assert second.next_cursor["swept_at"]
    assert [m.external_id for m in second.mentions] == ["gp:AOqpTOLastPageReview"]


def test_the_developer_comment_is_the_brands_reply_to_its_review(api: FakeApi) -> None:
    mentions = {m.external_id: m for m in adapter().fetch(cursor=None).mentions}
    reply = mentions[f"{COMPLAINT}:reply"]
    assert reply.is_brand_reply
    assert reply.parent_external_id == COMPLAINT
    assert reply.published_at == datetime.fromtimestamp(1763803600, tz=UTC)
    assert not mentions[COMPLAINT].is_brand_reply


def test_a_sweep_resumed_after_more_than_seven_days_says_reviews_were_missed(api: FakeApi) -> None:
    now = datetime(2026, 11, 27, tzinfo=UTC)
    cursor = {"page": None, "swept_at": (now - timedelta(days=9)).isoformat()}
    result = GooglePlayAdapter({"package_name": "com.acme.app", "service_account_json": key_json()},
                               clock=lambda: now).fetch(cursor=cursor)
    assert result.next_cursor["health"] == {"gap_days": 9, "gap_noticed_at": now.isoformat()}
    later = now + timedelta(days=1)
    kept = GooglePlayAdapter({"package_name": "com.acme.app", "service_account_json": key_json()},
                             clock=lambda: later).fetch(cursor=result.next_cursor)
    assert kept.next_cursor["health"]["gap_days"] == 9  # still said the day after
    week_later = now + timedelta(days=8)
    gone = GooglePlayAdapter({"package_name": "com.acme.app", "service_account_json": key_json()},
                             clock=lambda: week_later).fetch(cursor=kept.next_cursor)
    assert "health" not in gone.next_cursor


def test_a_rate_limit_backs_off_by_its_retry_after_header(api: FakeApi) -> None:
    api.route(REVIEWS, error(429, {"error": {"code": 429, "message": "Too many requests",
                                             "status": "RESOURCE_EXHAUSTED"}}, **{"Retry-After": "90"}))
    with pytest.raises(TransientAdapterError) as caught:
        adapter().fetch(cursor=None)
    assert caught.value.retry_after == 90


def test_a_revoked_key_is_refused_at_the_token_endpoint_as_credentials_rejected(api: FakeApi) -> None:
    api.route("/token", Answer(400, fixture("google_play", "invalid_grant.json")), method="POST")
    with pytest.raises(CredentialsRejected, match="Paste a new service account key"):
        adapter().fetch(cursor=None)
    assert api.asked(REVIEWS) == []


@pytest.mark.django_db
def test_a_developer_comment_marks_the_complaint_answered_and_a_malformed_review_is_dropped(
    api: FakeApi, world: Any
) -> None:
    source = source_create(tenant=world.acme, name="Play", kind="google_play",
                           config={"package_name": "com.acme.app", "service_account_json": key_json()})
    assert "service_account_json" not in source.config
    source_poll_once(source=source)
    stored = {m.external_id: m for m in Mention.all_tenants.filter(source=source)}
    assert stored[COMPLAINT].complaint_status == ComplaintStatus.ANSWERED
    assert stored[COMPLAINT].text.startswith("App is broken")
    assert "gp:AOqpTOQuestionAboutEsim" in stored
    source.refresh_from_db()
    assert source.items_rejected == 1
    assert "text is missing" in source.last_rejection


@pytest.mark.django_db
def test_an_expired_or_revoked_key_pauses_the_source_with_a_clear_message(api: FakeApi, world: Any) -> None:
    api.route(REVIEWS, error(401, {"error": {"code": 401, "message": "Request had invalid authentication credentials.",
                                             "status": "UNAUTHENTICATED"}}))
    source = source_create(tenant=world.acme, name="Play", kind="google_play",
                           config={"package_name": "com.acme.app", "service_account_json": key_json()})
    source_poll_once(source=source)
    source = Source.all_tenants.get(pk=source.pk)
    assert source.paused
    assert "Google no longer accepts this source's credentials" in source.last_error
    assert "PRIVATE KEY" not in source.last_error


def test_it_posts_the_reply_with_reviews_reply(api: FakeApi) -> None:
    path = f"{REVIEWS}/gp%3AAOqpTOQuestionAboutEsim:reply"
    api.json(path, "google_play", "reply.json", method="POST")
    stored_as = adapter().reply(to_external_id="gp:AOqpTOQuestionAboutEsim",
                                thread_external_id="gp:AOqpTOQuestionAboutEsim", text="We are on it.")
    assert stored_as == "gp:AOqpTOQuestionAboutEsim:reply"
    assert json.loads(api.requests[-1].body) == {"replyText": "We are on it."}


@pytest.mark.parametrize(("config", "field"), [
    ({"package_name": "not a package", "service_account_json": "{}"}, "package_name"),
    ({"package_name": "com.acme.app", "service_account_json": "{\"type\": \"user\"}"}, "service_account_json"),
    ({"package_name": "com.acme.app", "service_account_json": "not json"}, "service_account_json"),
])
def test_it_refuses_a_bad_config_field_by_field(config: dict[str, Any], field: str) -> None:
    with pytest.raises(ConfigError) as caught:
        GooglePlayAdapter(config)
    assert field in caught.value.errors


@pytest.mark.django_db
def test_the_source_health_says_reviews_were_missed_after_a_long_gap(api: FakeApi, world: Any) -> None:
    from listening.selectors.sources import source_feed_notes

    source = source_create(tenant=world.acme, name="Play", kind="google_play",
                           config={"package_name": "com.acme.app", "service_account_json": key_json()})
    Source.all_tenants.filter(pk=source.pk).update(
        cursor={"page": None, "swept_at": (datetime.now(UTC) - timedelta(days=10)).isoformat()})
    source.refresh_from_db()
    source_poll_once(source=source)
    source.refresh_from_db()
    assert source_feed_notes(source=source) == [
        "Its polls stopped for 10 days, longer than the platform lists items: some were never seen."]
