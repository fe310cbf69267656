"""The one HTTP client for addresses a tenant sets: public addresses only unless the deployment
allows others, a size limit, statuses as answers, and Retry-After read in one place."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from tests.workers.test_rss_adapter import server  # noqa: F401 - the local server fixture
from workers.adapters import httpclient
from workers.adapters.httpclient import http_request, retry_after_seconds

NOW = datetime(2024, 6, 4, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("value", "seconds"), [
    ("120", 120.0),
    (" 7 ", 7.0),
    (format_datetime(NOW + timedelta(minutes=5), usegmt=True), 300.0),
    (format_datetime(NOW - timedelta(minutes=5), usegmt=True), 0.0),  # already passed: now
    ("Tue, 04 Jun 2024 12:01:00 -0000", 60.0),  # a date with no zone is UTC
    ("-5", 0.0),
    ("soon", None),
    ("nan", None),
    ("", None),
])
def test_retry_after_is_read_as_seconds_or_as_a_date(value, seconds):
    assert retry_after_seconds({"Retry-After": value}, NOW) == seconds


def test_retry_after_is_none_without_the_header():
    assert retry_after_seconds({}, NOW) is None
    assert retry_after_seconds(None, NOW) is None


def test_it_refuses_a_private_address_unless_allowed(server):  # noqa: F811
    url = server.serve("/x", b"hello")
    with pytest.raises(httpclient.AddressRefused, match="127.0.0.1: not a public address") as refused:
        http_request(url)
    assert refused.value.transient is False
    assert server.requests == []
    assert http_request(url, allow_private=True).body == b"hello"


def test_a_status_is_an_answer_not_an_error(server):  # noqa: F811
    url = server.serve("/busy", b"", status=429, **{"Retry-After": "30"})
    response = http_request(url, allow_private=True)
    assert (response.status, retry_after_seconds(response.headers, NOW)) == (429, 30.0)


def test_redirects_are_followed_only_when_asked(server):  # noqa: F811
    server.serve("/old", b"", status=301, Location="/new")
    server.serve("/new", b"moved")
    assert http_request(server.url("/old"), allow_private=True).status == 301
    followed = http_request(server.url("/old"), allow_private=True, max_redirects=1)
    assert (followed.status, followed.body, followed.url) == (200, b"moved", server.url("/new"))


def test_a_redirect_to_another_scheme_is_not_followed(server):  # noqa: F811
    server.serve("/old", b"", status=302, Location="file:///etc/passwd")
    with pytest.raises(httpclient.UnusableAddress, match="not an http"):
        http_request(server.url("/old"), allow_private=True, max_redirects=3)


def test_the_size_limit_holds_before_and_after_unpacking(server):  # noqa: F811
    with pytest.raises(httpclient.BodyTooLarge):
        http_request(server.serve("/big", b"x" * 2048), allow_private=True, max_bytes=1024)
    with pytest.raises(httpclient.BodyTooLarge):
        http_request(server.serve("/bomb", gzip.compress(b" " * 100_000), **{"Content-Encoding": "gzip"}),
                     allow_private=True, max_bytes=1024)
    small = http_request(server.serve("/ok", gzip.compress(b"fine"), **{"Content-Encoding": "gzip"}),
                         allow_private=True, max_bytes=1024)
    assert small.body == b"fine"


def test_a_glance_takes_the_start_of_the_answer_as_sent(server):  # noqa: F811
    response = http_request(server.serve("/long", b"y" * 4096), allow_private=True, max_bytes=1024, truncate=True)
    assert (len(response.body), response.truncated) == (1024, True)
