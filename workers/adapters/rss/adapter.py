"""A source that reads a feed (RSS 0.9x to 2.0, RDF, Atom 0.3 and 1.0) over HTTP.

One GET per fetch, conditional on the ETag and Last-Modified the cursor remembers (304: nothing
new, the cursor stays). The cursor also holds the ids of the newest items delivered, at most
``SEEN_LIMIT``, so an item is delivered once however long it stays in the feed, and the cursor
never grows with the feed's history; and, under ``health``, what the last document read showed
about the feed (items with no date, dates without a zone…), which the source's health shows.

The exchange goes through ``workers.adapters.httpclient``: unless the adapter is built with
``allow_private=True``, a feed whose host is, or resolves to, an address that is not public
(private, loopback, link-local, cloud metadata…) is refused, on the first request and on every
redirect, and only the vetted addresses are connected to: a tenant's admin must not make Dengar's
workers read its internal services. The decision is the deployment's
(DENGAR["FEEDS_ALLOW_PRIVATE"]); it is given to the constructor, so this class never reads Django
settings. Refusals say that the address is not public, never what a name resolves to: the message
is shown on the source's health to the tenant.

A fetch has a total deadline (``deadline_seconds``, also the deployment's) over connecting,
redirects, headers and body, besides the per-read ``timeout_seconds``: a server that sends one
byte every few seconds never trips a per-read timeout, and would otherwise hold a worker for ever.
"""

from __future__ import annotations

import logging
import urllib.parse
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from workers.adapters import httpclient
from workers.adapters.base import (
    ConfigField,
    ConfigSchema,
    FetchResult,
    PermanentAdapterError,
    RawMention,
    SourceAdapter,
    TransientAdapterError,
)
from workers.adapters.httpclient import retry_after_seconds
from workers.adapters.rss.parsing import FeedError, parse_feed

Clock = Callable[[], datetime]

logger = logging.getLogger("dengar.adapters.rss")

USER_AGENT = "Dengar/0.1"
ACCEPT = ("application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.9, "
          "text/xml;q=0.9, */*;q=0.1")
MAX_FEED_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
SEEN_LIMIT = 500
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
DEFAULT_DEADLINE_SECONDS = 60.0
CURSOR_KEYS = frozenset({"etag", "last_modified", "seen", "health"})


