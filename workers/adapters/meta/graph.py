"""Meta's Graph API (Facebook Pages and Instagram), as Dengar's adapters speak it.

One request at a time through Dengar's guarded HTTP client (``workers.adapters.httpclient``).
The access token travels in the Authorization header, never in the address, so no URL Dengar
builds, stores or reports carries it; with the app secret, every call also carries
``appsecret_proof`` (HMAC-SHA256 of the token), which Meta can be told to require.

What Meta answers is turned into the adapter contract's errors:

- rate limits (HTTP 429, or the error codes 4, 17, 32, 613 and the business-use-case codes
  80001-80009) are ``TransientAdapterError`` with ``retry_after``: the Retry-After header, else the
  ``estimated_time_to_regain_access`` of the X-Business-Use-Case-Usage header (minutes), else a
  quarter of an hour when X-App-Usage says a quota is spent, else five minutes;
- an access token Meta refuses (code 190: expired, revoked, password changed, app removed) is
  ``TokenRejected``, a permanent error that pauses the source and says to connect it again;
- a missing permission (10, 200-299) or an object Dengar may not read (100) is permanent too;
- Meta's own trouble (HTTP 5xx, codes 1 and 2, ``is_transient``) is transient.

Pure Python: no Django. The transport is injectable (tests give one that never opens a socket).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import urllib.parse
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from workers.adapters import httpclient
from workers.adapters.base import AdapterError, PermanentAdapterError, TransientAdapterError

GRAPH_ORIGIN = "https://graph.facebook.com"
USER_AGENT = "Dengar/0.1"
MAX_BODY_BYTES = 4 * 1024 * 1024
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, *range(80001, 80010)})
DEFAULT_RATE_LIMIT_WAIT = 300.0
QUOTA_SPENT_WAIT = 900.0
# Paging parameters a ``paging.next`` address may carry, besides the fields Dengar asked for.
PAGING_PARAMS = frozenset({"after", "until", "since", "__paging_token", "offset"})
API_VERSION = re.compile(r"^v\d{1,2}\.\d$")
GRAPH_ID = re.compile(r"^[0-9]{1,40}(?:_[0-9]{1,40})?$")

Transport = Callable[..., httpclient.HttpResponse]
Clock = Callable[[], datetime]


class TokenRejected(PermanentAdapterError):
    """Meta no longer accepts the access token: the source must be connected again."""


def version_problem(value: str) -> str | None:
    return None if API_VERSION.match(value) else "Must be a Graph API version such as v21.0."


def id_problem(value: str) -> str | None:
    return None if GRAPH_ID.match(value) else "Must be a numeric Graph API id."


def safe_id(value: Any) -> str | None:
    """A Graph id read from an answer, if it is one (ids become parts of request paths)."""
    return value if isinstance(value, str) and GRAPH_ID.match(value) else None


def parse_time(value: Any) -> Any:
    """Graph time ("2017-08-31T19:16:02+0000") or a webhook's epoch seconds as an aware
    datetime; anything else is given back as it is, for validation to refuse with its reason."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return value
    if isinstance(value, str):
        try:
            return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
        except ValueError:
            return value
    return value


def appsecret_proof(*, app_secret: str, access_token: str) -> str:
    return hmac.new(app_secret.encode(), access_token.encode(), hashlib.sha256).hexdigest()


def next_page(body: Mapping[str, Any]) -> dict[str, str] | None:
    """The paging parameters of the page after this one, or None at the end: the
    ``paging.cursors.after`` cursor when there is a ``next`` page, or the paging parameters of
    the ``next`` address itself (never its access token or proof)."""
    paging = body.get("paging")
    if not isinstance(paging, Mapping) or not isinstance(paging.get("next"), str):
        return None
    cursors = paging.get("cursors")
    if isinstance(cursors, Mapping) and isinstance(cursors.get("after"), str) and cursors["after"]:
        return {"after": cursors["after"]}
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(paging["next"]).query)
    params = {k: v[0] for k, v in query.items() if k in PAGING_PARAMS and v}
    return params or None


