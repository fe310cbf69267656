"""JSON over HTTPS to a platform's official API, for the platform adapters (YouTube, Google Play,
App Store Connect, X).

One request at a time through Dengar's guarded HTTP client (``workers.adapters.httpclient``);
the credential travels in the Authorization header, never in an address, so no URL an adapter
builds, stores or reports carries it. An answer comes back as status, headers and the JSON body
(None when it is not JSON); each adapter says what a status means on its platform. What gave no
answer at all is turned into the contract's errors here.

Pure Python: no Django. The transport is looked up when a client is made, so tests replace
``httpclient.http_request`` (the network's edge) and the adapters' own code runs unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from typing import Any

from workers.adapters import httpclient
from workers.adapters.base import PermanentAdapterError, TransientAdapterError

USER_AGENT = "Dengar/0.1"
MAX_BODY_BYTES = 4 * 1024 * 1024

Transport = Callable[..., httpclient.HttpResponse]
Clock = Callable[[], datetime]


class CredentialsRejected(PermanentAdapterError):
    """The platform no longer accepts the source's credentials (expired, revoked, deleted): the
    source is paused and must be connected again."""


@dataclass(frozen=True)
class Answer:
    status: int
    reason: str
    headers: Message | Mapping[str, str]
    body: Any  # the JSON answer, or None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class ApiClient:
    """Requests to one platform, each given its Authorization header by the caller."""

    def __init__(self, *, name: str, transport: Transport | None = None, clock: Clock | None = None,
                 allow_private: bool = False, timeout: float = 20.0, deadline_seconds: float = 60.0) -> None:
        self.name = name
        self.transport: Transport = transport or httpclient.http_request
        self.clock: Clock = clock or (lambda: datetime.now(UTC))
        self.allow_private = allow_private
        self.timeout = timeout
        self.deadline_seconds = deadline_seconds

    def call(self, method: str, url: str, *, headers: Mapping[str, str] | None = None,
             json_body: Any = None, form: Mapping[str, str] | None = None, where: str = "") -> Answer:
        sent = {"User-Agent": USER_AGENT, "Accept": "application/json", "Accept-Encoding": "gzip",
                **(headers or {})}
        data: bytes | None = None
        if json_body is not None:
            data = json.dumps(json_body).encode()
            sent["Content-Type"] = "application/json"
        elif form is not None:
            import urllib.parse

            data = urllib.parse.urlencode(dict(form)).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            response = self.transport(url, method=method, headers=sent, data=data, timeout=self.timeout,
                                      deadline_seconds=self.deadline_seconds, max_bytes=MAX_BODY_BYTES,
                                      error_bodies=True, allow_private=self.allow_private)
        except httpclient.HttpFailure as exc:
            error = TransientAdapterError if exc.transient else PermanentAdapterError
            raise error(f"{where or self.name}: {exc}") from None
        return Answer(response.status, response.reason, response.headers, json_body_of(response.body))

    def retry_after(self, answer: Answer) -> float | None:
        return httpclient.retry_after_seconds(answer.headers, self.clock())


def awaiting_refresh(config: Mapping[str, Any], now: datetime, *, where: str) -> None:
    """A connected source whose access token has expired waits for Dengar to renew it (its
    refresh task does, with the refresh token) rather than calling the platform with it: the
    platform would refuse it, and that would pause the source for what a renewal mends."""
    expires = config.get("token_expires_at")
    if not (config.get("refresh_token") and isinstance(expires, str)):
        return
    try:
        when = datetime.strptime(expires, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return
    if when <= now:
        raise TransientAdapterError(f"{where}: the access token expired and is being renewed", retry_after=300.0)


def json_body_of(body: bytes) -> Any:
    if not body:
        return None
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


def mapping(value: Any) -> Mapping[str, Any]:
    """``value`` if it is a JSON object, else an empty one: for reading nested answers."""
    return value if isinstance(value, Mapping) else {}


def text(value: Any, limit: int = 300) -> str:
    """A platform's own words about an error, short, for a source's health."""
    return str(value or "").replace("\n", " ")[:limit]


def dicts(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def unreadable(platform: str, external_id: Any = "") -> Any:
    """What an item that cannot be read becomes: validation refuses it with its reason and counts
    it on the source's health, while the rest of the page lands."""
    from workers.adapters.base import RawMention

    return RawMention(external_id=external_id if isinstance(external_id, str) else "", text=None,
                      published_at=None, platform=platform)
