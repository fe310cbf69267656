"""Dengar's one HTTP client for addresses a tenant sets (feeds, alert webhooks).

One exchange under every guard at once (the guards themselves are in ``netguard``):

- unless the caller allows private addresses (a deployment's decision), the host is resolved once,
  refused if ANY address is not public, and the connection is pinned to the vetted addresses, on
  the first request and on every redirect followed;
- a total time budget over connecting, redirects, headers and body, besides the per-read
  timeout, so a server trickling one byte every few seconds cannot hold a worker;
- a size limit on the body, checked before reading (Content-Length) and while reading, and again
  after a gzip or deflate body is unpacked, so a small compressed body cannot unpack into gigabytes;
- environment proxies are never used: a proxy would resolve the name itself, past the check.

Statuses are not errors here: a 404, a 429 or a 304 comes back as a response, and the caller
decides what it means (``retry_after_seconds`` reads a Retry-After header for it). What cannot
give a response at all raises an ``HttpFailure`` that says whether trying again may help.
Pure Python: it reads no Django settings, so adapters and services both use it.
"""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime

from workers.adapters import netguard

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class HttpFailure(Exception):
    """No response could be had. ``transient``: trying again later may help."""

    transient = True


class AddressRefused(HttpFailure):
    """The host is, or resolves to, an address that is not public. The message never says what
    it resolves to (it is shown to tenants); ``ip`` is for the operator's log."""

    transient = False

    def __init__(self, host: str, ip: netguard.IPAddress) -> None:
        super().__init__(f"{host}: not a public address")
        self.host, self.ip = host, ip


class Unreachable(HttpFailure):
    """The name did not resolve, or the connection was refused, reset or broken."""


class TimedOut(HttpFailure):
    """No answer within the per-read timeout or, when ``whole`` is true, the exchange did not
    complete within the total time budget."""

    def __init__(self, message: str, *, whole: bool) -> None:
        super().__init__(message)
        self.whole = whole


class BodyTooLarge(HttpFailure):
    transient = False


class UnreadableBody(HttpFailure):
    """A corrupt compressed body, or a content coding Dengar does not read."""

    transient = False


class UnusableAddress(HttpFailure):
    """Not an http(s) address, an address with credentials in it, or too many redirects."""

    transient = False


@dataclass(frozen=True)
class HttpResponse:
    status: int
    reason: str
    url: str  # where the response came from, after the redirects followed
    headers: Message
    body: bytes
    truncated: bool = False  # only with ``truncate=True``: there was more than ``max_bytes``


def http_request(
    url: str, *, method: str = "GET", headers: Mapping[str, str] | None = None, data: bytes | None = None,
    allow_private: bool = False, timeout: float = 10.0, deadline_seconds: float = 60.0,
    max_bytes: int = 5 * 1024 * 1024, truncate: bool = False, max_redirects: int = 0,
    error_bodies: bool = False,
) -> HttpResponse:
    """One request to ``url`` (http or https), following at most ``max_redirects`` redirects (a
    redirect not followed comes back as the response). The body is read up to ``max_bytes`` and
    unpacked if it is compressed: more is BodyTooLarge. With ``truncate``, the body is only
    glanced at: its first ``max_bytes`` as sent, and ``truncated`` says whether there was more.
    The body of an answer other than 2xx is read only with ``error_bodies`` (an API that says
    what went wrong in it), under the same limits."""
    deadline = time.monotonic() + deadline_seconds
    for _ in range(max_redirects + 1):
        _check_url(url)
        opener = _opener(url, allow_private=allow_private, deadline=deadline)
        request = urllib.request.Request(url, data=data, headers=dict(headers or {}),  # noqa: S310
                                         method=method)
        response = _exchange(opener, request, timeout=timeout, deadline=deadline, deadline_seconds=deadline_seconds,
                             max_bytes=max_bytes, truncate=truncate, error_bodies=error_bodies)
        location = response.headers.get("Location") if response.status in REDIRECT_STATUSES else None
        if not location or max_redirects == 0:
            return response
        url = urllib.parse.urljoin(url, location.strip())
    raise UnusableAddress(f"more than {max_redirects} redirects")


def retry_after_seconds(headers: Message | Mapping[str, str] | None, now: datetime) -> float | None:
    """The Retry-After header in seconds from ``now`` (given as seconds or as an HTTP date, never
    negative); None if absent or unreadable."""
    value = ((headers.get("Retry-After") if headers is not None else None) or "").strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - now).total_seconds()
    return max(0.0, seconds) if seconds == seconds and seconds != float("inf") else None


