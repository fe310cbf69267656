"""The ``app_store`` kind: an app's customer reviews on the App Store, through App Store Connect.

``GET /v1/apps/{id}/customerReviews?include=response`` (newest first, up to 200 a page) gives the
reviews and, in ``included``, each one's published response, stored as the brand's reply. A sweep
follows ``links.next`` to the end (only its ``cursor`` parameter is kept, never an address), at
most ``max_requests`` pages per poll, resumed from the stored cursor; it reads at most
``max_reviews`` reviews, the newest, so its cost does not grow with the app's history. A review
withdrawn by its author is no longer listed (App Store Connect does not say so).

Each request carries a JWT signed with the team's ``.p8`` key (ES256), valid for 20 minutes.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping
from typing import Any, ClassVar

from workers.adapters.apicall import (
    Answer,
    ApiClient,
    Clock,
    CredentialsRejected,
    Transport,
    dicts,
    mapping,
    text,
    unreadable,
)
from workers.adapters.base import (
    AdapterError,
    ConfigField,
    ConfigSchema,
    FetchResult,
    PermanentAdapterError,
    RawMention,
    SourceAdapter,
    TransientAdapterError,
)
from workers.adapters.google import google_time
from workers.adapters.signing import KeyProblem, es256, load_private_key

API = "https://api.appstoreconnect.apple.com"
PLATFORM = "app_store"
DIGITS = re.compile(r"^[0-9]{1,20}$")
KEY_ID = re.compile(r"^[A-Z0-9]{10}$")
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
TOKEN = re.compile(r"^[A-Za-z0-9_.\-=+/]{1,500}$")
PAGE_SIZE = 200
DEFAULT_RATE_WAIT = 300.0
RECONNECT = "Create a new API key in App Store Connect, paste it in the source's settings, then resume it."


def app_id_problem(value: str) -> str | None:
    return None if DIGITS.match(value) else "Must be the app's Apple ID (digits)."


def issuer_problem(value: str) -> str | None:
    return None if UUID.match(value) else "Must be the issuer ID (a UUID)."


def key_id_problem(value: str) -> str | None:
    return None if KEY_ID.match(value) else "Must be a 10-character key ID."


def key_problem(value: str) -> str | None:
    try:
        load_private_key(value)
    except KeyProblem:
        return "Must be the whole .p8 file (-----BEGIN PRIVATE KEY----- …)."
    return None


class AppStoreAdapter(SourceAdapter):
    kind = "app_store"
    label = "App Store reviews"
    platform = PLATFORM
    can_reply: ClassVar[bool] = True
    config_schema: ClassVar[ConfigSchema] = ConfigSchema({
        "app_id": ConfigField(str, required=True, check=app_id_problem,
                              help="The app's Apple ID, from App Store Connect > App Information."),
        "issuer_id": ConfigField(str, required=True, check=issuer_problem,
                                 help="Users and Access > Integrations > App Store Connect API: Issuer ID."),
        "key_id": ConfigField(str, required=True, check=key_id_problem,
                              help="The API key's Key ID."),
        "private_key": ConfigField(str, required=True, secret=True, check=key_problem,
                                   help="The API key's .p8 file, pasted whole (role: Customer Support or above)."),
        "max_reviews": ConfigField(int, default=1000, min_value=1, max_value=20000,
                                   help="How many of the newest reviews each sweep reads."),
        "max_requests": ConfigField(int, default=10, min_value=1, max_value=200,
                                    help="At most this many pages per poll."),
    })

    def __init__(self, config: Mapping[str, Any], *, transport: Transport | None = None,
                 clock: Clock | None = None) -> None:
        super().__init__(config)
        self.client = ApiClient(name="App Store Connect API", transport=transport, clock=clock)

    def _auth(self) -> dict[str, str]:
        now = int(self.client.clock().timestamp())
        claims = {"iss": self.config["issuer_id"], "iat": now, "exp": now + 1200, "aud": "appstoreconnect-v1"}
        try:
            token = es256(self.config["private_key"], claims=claims, key_id=self.config["key_id"])
        except KeyProblem as exc:
            raise PermanentAdapterError(f"the App Store Connect key cannot sign: {exc}. {RECONNECT}") from None
        return {"Authorization": f"Bearer {token}"}

    def fetch(self, *, cursor: Any) -> FetchResult:
        page, read = self._read_cursor(cursor)
        mentions: list[RawMention] = []
        app = urllib.parse.quote(self.config["app_id"])
        for _ in range(self.config["max_requests"]):
            params = {"sort": "-createdDate", "limit": str(PAGE_SIZE), "include": "response",
                      **({"cursor": page} if page else {})}
            where = "App Store Connect customerReviews"
            answer = self.client.call("GET", f"{API}/v1/apps/{app}/customerReviews?{urllib.parse.urlencode(params)}",
                                      headers=self._auth(), where=where)
            if not (answer.ok and isinstance(answer.body, dict) and isinstance(answer.body.get("data"), list)):
                raise self._error(answer, where)
            responses = {r.get("id"): r for r in dicts(answer.body.get("included"))
                         if isinstance(r, Mapping) and r.get("type") == "customerReviewResponses"}
            for review in answer.body["data"]:
                mentions.extend(self._review(review, responses))
            read += len(answer.body["data"])
            page = _next_cursor(answer.body) if read < self.config["max_reviews"] else None
            if page is None:
                read = 0
                break
        return FetchResult(mentions=tuple(mentions), next_cursor={"page": page, "read": read},
                           has_more=page is not None)

    def _review(self, review: Any, responses: Mapping[Any, Any]) -> list[RawMention]:
        attributes = review.get("attributes") if isinstance(review, Mapping) else None
        if not isinstance(attributes, Mapping):
            return [unreadable(PLATFORM, review.get("id") if isinstance(review, Mapping) else "")]
        review_id = review.get("id")
        title, body = attributes.get("title"), attributes.get("body")
        words = body if not isinstance(title, str) or not title or not isinstance(body, str) else f"{title}\n{body}"
        found = [RawMention(external_id=review_id, text=words, published_at=google_time(attributes.get("createdDate")),
                            author_handle=attributes.get("reviewerNickname") or "", platform=PLATFORM,
                            thread_external_id=review_id if isinstance(review_id, str) else "")]
        relation = mapping(mapping(review.get("relationships")).get("response"))
        linked = mapping(relation.get("data"))
        response = responses.get(linked.get("id")) if linked else None
        if isinstance(response, Mapping) and isinstance(review_id, str):
            said = mapping(response.get("attributes"))
            # A response still in review at Apple is not visible to the customer yet.
            if said.get("state") in (None, "PUBLISHED"):
                found.append(RawMention(
                    external_id=f"response:{response.get('id')}", text=said.get("responseBody"),
                    published_at=google_time(said.get("lastModifiedDate")), platform=PLATFORM,
                    parent_external_id=review_id, thread_external_id=review_id, is_brand_reply=True))
        return found

    def _error(self, answer: Answer, where: str) -> AdapterError:
        errors = dicts(answer.body.get("errors")) if isinstance(answer.body, Mapping) else []
        first = errors[0] if errors and isinstance(errors[0], Mapping) else {}
        said = f"{where}: {text(first.get('detail') or first.get('title')) or f'HTTP {answer.status}'}"
        if answer.status == 429:
            wait = self.client.retry_after(answer) or DEFAULT_RATE_WAIT
            return TransientAdapterError(f"{said}: Apple's hourly request limit, waiting {wait:g} s", retry_after=wait)
        if answer.status == 401:
            return CredentialsRejected(f"{said}: Apple no longer accepts this API key (revoked, or the issuer or "
                                       f"key ID is wrong). {RECONNECT}")
        if answer.status == 403:
            return PermanentAdapterError(f"{said}: the API key's role may not do this "
                                         "(it needs Customer Support or above)")
        if answer.status == 404:
            return PermanentAdapterError(f"{said}: no such app, or this key's team cannot see it")
        if answer.status >= 500:
            return TransientAdapterError(said, retry_after=self.client.retry_after(answer))
        if answer.ok:
            return TransientAdapterError(f"{where}: the answer is not the JSON:API document expected")
        return PermanentAdapterError(said)

    def _read_cursor(self, cursor: Any) -> tuple[str | None, int]:
        if cursor is None or cursor == {}:
            return None, 0
        if isinstance(cursor, Mapping) and set(cursor) <= {"page", "read"}:
            page, read = cursor.get("page"), cursor.get("read", 0)
            if (page is None or (isinstance(page, str) and TOKEN.match(page))) and isinstance(read, int):
                return page, read
        raise PermanentAdapterError(f"unreadable cursor {str(cursor)[:200]}: expected {{'page': cursor, 'read': n}}")

    def reply(self, *, to_external_id: str, thread_external_id: str, text: str) -> str:
        """Publish the response to a review (``customerReviewResponses``); return its id as stored."""
        review_id = thread_external_id or to_external_id
        where = "App Store Connect customerReviewResponses"
        payload = {"data": {"type": "customerReviewResponses", "attributes": {"responseBody": text},
                            "relationships": {"review": {"data": {"type": "customerReviews", "id": review_id}}}}}
        answer = self.client.call("POST", f"{API}/v1/customerReviewResponses", headers=self._auth(),
                                  json_body=payload, where=where)
        data = answer.body.get("data") if isinstance(answer.body, Mapping) else None
        if answer.ok and isinstance(data, Mapping) and isinstance(data.get("id"), str):
            return f"response:{data['id']}"
        if answer.ok:
            raise TransientAdapterError(f"{where}: Apple answered without the response's id")
        raise self._error(answer, where)


def _next_cursor(body: Mapping[str, Any]) -> str | None:
    """The ``cursor`` parameter of ``links.next``, when it is App Store Connect's own address."""
    links = body.get("links")
    following = links.get("next") if isinstance(links, Mapping) else None
    if not isinstance(following, str) or not following.startswith(f"{API}/"):
        return None
    values = urllib.parse.parse_qs(urllib.parse.urlsplit(following).query).get("cursor") or []
    return values[0] if values and TOKEN.match(values[0]) else None
