"""Outgoing HTTP that may reach only public addresses: for anything whose URL a tenant sets
(feeds, webhooks), so that nobody can make Dengar's servers call internal services or a cloud
metadata endpoint. Pure Python: adapters use it too.

Resolve the host once, refuse it if ANY address is not public, then connect only to the
addresses that were checked, never resolving the name again (a name that answers a public
address to the check and a private one to the connection, "DNS rebinding", gets nowhere).
"""

from __future__ import annotations

import functools
import http.client
import ipaddress
import socket
import ssl
import urllib.request
from typing import Any

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class ForbiddenAddress(ValueError):
    """A host is, or resolves to, an address that is not public."""

    def __init__(self, host: str, ip: IPAddress) -> None:
        super().__init__(f"{host} resolves to {ip}, which is not a public address")
        self.host, self.ip = host, ip


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


def public_addresses(host: str, port: int) -> list[str]:
    """Resolve ``host`` and vet every address: ForbiddenAddress if any is not public (one bad
    address is enough: which one a connection gets is the resolver's choice, not ours),
    socket.gaierror if it does not resolve."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[str] = []
    for *_, sockaddr in infos:
        ip = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])  # drop an IPv6 zone id
        if address_forbidden(ip):
            raise ForbiddenAddress(host, ip)
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