def _check_url(url: str) -> None:
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise UnusableAddress(f"{url!r} is not a valid address") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnusableAddress(f"{url!r} is not an http:// or https:// address")
    if parts.username is not None or parts.password is not None:
        raise UnusableAddress("an address with a user name or password is not requested")


def _opener(url: str, *, allow_private: bool, deadline: float) -> urllib.request.OpenerDirector:
    addresses: list[str] | None = None
    if not allow_private:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            addresses = netguard.public_addresses(host, port)
        except netguard.ForbiddenAddress as exc:
            raise AddressRefused(host, exc.ip) from None
        except OSError as exc:
            raise Unreachable(f"cannot resolve {host}: {exc}") from None
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}), netguard.NoRedirects,
        netguard.PinnedHTTPHandler(addresses, deadline=deadline),
        netguard.PinnedHTTPSHandler(addresses, deadline=deadline),
    )


def _exchange(opener: urllib.request.OpenerDirector, request: urllib.request.Request, *, timeout: float,
              deadline: float, deadline_seconds: float, max_bytes: int, truncate: bool,
              error_bodies: bool = False) -> HttpResponse:
    def timed_out(exc: BaseException) -> TimedOut:
        if isinstance(exc, netguard.DeadlinePassed) or time.monotonic() >= deadline:
            return TimedOut(f"no complete answer within {deadline_seconds:g} s", whole=True)
        return TimedOut(f"no answer within {timeout:g} s", whole=False)

    try:
        raw = opener.open(request, timeout=timeout)
    except urllib.error.HTTPError as exc:  # a status other than 2xx: an answer all the same
        try:
            body = _error_body(exc, max_bytes=max_bytes) if error_bodies else b""
        except TimeoutError as timeout_exc:
            raise timed_out(timeout_exc) from None
        finally:
            exc.close()
        return HttpResponse(exc.code, str(exc.reason or ""), request.full_url, exc.headers, body)
    except TimeoutError as exc:
        raise timed_out(exc) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise timed_out(exc.reason) from None
        raise Unreachable(f"cannot connect ({exc.reason})") from None
    except (http.client.HTTPException, OSError) as exc:
        raise Unreachable(f"connection failed ({type(exc).__name__}: {exc})") from None
    with raw:
        try:
            body, truncated = _read(raw, max_bytes=max_bytes, truncate=truncate)
        except TimeoutError as exc:
            raise timed_out(exc) from None
        except (http.client.HTTPException, OSError) as exc:
            raise Unreachable(f"reading the answer failed ({type(exc).__name__}: {exc})") from None
        return HttpResponse(raw.status, str(raw.reason or ""), raw.geturl(), raw.headers, body, truncated)


def _error_body(exc: urllib.error.HTTPError, *, max_bytes: int) -> bytes:
    """What an answer other than 2xx says, under the same limits as any body."""
    try:
        body, _ = _read(exc, max_bytes=max_bytes, truncate=False)  # type: ignore[arg-type]
    except (http.client.HTTPException, OSError) as read_exc:
        if isinstance(read_exc, TimeoutError):
            raise
        raise Unreachable(f"reading the answer failed ({type(read_exc).__name__}: {read_exc})") from None
    return body


def _read(raw: http.client.HTTPResponse, *, max_bytes: int, truncate: bool) -> tuple[bytes, bool]:
    length = raw.headers.get("Content-Length", "").strip()
    if not truncate and length.isdigit() and int(length) > max_bytes:
        raise _too_large(max_bytes)
    body = raw.read(max_bytes + 1)
    if truncate:  # a glance at the answer, as sent: never unpacked, never an error
        return body[:max_bytes], len(body) > max_bytes
    if len(body) > max_bytes:
        raise _too_large(max_bytes)
    coding = (raw.headers.get("Content-Encoding") or "identity").strip().lower()
    if coding in ("gzip", "x-gzip", "deflate"):
        inflater = zlib.decompressobj(wbits=47)  # 32 + 15: a gzip or zlib header, detected
        try:
            body = inflater.decompress(body, max_bytes + 1)
        except zlib.error as exc:
            raise UnreadableBody(f"the compressed answer is corrupt ({exc})") from None
        if len(body) > max_bytes or inflater.unconsumed_tail:
            raise _too_large(max_bytes)
    elif coding != "identity":
        raise UnreadableBody(f"unsupported Content-Encoding {coding!r}")
    return body, False


def _too_large(max_bytes: int) -> BodyTooLarge:
    size = f"{max_bytes // (1024 * 1024)} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes} bytes"
    return BodyTooLarge(f"the answer is larger than {size}; Dengar reads up to that size")