def usage_wait(headers: Any) -> float | None:
    """How long Meta's usage headers say to wait, in seconds, or None if they do not say."""
    if headers is None:
        return None
    waits: list[float] = []
    business = _json_header(headers, "X-Business-Use-Case-Usage")
    if isinstance(business, Mapping):
        for entries in business.values():
            for entry in entries if isinstance(entries, list) else []:
                minutes = entry.get("estimated_time_to_regain_access") if isinstance(entry, Mapping) else None
                if isinstance(minutes, int | float) and not isinstance(minutes, bool) and minutes > 0:
                    waits.append(float(minutes) * 60)
    if waits:
        return max(waits)
    for name in ("X-App-Usage", "X-Page-Usage", "X-Ad-Account-Usage"):
        usage = _json_header(headers, name)
        if isinstance(usage, Mapping) and any(
            isinstance(v, int | float) and not isinstance(v, bool) and v >= 100 for v in usage.values()
        ):
            return QUOTA_SPENT_WAIT
    return None


def _json_header(headers: Any, name: str) -> Any:
    raw = headers.get(name)
    if not raw:
        return None
    try:
        return json.loads(raw)
    except (TypeError, ValueError):
        return None


class Graph:
    """Requests to one Graph API version with one access token."""

    def __init__(
        self, *, version: str, access_token: str, app_secret: str = "", transport: Transport | None = None,
        clock: Clock | None = None, timeout: float = 20.0, deadline_seconds: float = 60.0,
    ) -> None:
        self.version = version
        self.access_token = access_token
        self.app_secret = app_secret
        self.transport: Transport = transport or httpclient.http_request
        self.clock: Clock = clock or (lambda: datetime.now(UTC))
        self.timeout = timeout
        self.deadline_seconds = deadline_seconds

    def get(self, path: str, params: Mapping[str, str]) -> dict[str, Any]:
        return self._call("GET", path, params)

    def post(self, path: str, params: Mapping[str, str]) -> dict[str, Any]:
        return self._call("POST", path, params)

    def _call(self, method: str, path: str, params: Mapping[str, str]) -> dict[str, Any]:
        query = dict(params)
        if self.app_secret:
            query["appsecret_proof"] = appsecret_proof(app_secret=self.app_secret, access_token=self.access_token)
        encoded = urllib.parse.urlencode(query)
        url = f"{GRAPH_ORIGIN}/{self.version}/{path}"
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json", "Accept-Encoding": "gzip",
                   "Authorization": f"Bearer {self.access_token}"}
        data = None
        if method == "POST":
            data = encoded.encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        else:
            url = f"{url}?{encoded}"
        where = f"Graph API {method} /{path}"
        try:
            response = self.transport(url, method=method, headers=headers, data=data, timeout=self.timeout,
                                      deadline_seconds=self.deadline_seconds, max_bytes=MAX_BODY_BYTES,
                                      error_bodies=True)
        except httpclient.HttpFailure as exc:
            error = TransientAdapterError if exc.transient else PermanentAdapterError
            raise error(f"{where}: {exc}") from None
        body = _json_body(response.body)
        if 200 <= response.status < 300 and isinstance(body, dict) and "error" not in body:
            return body
        raise self._error(where, response, body)

    def _error(self, where: str, response: httpclient.HttpResponse, body: Any) -> AdapterError:
        error = body.get("error") if isinstance(body, dict) else None
        error = error if isinstance(error, Mapping) else {}
        code = error.get("code") if isinstance(error.get("code"), int) else None
        message = str(error.get("message") or "")[:300] or f"HTTP {response.status} {response.reason}".strip()
        said = f"{where}: {message}" + (f" (code {code})" if code is not None else "")
        if response.status == 429 or code in RATE_LIMIT_CODES:
            wait = (httpclient.retry_after_seconds(response.headers, self.clock())
                    or usage_wait(response.headers) or DEFAULT_RATE_LIMIT_WAIT)
            return TransientAdapterError(f"{said}: Meta's rate limit, waiting {wait:g} s", retry_after=wait)
        if code == 190 or (response.status == 401 and error.get("type") == "OAuthException"):
            return TokenRejected(
                f"{said}: Meta no longer accepts this source's access token (expired or revoked); "
                "paste a new one in the source's settings, then resume it")
        if code == 10 or (code is not None and 200 <= code < 300):
            return PermanentAdapterError(f"{said}: the access token lacks a permission this source needs")
        if code == 100 or response.status == 404:
            return PermanentAdapterError(f"{said}: the account or object does not exist, or this token cannot read it")
        if response.status >= 500 or code in (1, 2) or error.get("is_transient") is True:
            transient_wait = httpclient.retry_after_seconds(response.headers, self.clock())
            return TransientAdapterError(said, retry_after=transient_wait)
        if not error and 200 <= response.status < 300:
            return TransientAdapterError(f"{where}: the answer is not a JSON object")
        return PermanentAdapterError(said)


def _json_body(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
