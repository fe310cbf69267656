"""Outgoing HTTP that may reach only public addresses: for anything whose URL a tenant sets
(feeds, webhooks), so that nobody can make Dengar's servers call internal services or a cloud
metadata endpoint. Pure Python: adapters use it too.

Resolve the host once, refuse it if ANY address is not public, then connect only to the
addresses that were checked, never resolving the name again (a name that answers a public
address to the check and a private one to the connection, "DNS rebinding", gets nowhere).

A connection may also be given a deadline (a ``time.monotonic()`` instant): every connect,
receive and send then waits at most the per-read timeout and never past the deadline, so a
server that trickles one byte every few seconds cannot hold the caller longer than that.
"""

from __future__ import annotations

import functools
import http.client
import ipaddress
import socket
import ssl
import time
import urllib.request
from typing import Any

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class ForbiddenAddress(ValueError):
    """A host is, or resolves to, an address that is not public."""

    def __init__(self, host: str, ip: IPAddress) -> None:
        # What the name resolves to stays out of the message: it is shown to the tenant (a
        # source's or a delivery's last_error), and would map the internal network for them.
        super().__init__(f"{host}: not a public address")
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


class DeadlinePassed(TimeoutError):
    """A connection's deadline passed before the exchange was complete."""


def _wait_for(deadline: float | None, timeout: float | None) -> float | None:
    """How long the next socket operation may wait: the timeout, cut to what is left of the
    deadline; DeadlinePassed when nothing is left."""
    if deadline is None:
        return timeout
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise DeadlinePassed("the deadline passed")
    return remaining if timeout is None else min(timeout, remaining)


def _bounded(sock: Any, call: Any, *args: Any) -> Any:
    """``call(*args)`` on ``sock`` within its read timeout and its deadline; a timeout at the
    deadline is DeadlinePassed, so that the caller can tell a trickle from a silence."""
    sock.settimeout(_wait_for(sock.deadline, sock.read_timeout))
    try:
        return call(*args)
    except TimeoutError:
        if sock.deadline is not None and time.monotonic() >= sock.deadline:
            raise DeadlinePassed("the deadline passed") from None
        raise


class _Bounded:
    """Every receive and send of the socket it is mixed into bounded by a deadline as well as a
    timeout."""

    deadline: float | None = None
    read_timeout: float | None = None

    # [misc] below: super() is the socket class this is mixed into, which mypy cannot see.

    def recv(self, *args: Any) -> bytes:
        return _bounded(self, super().recv, *args)  # type: ignore[misc]

    def recv_into(self, *args: Any) -> int:
        return _bounded(self, super().recv_into, *args)  # type: ignore[misc]

    def send(self, *args: Any) -> int:
        return _bounded(self, super().send, *args)  # type: ignore[misc]

    def sendall(self, *args: Any) -> None:
        _bounded(self, super().sendall, *args)  # type: ignore[misc]


class _DeadlineSocket(_Bounded, socket.socket):
    """A plain socket under a deadline."""


class _DeadlineSSLSocket(_Bounded, ssl.SSLSocket):
    """The same over TLS (SSLSocket reads and writes the connection itself, not through the
    plain socket it wrapped)."""


def _connect(host: str, addresses: list[str] | None, port: int, timeout: float | None,
             source_address: tuple[str, int] | None, deadline: float | None) -> socket.socket:
    """Like socket.create_connection, over already vetted addresses instead of a fresh lookup
    (``addresses`` None: the name is resolved as usual), and bounded by ``deadline``."""
    error: OSError | None = None
    sock: socket.socket | None = None
    for address in addresses if addresses is not None else [host]:
        try:
            sock = socket.create_connection((address, port), _wait_for(deadline, timeout), source_address)
            break
        except TimeoutError as exc:
            if deadline is not None and time.monotonic() >= deadline:
                raise DeadlinePassed("the deadline passed") from None
            error = exc
        except OSError as exc:
            error = exc
    if sock is None:
        raise error or OSError("no address to connect to")
    if deadline is None:
        return sock
    bounded = _DeadlineSocket(sock.family, sock.type, sock.proto, fileno=sock.detach())
    bounded.deadline, bounded.read_timeout = deadline, timeout
    return bounded


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, addresses: list[str] | None, deadline: float | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._addresses, self._deadline = addresses, deadline

    def connect(self) -> None:
        # The Host header still names the configured host (self.host): only the socket is pinned.
        self.sock = _connect(self.host, self._addresses, self.port, self.timeout,
                             self.source_address,  # type: ignore[attr-defined]  # set by __init__; not in typeshed
                             self._deadline)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, addresses: list[str] | None, tls: ssl.SSLContext,
                 deadline: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, context=tls, **kwargs)
        self._addresses, self._tls, self._deadline = addresses, tls, deadline

    def connect(self) -> None:
        sock = _connect(self.host, self._addresses, self.port, self.timeout,
                        self.source_address,  # type: ignore[attr-defined]  # set by __init__; not in typeshed
                        self._deadline)
        # The certificate is verified against the configured host name, as without pinning.
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)
        if isinstance(self.sock, _DeadlineSSLSocket):
            self.sock.deadline, self.sock.read_timeout = self._deadline, self.timeout


class PinnedHTTPHandler(urllib.request.HTTPHandler):
    """Connects only to ``addresses`` (None: wherever the name resolves), within ``deadline``."""

    def __init__(self, addresses: list[str] | None, *, deadline: float | None = None) -> None:
        super().__init__()
        self._addresses, self._deadline = addresses, deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(
            functools.partial(_PinnedHTTPConnection, addresses=self._addresses, deadline=self._deadline), req
        )


class PinnedHTTPSHandler(urllib.request.HTTPSHandler):
    """Connects only to ``addresses`` (None: wherever the name resolves), within ``deadline``."""

    def __init__(self, addresses: list[str] | None, *, deadline: float | None = None) -> None:
        super().__init__()
        self._addresses, self._deadline = addresses, deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        tls = ssl.create_default_context()
        if self._deadline is not None:
            tls.sslsocket_class = _DeadlineSSLSocket
        connection = functools.partial(_PinnedHTTPSConnection, addresses=self._addresses, tls=tls,
                                       deadline=self._deadline)
        return self.do_open(connection, req)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect would resend (or drop) a signed body somewhere the admin did not configure, and
    # would lead past the address check.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None
