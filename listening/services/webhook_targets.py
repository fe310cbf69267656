"""Where an alert webhook may go.

Unless DENGAR["WEBHOOK_ALLOW_PRIVATE"], a webhook may reach only public addresses: an admin of
one tenant must not make Dengar's servers call its internal services or a cloud metadata
endpoint. The API refuses targets that are such an address literally; delivery resolves the
host, refuses it if ANY address is not public, and then connects to the addresses it vetted,
never resolving the name a second time (so a name that answers a public address to the check
and a private one to the connection, "DNS rebinding", gets nowhere).
"""

from __future__ import annotations

import functools
import http.client
import ipaddress
import socket
import ssl
import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class WebhookTargetRefused(ValueError):
    """The webhook's host is, or resolves to, an address webhooks may not reach."""


def webhooks_may_reach_private() -> bool:
    return bool(settings.DENGAR.get("WEBHOOK_ALLOW_PRIVATE", False))


def address_forbidden(ip: IPAddress) -> bool:
    """Private, loopback, link-local, multicast, reserved, unspecified, or otherwise not global
    (shared 100.64/10, documentation ranges…); an IPv4-mapped IPv6 address is judged as IPv4."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
            or ip.is_reserved or ip.is_unspecified or not ip.is_global)


def literal_address(host: str) -> IPAddress | None:
    """The address ``host`` spells, in any form the resolver accepts ("127.1", "2130706433"),
    or None for a name."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, ValueError):
        return None


def webhook_host_refusal(host: str) -> str | None:
    """Why a webhook may not target ``host`` as written (a literal address or localhost), if so.
    A name is judged at delivery, once resolved."""
    if webhooks_may_reach_private():
        return None
    name = host.lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return f"{host} is this server: webhooks may only reach public addresses."
    ip = literal_address(name)
    if ip is not None and address_forbidden(ip):
        return f"{ip} is not a public address: webhooks may only reach public addresses."
    return None


def webhook_addresses(host: str, port: int) -> list[str]:
    """Resolve ``host`` and vet every address; WebhookTargetRefused if any is not public (one bad
    address is enough: which one a connection gets is the resolver's choice, not ours)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[str] = []
    for *_, sockaddr in infos:
        ip = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])  # drop an IPv6 zone id
        if address_forbidden(ip):
            raise WebhookTargetRefused(
                f"{host} resolves to {ip}, which is not a public address; webhooks may only reach "
                "public addresses (DENGAR_WEBHOOK_ALLOW_PRIVATE=1 allows private ones)")
        if str(ip) not in addresses:
            addresses.append(str(ip))
    if not addresses:
        raise socket.gaierror(f"{host} has no address")
    return addresses


def _connect_pinned(addresses: list[str], port: int, timeout: float | None,
                    source_address: tuple[str, int] | None) -> socket.socket:
    """Like socket.create_connection, over already vetted addresses instead of a fresh lookup."""
    error: OSError | None = None
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout, source_address)
        except OSError as exc:
            error = exc
    raise error or OSError("no address to connect to")


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, addresses: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._addresses = addresses

    def connect(self) -> None:
        # The Host header still names the configured host (self.host): only the socket is pinned.
        self.sock = _connect_pinned(self._addresses, self.port, self.timeout, self.source_address)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, addresses: list[str], tls: ssl.SSLContext, **kwargs: Any) -> None:
        super().__init__(*args, context=tls, **kwargs)
        self._addresses, self._tls = addresses, tls

    def connect(self) -> None:
        sock = _connect_pinned(self._addresses, self.port, self.timeout, self.source_address)
        # The certificate is verified against the configured host name, as without pinning.
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)


class PinnedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, addresses: list[str]) -> None:
        super().__init__()
        self._addresses = addresses

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_PinnedHTTPConnection, addresses=self._addresses), req)


class PinnedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, addresses: list[str]) -> None:
        super().__init__()
        self._addresses = addresses

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        connection = functools.partial(_PinnedHTTPSConnection, addresses=self._addresses,
                                       tls=ssl.create_default_context())
        return self.do_open(connection, req)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect would resend (or drop) a signed body somewhere the admin did not configure, and
    # would lead past the address check.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_unchecked_opener = urllib.request.build_opener(NoRedirects)


def webhook_opener(url: urllib.parse.SplitResult) -> urllib.request.OpenerDirector:
    """The opener to POST to ``url`` with; never follows redirects.

    Unless private addresses are allowed, the host is resolved now (WebhookTargetRefused if any
    address is not public, OSError if it does not resolve) and the opener connects only to those
    addresses. Environment proxies are then not used: a proxy would resolve the name again, and
    the check would mean nothing."""
    if webhooks_may_reach_private():
        return _unchecked_opener
    host = url.hostname or ""
    port = url.port or (443 if url.scheme == "https" else 80)
    addresses = webhook_addresses(host, port)
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}), NoRedirects,
        PinnedHTTPHandler(addresses), PinnedHTTPSHandler(addresses),
    )
