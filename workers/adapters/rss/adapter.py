"""A source that reads an RSS 2.0 or Atom feed over HTTP.

One GET per fetch, conditional on the ETag and Last-Modified the cursor remembers (304: nothing
new, the cursor stays). The cursor also holds the ids of the newest items delivered, at most
``SEEN_LIMIT``, so an item is delivered once however long it stays in the feed, and the cursor
never grows with the feed's history.

Unless it is built with ``allow_private=True``, the adapter refuses a feed whose host is, or
resolves to, an address that is not public (private, loopback, link-local, cloud metadata…), on
the first request and on every redirect, and connects only to the addresses it vetted: a
tenant's admin must not make Dengar's workers read its internal services. The decision is the
deployment's (DENGAR["FEEDS_ALLOW_PRIVATE"]); it is given to the constructor, so this class never
reads Django settings. Refusals say that the address is not public, never what a name resolves
to: the message is shown on the source's health to the tenant.

A fetch has a total deadline (``deadline_seconds``, also the deployment's) over connecting,
redirects, headers and body, besides the per-read ``timeout_seconds``: a server that sends one
byte every few seconds never trips a per-read timeout, and would otherwise hold a worker for ever.
"""

from __future__ import annotations

import http.client
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from typing import Any

from workers.adapters.base import (
    ConfigField,
    ConfigSchema,
    FetchResult,
    PermanentAdapterError,
    RawMention,
    SourceAdapter,
    TransientAdapterError,
)
from workers.adapters.netguard import (
    DeadlinePassed,
    ForbiddenAddress,
    NoRedirects,
    PinnedHTTPHandler,
    PinnedHTTPSHandler,
    public_addresses,
)
from workers.adapters.rss.parsing import FeedError, parse_feed

Clock = Callable[[], datetime]

logger = logging.getLogger("dengar.adapters.rss")

USER_AGENT = "Dengar/0.1"
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
MAX_FEED_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
SEEN_LIMIT = 500
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
DEFAULT_DEADLINE_SECONDS = 60.0


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
        etag, last_modified, seen = _read_cursor(cursor)
        headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "gzip"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        deadline = time.monotonic() + self.deadline_seconds
        url, response = self._get(self.config["url"], headers, deadline)
        if response is None:  # 304 Not Modified
            return FetchResult(mentions=[], next_cursor=_cursor(etag, last_modified, seen))
        with response:
            body = self._read_body(response, deadline)
            new_etag = response.headers.get("ETag")
            new_last_modified = response.headers.get("Last-Modified")
        try:
            items = parse_feed(body, base_url=url, platform=self.config["platform"])
        except FeedError as exc:
            raise PermanentAdapterError(f"{self.config['url']}: {exc}") from None

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
            next_cursor=_cursor(new_etag, new_last_modified, next_seen),
            has_more=cut,
        )

    def _get(
        self, url: str, headers: dict[str, str], deadline: float
    ) -> tuple[str, http.client.HTTPResponse | None]:
        """The response to a GET of ``url``, after redirects, and the URL it came from; no
        response when the server says the feed has not changed (304)."""
        timeout = self.config["timeout_seconds"]
        for _ in range(MAX_REDIRECTS + 1):
            opener = self._opener(url, deadline)
            request = urllib.request.Request(url, headers=headers)  # noqa: S310 - scheme checked
            try:
                return url, opener.open(request, timeout=timeout)
            except urllib.error.HTTPError as exc:
                exc.close()
                if exc.code == 304:
                    return url, None
                location = exc.headers.get("Location") if exc.code in REDIRECT_STATUSES else None
                if not location:
                    raise self._http_error(url, exc) from None
                url = urllib.parse.urljoin(url, location)
                if url_problem(url):
                    raise PermanentAdapterError(
                        f"{self.config['url']} redirects to {url!r}, not a feed address") from None
            except TimeoutError as exc:
                raise self._timed_out(url, exc) from None
            except urllib.error.URLError as exc:
                if isinstance(exc.reason, TimeoutError):
                    raise self._timed_out(url, exc.reason) from None
                raise TransientAdapterError(f"{url}: cannot connect ({exc.reason})") from None
            except (http.client.HTTPException, OSError) as exc:
                raise TransientAdapterError(f"{url}: connection failed ({type(exc).__name__}: {exc})") from None
        raise PermanentAdapterError(f"{self.config['url']}: more than {MAX_REDIRECTS} redirects")

    def _timed_out(self, url: str, exc: BaseException) -> TransientAdapterError:
        if isinstance(exc, DeadlinePassed):
            return TransientAdapterError(
                f"{url}: the feed did not arrive in full within {self.deadline_seconds:g} s")
        return TransientAdapterError(f"{url}: no answer within {self.config['timeout_seconds']:g} s")

    def _opener(self, url: str, deadline: float) -> urllib.request.OpenerDirector:
        # Environment proxies are never used: a proxy would resolve the name itself, past the check.
        addresses: list[str] | None = None
        if not self.allow_private:
            parts = urllib.parse.urlsplit(url)
            host = parts.hostname or ""
            port = parts.port or (443 if parts.scheme == "https" else 80)
            addresses = self._vetted_addresses(host, port)
        return urllib.request.build_opener(
            urllib.request.ProxyHandler({}), NoRedirects,
            PinnedHTTPHandler(addresses, deadline=deadline), PinnedHTTPSHandler(addresses, deadline=deadline),
        )

    def _vetted_addresses(self, host: str, port: int) -> list[str]:
        try:
            return public_addresses(host, port)
        except ForbiddenAddress as exc:
            # The operator's log may say where the name points; the source's health may not.
            logger.warning("rss feed refused: %s resolves to %s, not a public address", host, exc.ip)
            raise PermanentAdapterError(
                f"{host}: not a public address; feeds may only be read from public addresses "
                "(DENGAR_FEEDS_ALLOW_PRIVATE=1 allows private ones)"
            ) from None
        except OSError as exc:
            raise TransientAdapterError(f"cannot resolve {host}: {exc}") from None

    def _http_error(self, url: str, exc: urllib.error.HTTPError) -> Exception:
        reason = f"{url}: HTTP {exc.code} {exc.reason or ''}".rstrip()
        if exc.code in TRANSIENT_STATUSES or exc.code >= 500:
            return TransientAdapterError(reason, retry_after=retry_after_seconds(exc.headers, self.clock()))
        if exc.code in (404, 410):
            return PermanentAdapterError(f"{reason}: the feed does not exist (any more)")
        if exc.code in (401, 403):
            return PermanentAdapterError(f"{reason}: the feed server refuses to serve it to Dengar")
        return PermanentAdapterError(reason)

    def _read_body(self, response: http.client.HTTPResponse, deadline: float) -> bytes:
        try:
            return _read_body(response)
        except TransientAdapterError:
            if time.monotonic() >= deadline:
                raise self._timed_out(response.geturl(), DeadlinePassed()) from None
            raise