def _utcnow() -> datetime:
    return datetime.now(UTC)


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a feed address, if it cannot."""
    if url != url.strip() or any(ch.isspace() for ch in url):
        return "Must not contain spaces."
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return "Enter a valid URL."
    if parts.scheme not in ("http", "https"):
        return "Must be an http:// or https:// URL."
    if not parts.hostname:
        return "Must name a host."
    if parts.username is not None or parts.password is not None:
        return "Must not contain a user name or password."
    if len(url) > 2000:
        return "Must be at most 2000 characters."
    return None


def _platform_problem(value: str) -> str | None:
    return None if 0 < len(value.strip()) <= 40 else "Use 1 to 40 characters."


class RssAdapter(SourceAdapter):
    kind = "rss"
    label = "RSS or Atom feed"
    platform = "rss"
    config_schema = ConfigSchema({
        "url": ConfigField(str, required=True, check=url_problem, help="The feed's http:// or https:// address."),
        "platform": ConfigField(str, default="rss", check=_platform_problem,
                                help="The platform the mentions are filed under."),
        "timeout_seconds": ConfigField(float, default=10.0, min_value=1, max_value=60,
                                       help="How long to wait for the feed server."),
        "max_items": ConfigField(int, default=500, min_value=1, max_value=SEEN_LIMIT,
                                 help="At most this many new items per fetch."),
    })

    def __init__(
        self, config: Mapping[str, Any], *, allow_private: bool = False, clock: Clock | None = None,
        deadline_seconds: float = DEFAULT_DEADLINE_SECONDS,
    ) -> None:
        super().__init__(config)
        self.allow_private = allow_private
        self.clock: Clock = clock or _utcnow
        self.deadline_seconds = deadline_seconds

    def fetch(self, *, cursor: Any) -> FetchResult:
        etag, last_modified, seen, health = _read_cursor(cursor)
        headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "gzip"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        response = self._get(headers)
        if response.status == 304:
            return FetchResult(mentions=[], next_cursor=_cursor(etag, last_modified, seen, health))
        now = self.clock()
        try:
            parsed = parse_feed(response.body, url=response.url, headers=dict(response.headers.items()),
                                platform=self.config["platform"], first_seen=lambda: now)
        except FeedError as exc:
            error = PermanentAdapterError if exc.permanent else TransientAdapterError
            raise error(f"{self.config['url']}: {exc}") from None
        new_etag, new_last_modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
        items = parsed.items

        already = set(seen)
        fresh: list[RawMention] = []
        for item in items:
            key = str(item.external_id)
            if key and key not in already:
                already.add(key)
                fresh.append(item)
        limit = self.config["max_items"]
        delivered, cut = fresh[:limit], len(fresh) > limit
        delivered_ids = {str(item.external_id) for item in delivered}
        # Newest first: what the feed lists now and was delivered (now or before), then the rest.
        in_feed = [str(i.external_id) for i in items if str(i.external_id) in delivered_ids or
                   str(i.external_id) in seen]
        next_seen = list(dict.fromkeys([*in_feed, *seen]))[:SEEN_LIMIT]
        if cut:
            # The next fetch must read the document again, not get a 304, to deliver the rest.
            new_etag = new_last_modified = None
        return FetchResult(
            mentions=tuple(delivered),
            next_cursor=_cursor(new_etag, new_last_modified, next_seen, parsed.health.as_cursor()),
            has_more=cut,
        )

    def _get(self, headers: dict[str, str]) -> httpclient.HttpResponse:
        """The answer to a GET of the feed, after redirects: a 200 or a 304; any other status is
        an adapter error, transient or permanent as the status says."""
        url = self.config["url"]
        try:
            response = httpclient.http_request(
                url, headers=headers, allow_private=self.allow_private, timeout=self.config["timeout_seconds"],
                deadline_seconds=self.deadline_seconds, max_bytes=MAX_FEED_BYTES, max_redirects=MAX_REDIRECTS,
            )
        except httpclient.AddressRefused as exc:
            # The operator's log may say where the name points; the source's health may not.
            logger.warning("rss feed refused: %s resolves to %s, not a public address", exc.host, exc.ip)
            raise PermanentAdapterError(
                f"{exc}; feeds may only be read from public addresses "
                "(DENGAR_FEEDS_ALLOW_PRIVATE=1 allows private ones)") from None
        except httpclient.TimedOut as exc:
            what = (f"the feed did not arrive in full within {self.deadline_seconds:g} s" if exc.whole
                    else f"no answer within {self.config['timeout_seconds']:g} s")
            raise TransientAdapterError(f"{url}: {what}") from None
        except httpclient.BodyTooLarge:
            raise PermanentAdapterError(
                f"{url}: the feed is larger than {MAX_FEED_BYTES // (1024 * 1024)} MB; "
                "Dengar reads feeds up to that size") from None
        except httpclient.HttpFailure as exc:
            error = TransientAdapterError if exc.transient else PermanentAdapterError
            raise error(f"{url}: {exc}") from None
        if response.status == 304 or 200 <= response.status < 300:
            return response
        raise self._http_error(response)

    def _http_error(self, response: httpclient.HttpResponse) -> Exception:
        reason = f"{response.url}: HTTP {response.status} {response.reason}".rstrip()
        if response.status in TRANSIENT_STATUSES or response.status >= 500:
            return TransientAdapterError(reason, retry_after=retry_after_seconds(response.headers, self.clock()))
        if response.status in (404, 410):
            return PermanentAdapterError(f"{reason}: the feed does not exist (any more)")
        if response.status in (401, 403):
            return PermanentAdapterError(f"{reason}: the feed server refuses to serve it to Dengar")
        if response.status in httpclient.REDIRECT_STATUSES:
            return PermanentAdapterError(f"{reason}: a redirect without a usable Location")
        return PermanentAdapterError(reason)


def _cursor(etag: str | None, last_modified: str | None, seen: list[str],
            health: Mapping[str, Any]) -> dict[str, Any]:
    cursor: dict[str, Any] = {"etag": etag or None, "last_modified": last_modified or None, "seen": list(seen)}
    if health:
        cursor["health"] = dict(health)
    return cursor


def _read_cursor(cursor: Any) -> tuple[str | None, str | None, list[str], dict[str, Any]]:
    if cursor is None or cursor == {}:
        return None, None, [], {}
    if isinstance(cursor, Mapping) and set(cursor) <= CURSOR_KEYS:
        etag, last_modified, seen = cursor.get("etag"), cursor.get("last_modified"), cursor.get("seen", [])
        health = cursor.get("health", {})
        if (
            (etag is None or isinstance(etag, str))
            and (last_modified is None or isinstance(last_modified, str))
            and isinstance(seen, list) and all(isinstance(i, str) for i in seen)
            and isinstance(health, Mapping)
        ):
            return etag, last_modified, seen[:SEEN_LIMIT], dict(health)
    raise PermanentAdapterError(
        f"unreadable cursor {cursor!r}: expected {{'etag': ..., 'last_modified': ..., 'seen': [...]}}"
    )
