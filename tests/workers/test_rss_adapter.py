"""The "rss" kind: RSS 2.0 and Atom over real HTTP, from a local server serving recorded feeds."""

from __future__ import annotations

import gzip
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from listening.models import Mention, Source
from listening.services.sources import source_poll_once
from tests import factories
from workers.adapters import netguard, registry
from workers.adapters.base import ConfigError, PermanentAdapterError, TransientAdapterError
from workers.adapters.rss import adapter as rss_module
from workers.adapters.rss.adapter import SEEN_LIMIT, RssAdapter

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rss"
RSS = (FIXTURES / "rss2_sample.xml").read_bytes()
ATOM = (FIXTURES / "atom_sample.xml").read_bytes()
BOMB = (FIXTURES / "entity_bomb.xml").read_bytes()
BAD_DATE = (FIXTURES / "bad_date.xml").read_bytes()

Reply = tuple[int, dict[str, str], bytes]


@dataclass
class FeedServer:
    """A real HTTP server on 127.0.0.1: each path answers with what its route returns."""

    base: str
    routes: dict[str, Callable[[dict[str, str]], Reply]] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def serve(self, path: str, body: bytes, status: int = 200, **headers: str) -> str:
        self.routes[path] = lambda _: (status, {"Content-Type": "application/xml", **headers}, body)
        return self.url(path)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    feeds = FeedServer(base="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the name http.server calls
            headers = {k.lower(): v for k, v in self.headers.items()}
            feeds.requests.append((self.path, headers))
            route = feeds.routes.get(self.path)
            status, extra, body = route(headers) if route else (404, {}, b"not found")
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    feeds.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield feeds
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def rss_adapter(url: str, **config: object) -> RssAdapter:
    # The test server is on loopback: allowed here explicitly, as DENGAR_FEEDS_ALLOW_PRIVATE=1 would.
    return RssAdapter({"url": url, **config}, allow_private=True)


def feed_of(ids: list[str]) -> bytes:
    items = "".join(
        f"<item><title>Acme post {i}</title><guid>{i}</guid>"
        f"<pubDate>Mon, 03 Jun 2024 07:00:00 +0000</pubDate></item>" for i in ids
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()


# --- parsing -------------------------------------------------------------------------------------

def test_it_reads_an_rss_2_feed(server):
    result = rss_adapter(server.serve("/forum.rss", RSS)).fetch(cursor=None)

    assert [m.external_id for m in result.mentions] == [
        "forum-post-4411", "https://forum.example.com/t/4409", f"{server.base}/t/4402"]
    first, second, third = result.mentions
    assert first.text == "Acme order #4411 still not delivered\n\nOrdered from Acme two weeks ago & still nothing. " \
                         "Anyone else?"
    assert first.published_at == datetime(2024, 6, 4, 9, 15, tzinfo=UTC)
    assert (first.author_handle, first.url, first.platform) == ("rina_w", "https://forum.example.com/t/4411", "rss")
    assert second.text.endswith("Credit where it's due: the Acme chat agent sorted it — thanks!")
    assert second.published_at == datetime(2024, 6, 4, 1, 2, 10, tzinfo=UTC)
    assert second.author_handle == "Budi"
    # No guid: the link, made absolute against the feed's address, is the id; content:encoded is the body.
    assert third.url == f"{server.base}/t/4402"
    assert third.text == "Acme app keeps logging me out\n\nSince the update the Acme app logs me out every hour."
    assert result.has_more is False


def test_it_reads_an_atom_feed(server):
    result = rss_adapter(server.serve("/acme.atom", ATOM), platform="reviews").fetch(cursor=None)

    first, second = result.mentions
    assert first.external_id == "tag:reviews.example.org,2024:post-981"
    assert first.text == "Acme X2 review: fast, but the battery\n\nThe Acme X2 is quick & light. Battery: poor."
    assert first.published_at == datetime(2024, 6, 4, 2, 45, tzinfo=UTC)  # 09:45 at +07:00
    assert (first.author_handle, first.url, first.platform) == (
        "Siti Rahma", "https://reviews.example.org/p/981", "reviews")
    # Without <published>, <updated>; the feed's author; the alternate link, not the edit link; xhtml content.
    assert second.published_at == datetime(2024, 6, 3, 18, 0, tzinfo=UTC)
    assert (second.author_handle, second.url) == ("Reviews desk", "https://reviews.example.org/p/977")
    assert second.text == "Acme refund took a month\n\nReturned it on day one. The Acme refund came a month later."


def test_it_sends_its_user_agent_and_reads_a_gzipped_feed(server):
    url = server.serve("/gz.rss", gzip.compress(RSS), **{"Content-Encoding": "gzip"})
    assert len(rss_adapter(url).fetch(cursor=None).mentions) == 3
    assert server.requests[0][1]["user-agent"] == "Dengar/0.1"


def test_it_follows_a_redirect(server):
    server.serve("/feed", b"", status=301, Location="/forum.rss")
    server.serve("/forum.rss", RSS)
    assert len(rss_adapter(server.url("/feed")).fetch(cursor=None).mentions) == 3


# --- the cursor ----------------------------------------------------------------------------------

def test_a_304_returns_nothing_and_keeps_the_cursor(server):
    def conditional(headers: dict[str, str]) -> Reply:
        if headers.get("if-none-match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return 200, {"ETag": '"v1"', "Last-Modified": "Tue, 04 Jun 2024 09:30:00 GMT"}, RSS

    server.routes["/forum.rss"] = conditional
    adapter = rss_adapter(server.url("/forum.rss"))
    first = adapter.fetch(cursor=None)
    assert first.next_cursor["etag"] == '"v1"'
    assert first.next_cursor["last_modified"] == "Tue, 04 Jun 2024 09:30:00 GMT"

    second = adapter.fetch(cursor=first.next_cursor)

    assert (list(second.mentions), second.next_cursor, second.has_more) == ([], first.next_cursor, False)
    sent = server.requests[-1][1]
    assert (sent["if-none-match"], sent["if-modified-since"]) == ('"v1"', "Tue, 04 Jun 2024 09:30:00 GMT")
    assert "if-none-match" not in server.requests[0][1]


def test_it_does_not_deliver_an_item_twice(server):
    url = server.serve("/feed.rss", feed_of(["b", "a"]))
    adapter = rss_adapter(url)
    first = adapter.fetch(cursor=None)
    assert [m.external_id for m in first.mentions] == ["b", "a"]

    server.serve("/feed.rss", feed_of(["c", "b", "a"]))  # no validators: the whole feed comes again
    second = adapter.fetch(cursor=first.next_cursor)

    assert [m.external_id for m in second.mentions] == ["c"]
    assert second.next_cursor["seen"] == ["c", "b", "a"]
    assert [m.external_id for m in adapter.fetch(cursor=second.next_cursor).mentions] == []


def test_the_seen_ids_stay_bounded_keeping_the_newest(server):
    url = server.serve("/feed.rss", feed_of([f"old{i}" for i in range(400)]))
    adapter = rss_adapter(url)
    cursor = adapter.fetch(cursor=None).next_cursor

    server.serve("/feed.rss", feed_of([f"new{i}" for i in range(300)]))
    result = adapter.fetch(cursor=cursor)

    seen = result.next_cursor["seen"]
    assert len(result.mentions) == 300
    assert len(seen) == SEEN_LIMIT
    assert seen[:300] == [f"new{i}" for i in range(300)]
    assert seen[300:] == [f"old{i}" for i in range(200)]


def test_a_feed_longer_than_max_items_is_delivered_over_several_fetches(server):
    def tagged(_: dict[str, str]) -> Reply:
        return 200, {"ETag": '"v1"'}, feed_of(["e", "d", "c", "b", "a"])

    server.routes["/feed.rss"] = tagged
    adapter = rss_adapter(server.url("/feed.rss"), max_items=3)
    first = adapter.fetch(cursor=None)
    assert ([m.external_id for m in first.mentions], first.has_more) == (["e", "d", "c"], True)
    assert first.next_cursor["etag"] is None  # so the next fetch reads the feed again, not a 304

    second = adapter.fetch(cursor=first.next_cursor)

    assert ([m.external_id for m in second.mentions], second.has_more) == (["b", "a"], False)
    assert second.next_cursor == {"etag": '"v1"', "last_modified": None, "seen": ["e", "d", "c", "b", "a"]}


def test_an_unreadable_cursor_is_permanent(server):
    with pytest.raises(PermanentAdapterError, match="unreadable cursor"):
        rss_adapter(server.serve("/feed.rss", RSS)).fetch(cursor={"slot": 4})


# --- errors --------------------------------------------------------------------------------------

def test_a_429_is_transient_with_the_servers_retry_after_in_seconds(server):
    url = server.serve("/feed.rss", b"slow down", status=429, **{"Retry-After": "120"})
    with pytest.raises(TransientAdapterError, match="HTTP 429") as raised:
        rss_adapter(url).fetch(cursor=None)
    assert raised.value.retry_after == 120


def test_a_503_is_transient_with_a_retry_after_given_as_a_date(server):
    now = datetime(2024, 6, 4, 12, 0, tzinfo=UTC)
    url = server.serve("/feed.rss", b"", status=503,
                       **{"Retry-After": format_datetime(now + timedelta(minutes=5), usegmt=True)})
    with pytest.raises(TransientAdapterError, match="HTTP 503") as raised:
        RssAdapter({"url": url}, allow_private=True, clock=lambda: now).fetch(cursor=None)
    assert raised.value.retry_after == 300


def test_a_502_without_retry_after_is_transient_without_a_hint(server):
    with pytest.raises(TransientAdapterError) as raised:
        rss_adapter(server.serve("/feed.rss", b"", status=502)).fetch(cursor=None)
    assert raised.value.retry_after is None


@pytest.mark.parametrize("status", [401, 403, 404, 410])
def test_a_feed_that_is_gone_or_forbidden_is_permanent(server, status):
    with pytest.raises(PermanentAdapterError, match=f"HTTP {status}"):
        rss_adapter(server.serve("/feed.rss", b"", status=status)).fetch(cursor=None)


def test_a_refused_connection_is_transient():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(TransientAdapterError, match="cannot connect"):
        rss_adapter(f"http://127.0.0.1:{port}/feed.rss").fetch(cursor=None)


def test_a_server_that_does_not_answer_in_time_is_transient(server):
    def slow(_: dict[str, str]) -> Reply:
        time.sleep(1.5)
        return 200, {}, RSS

    server.routes["/slow.rss"] = slow
    with pytest.raises(TransientAdapterError, match="no answer within 1 s"):
        rss_adapter(server.url("/slow.rss"), timeout_seconds=1).fetch(cursor=None)


def test_it_refuses_an_entity_bomb_without_expanding_it(server):
    with pytest.raises(PermanentAdapterError, match="declares an entity that could expand without bound"):
        rss_adapter(server.serve("/bomb.rss", BOMB)).fetch(cursor=None)


def test_it_refuses_an_external_entity(server):
    xxe = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel>' \
          b"<item><title>&x;</title><guid>1</guid></item></channel></rss>"
    with pytest.raises(PermanentAdapterError, match="declares an entity .* read local files"):
        rss_adapter(server.serve("/xxe.rss", xxe)).fetch(cursor=None)


@pytest.mark.parametrize(("body", "message"), [
    (b"<!DOCTYPE html><html><body>Welcome</body></html>", "an HTML page, not an RSS or Atom feed"),
    (b"{\"items\": []}", "not an RSS, RDF or Atom feed .* not well-formed"),
    (b"<?xml version='1.0'?><opml><body/></opml>", "not an RSS, RDF or Atom feed"),
])
def test_a_response_that_is_not_a_feed_is_permanent(server, body, message):
    with pytest.raises(PermanentAdapterError, match=message):
        rss_adapter(server.serve("/feed.rss", body)).fetch(cursor=None)


def test_a_feed_over_the_size_limit_is_permanent(server, monkeypatch):
    monkeypatch.setattr(rss_module, "MAX_FEED_BYTES", 1024)
    with pytest.raises(PermanentAdapterError, match="larger than"):
        rss_adapter(server.serve("/big.rss", RSS)).fetch(cursor=None)
    with pytest.raises(PermanentAdapterError, match="larger than"):  # however well it compresses
        rss_adapter(server.serve("/big.gz", gzip.compress(b" " * 4096 + RSS),
                                 **{"Content-Encoding": "gzip"})).fetch(cursor=None)


# --- addresses -----------------------------------------------------------------------------------

@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "169.254.169.254", "10.1.2.3"])
def test_it_refuses_a_private_address_by_default(server, host):
    port = server.base.rsplit(":", 1)[1]
    with pytest.raises(PermanentAdapterError, match="not a public address"):
        RssAdapter({"url": f"http://{host}:{port}/feed.rss"}).fetch(cursor=None)
    assert server.requests == []


def test_it_vets_the_address_of_every_redirect(server, monkeypatch):
    # Only the test server's address counts as public here, so the first hop is allowed.
    monkeypatch.setattr(netguard, "address_forbidden", lambda ip: str(ip) != "127.0.0.1")
    url = server.serve("/feed.rss", b"", status=302, Location="http://10.0.0.7/internal.rss")
    with pytest.raises(PermanentAdapterError, match="10.0.0.7: not a public address"):
        RssAdapter({"url": url}).fetch(cursor=None)
    assert [path for path, _ in server.requests] == ["/feed.rss"]


def test_the_registry_builds_it_with_the_deployments_address_policy(server, settings):
    url = server.serve("/forum.rss", RSS)
    settings.DENGAR = {**settings.DENGAR, "FEEDS_ALLOW_PRIVATE": False}
    with pytest.raises(PermanentAdapterError, match="DENGAR_FEEDS_ALLOW_PRIVATE=1"):
        registry.build("rss", {"url": url}).fetch(cursor=None)

    settings.DENGAR = {**settings.DENGAR, "FEEDS_ALLOW_PRIVATE": True}
    assert len(registry.build("rss", {"url": url}).fetch(cursor=None).mentions) == 3


# --- config --------------------------------------------------------------------------------------

def test_its_config_has_defaults_and_checks_the_url():
    assert "rss" in registry.kinds()
    assert registry.validate_config("rss", {"url": "https://example.com/feed.xml"}) == {
        "url": "https://example.com/feed.xml", "platform": "rss", "timeout_seconds": 10.0, "max_items": 500}
    with pytest.raises(ConfigError) as refused:
        registry.validate_config("rss", {"url": "file:///etc/passwd", "timeout_seconds": 0, "max_items": 501})
    assert refused.value.errors == {
        "url": ["Must be an http:// or https:// URL."],
        "timeout_seconds": ["Must be at least 1."],
        "max_items": [f"Must be at most {SEEN_LIMIT}."],
    }
    with pytest.raises(ConfigError) as refused:
        registry.validate_config("rss", {})
    assert refused.value.errors == {"url": ["This field is required."]}
    with pytest.raises(ConfigError) as refused:
        registry.validate_config("rss", {"url": "https://user:pw@example.com/f"})
    assert refused.value.errors == {"url": ["Must not contain a user name or password."]}


def test_the_sources_api_puts_a_bad_feed_url_under_config_url(world, api_client_for):
    client = api_client_for(world.owner)
    url = "/api/v1/tenants/acme/sources/"

    response = client.post(url, {"name": "Forum", "kind": "rss", "config": {"url": "gopher://forum"}}, format="json")
    assert response.status_code == 400
    assert response.json() == {"config": {"url": ["Must be an http:// or https:// URL."]}}

    response = client.post(url, {"name": "Forum", "kind": "rss",
                                 "config": {"url": "https://forum.example.com/latest.rss"}}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["config"]["max_items"] == 500


# --- end to end ----------------------------------------------------------------------------------

def test_a_poll_stores_the_good_items_and_rejects_the_one_with_a_bad_date(world, server, settings):
    settings.DENGAR = {**settings.DENGAR, "FEEDS_ALLOW_PRIVATE": True}
    source = factories.SourceFactory(
        tenant=world.acme, brand=world.acme_brand, name="Deals feed", kind="rss",
        config=registry.validate_config("rss", {"url": server.serve("/deals.rss", BAD_DATE)}),
    )

    outcome = source_poll_once(source=source)

    assert outcome.error == ""
    report = outcome.report
    assert (report.received, report.stored, report.rejected) == (3, 2, 1)
    assert dict(report.reasons) == {"published_at 'sometime last week' is not an ISO 8601 date-time": 1}
    stored = Mention.all_tenants.filter(source=source).order_by("published_at")
    assert [(m.external_id, m.platform, m.url) for m in stored] == [
        ("deal-203", "rss", "https://deals.example.net/d/203"),
        ("deal-201", "rss", "https://deals.example.net/d/201"),
    ]
    source = Source.all_tenants.get(pk=source.pk)
    assert "sometime last week" in source.last_rejection
    assert source.cursor["seen"] == ["deal-201", "deal-202", "deal-203"]

    again = source_poll_once(source=source)

    assert (again.report.received, again.error) == (0, "")
    assert Mention.all_tenants.filter(source=source).count() == 2


def test_a_poll_of_a_private_feed_pauses_the_source_with_the_reason(world, server, settings):
    settings.DENGAR = {**settings.DENGAR, "FEEDS_ALLOW_PRIVATE": False}
    source = factories.SourceFactory(
        tenant=world.acme, name="Internal feed", kind="rss", config={"url": server.serve("/forum.rss", RSS)},
    )

    outcome = source_poll_once(source=source)

    source.refresh_from_db()
    assert "not a public address" in outcome.error
    assert source.paused is True
    assert "not a public address" in source.last_error
    assert server.requests == []


def test_a_refused_feed_does_not_tell_the_tenant_what_an_internal_name_resolves_to(world, monkeypatch, settings):
    settings.DENGAR = {**settings.DENGAR, "FEEDS_ALLOW_PRIVATE": False}

    def resolve(host, port, *args, **kwargs):
        assert host == "db.internal"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", port))]

    monkeypatch.setattr(netguard.socket, "getaddrinfo", resolve)
    source = factories.SourceFactory(
        tenant=world.acme, name="Probe", kind="rss", config={"url": "http://db.internal:5432/feed.rss"},
    )

    source_poll_once(source=source)

    source.refresh_from_db()
    assert "db.internal: not a public address" in source.last_error
    assert "10.0.0.5" not in source.last_error
    assert "10.0.0" not in source.last_error