def retry_after_seconds(headers: Message | None, now: datetime) -> float | None:
    """The Retry-After header in seconds, given as seconds or as an HTTP date; None if absent."""
    value = (headers.get("Retry-After") if headers is not None else None) or ""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _read_body(response: http.client.HTTPResponse) -> bytes:
    length = response.headers.get("Content-Length")
    if length and length.isdigit() and int(length) > MAX_FEED_BYTES:
        raise _too_large(response.geturl())
    try:
        body = response.read(MAX_FEED_BYTES + 1)
    except (TimeoutError, http.client.HTTPException, OSError) as exc:
        raise TransientAdapterError(f"{response.geturl()}: reading the feed failed ({exc})") from None
    if len(body) > MAX_FEED_BYTES:
        raise _too_large(response.geturl())
    coding = (response.headers.get("Content-Encoding") or "identity").strip().lower()
    if coding in ("gzip", "x-gzip", "deflate"):
        # Bounded, so a small compressed body cannot unpack into gigabytes.
        inflater = zlib.decompressobj(wbits=47)  # 32 + 15: a gzip or zlib header, detected
        try:
            body = inflater.decompress(body, MAX_FEED_BYTES + 1)
        except zlib.error as exc:
            raise PermanentAdapterError(f"{response.geturl()}: the compressed feed is corrupt ({exc})") from None
        if len(body) > MAX_FEED_BYTES or inflater.unconsumed_tail:
            raise _too_large(response.geturl())
    elif coding != "identity":
        raise PermanentAdapterError(f"{response.geturl()}: unsupported Content-Encoding {coding!r}")
    return body


def _too_large(url: str) -> PermanentAdapterError:
    return PermanentAdapterError(
        f"{url}: the feed is larger than {MAX_FEED_BYTES // (1024 * 1024)} MB; Dengar reads feeds up to that size"
    )


def _cursor(etag: str | None, last_modified: str | None, seen: list[str]) -> dict[str, Any]:
    return {"etag": etag or None, "last_modified": last_modified or None, "seen": list(seen)}


def _read_cursor(cursor: Any) -> tuple[str | None, str | None, list[str]]:
    if cursor is None or cursor == {}:
        return None, None, []
    if isinstance(cursor, Mapping) and set(cursor) <= {"etag", "last_modified", "seen"}:
        etag, last_modified, seen = cursor.get("etag"), cursor.get("last_modified"), cursor.get("seen", [])
        if (
            (etag is None or isinstance(etag, str))
            and (last_modified is None or isinstance(last_modified, str))
            and isinstance(seen, list) and all(isinstance(i, str) for i in seen)
        ):
            return etag, last_modified, seen[:SEEN_LIMIT]
    raise PermanentAdapterError(
        f"unreadable cursor {cursor!r}: expected {{'etag': ..., 'last_modified': ..., 'seen': [...]}}"
    )
