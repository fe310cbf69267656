"""An API says what went wrong in the body of its 4xx: the HTTP client reads it when asked."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from workers.adapters import httpclient

ERROR = b'{"error": {"message": "Error validating access token", "type": "OAuthException", "code": 190}}'


@pytest.fixture
def refusing_api() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the name http.server calls
            self.send_response(400)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(ERROR)))
            self.end_headers()
            self.wfile.write(ERROR)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v21.0/me"
    server.shutdown()
    server.server_close()


def test_the_body_of_a_refusal_is_read_when_asked(refusing_api):
    response = httpclient.http_request(refusing_api, allow_private=True, error_bodies=True)
    assert (response.status, response.body) == (400, ERROR)


def test_it_is_left_unread_otherwise(refusing_api):
    assert httpclient.http_request(refusing_api, allow_private=True).body == b""


def test_a_refusal_larger_than_the_limit_is_too_large(refusing_api):
    with pytest.raises(httpclient.BodyTooLarge):
        httpclient.http_request(refusing_api, allow_private=True, error_bodies=True, max_bytes=10)
