"""A feed server on 127.0.0.1 that answers, but a byte at a time: no read ever waits long enough to
trip a per-read timeout, and the answer never ends."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 1000000\r\n\r\n"


@dataclass
class SlowDrip:
    url: str
    # "body": headers at once, then the body one byte every ``every`` seconds;
    # "headers": the status line and headers themselves, one byte at a time, for ever.
    mode: str
    every: float
    connections: int = 0
    stop: threading.Event = field(default_factory=threading.Event)


def _serve(listener: socket.socket, drip: SlowDrip) -> None:
    while not drip.stop.is_set():
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            continue
        except OSError:
            return
        drip.connections += 1
        threading.Thread(target=_drip, args=(conn, drip), daemon=True).start()


def _drip(conn: socket.socket, drip: SlowDrip) -> None:
    with conn, contextlib.suppress(OSError):
        conn.settimeout(5)
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = conn.recv(4096)
            if not chunk:
                return
            request += chunk
        if drip.mode == "body":
            conn.sendall(HEAD)
            stream = b'<?xml version="1.0"?><rss version="2.0"><channel>' + b" " * 10**6
        else:
            stream = b"HTTP/1.1 200 OK\r\nX-Padding: " + b"a" * 10**6
        for byte in stream:
            if drip.stop.wait(drip.every):
                return
            conn.sendall(bytes([byte]))


@contextlib.contextmanager
def slow_drip_server(*, mode: str = "body", every: float = 1.0) -> Iterator[SlowDrip]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    drip = SlowDrip(url=f"http://127.0.0.1:{listener.getsockname()[1]}/feed.rss", mode=mode, every=every)
    thread = threading.Thread(target=_serve, args=(listener, drip), daemon=True)
    thread.start()
    try:
        yield drip
    finally:
        drip.stop.set()
        listener.close()
        thread.join(5)
