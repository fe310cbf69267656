"""Feed documents to raw mentions, read by feedparser behind Dengar's own guards.

feedparser reads what the web actually publishes: RSS 0.9x, 1.0 (RDF) and 2.0, Atom 0.3 and 1.0,
CDF, namespaced and Netscape-DOCTYPE variants, HTML entities and bare ampersands (its lenient
parser takes over where the XML is not well-formed), every date format it knows with its zone,
legacy encodings and the HTTP charset. Dengar hands it bytes it fetched itself (under the address,
size and time guards of ``workers.adapters.httpclient``), always as a stream: given bytes,
feedparser would try them as a file name first, and given a URL it would fetch it itself.

Entity declarations are checked before feedparser sees the document: only the ones that expand
to one character or a short literal are let through (feedparser keeps those and drops the rest
itself, but the check is made here on the document as its XML parser will read it, so that an
entity that could expand without bound or read a local file never reaches a parser).

Values are passed on as the feed gives them (a date no parser reads stays a string): the pipeline
validates each item and rejects the bad ones with a reason, the rest of the feed lands. What the
adapter noticed about the document as a whole (items with no date, dates without a zone, items
without an id, a document read leniently) comes back as ``FeedHealth``.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import json
import re
import urllib.parse
import xml.sax
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from typing import Any

import feedparser  # type: ignore[import-untyped]
from feedparser.encodings import convert_to_utf8  # type: ignore[import-untyped]

from workers.adapters.base import RawMention

# The pipeline keeps external ids up to 200 characters; a longer guid (a long URL) is hashed.
MAX_ID_CHARS = 200
# A mention is the item's title and summary, not a whole article: cut well within the pipeline's
# text limit, so a long post is shortened rather than rejected.
MAX_TEXT_CHARS = 5000
# An entity may stand for one character reference or a literal this long: its expansion is then
# at most a few times the document's own size.
MAX_ENTITY_LITERAL = 32

_BLOCK_TAGS = frozenset({
    "br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "hr", "section", "article", "figure", "figcaption", "table",
})
_DATE_KEYS = ("published", "updated", "created")
# A date with a time that ends in a zone: Z, +07:00, -0100, or a zone name (GMT, EST, MEST…).
_TIME = re.compile(r"\d:\d\d|T\d{4}")
_ZONED = re.compile(r"\d\d(?:[.,]\d+)?\s*(?:Z|[+-]\d\d(?::?\d\d)?|\(?[A-Za-z]{1,5}\)?(?:\s*[+-]\d\d?(?::?\d\d)?)?)\s*$")
_PROLOG_TOKENS = re.compile(
    rb"<!--.*?-->|<\?.*?\?>|<!\[CDATA\[.*?\]\]>|(?P<entity><!ENTITY\b[^>]*>?)|(?P<element><[A-Za-z_:])", re.S)
_SAFE_VALUE = rf"(?:&#\w+;|[^&%<\"']{{0,{MAX_ENTITY_LITERAL}}})"
_SAFE_ENTITY = re.compile(rf"<!ENTITY\s+[A-Za-z_][\w.-]*\s+(?:\"{_SAFE_VALUE}\"|'{_SAFE_VALUE}')\s*>".encode())


class FeedError(ValueError):
    """The document is not a feed (``permanent``: an HTML page, no feed at all) or not one that
    may be read (an unsafe entity declaration)."""

    def __init__(self, message: str, *, permanent: bool = True) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass
class FeedHealth:
    """What the adapter noticed in the document it read: counts of its items, and whether the
    document had to be read leniently (with why)."""

    items: int = 0
    undated: int = 0  # no date at all: dated when first seen
    zoneless: int = 0  # a date without a time zone: read as UTC
    unreadable_dates: int = 0  # a date no parser reads: the pipeline rejects the item
    without_id: int = 0  # neither id nor link: identified by its content
    lenient: str = ""  # why the document is not well-formed, when it is not

    def as_cursor(self) -> dict[str, Any]:
        """The observations worth telling, as plain JSON (nothing when nothing is worth it)."""
        found = {name: getattr(self, name) for name in ("undated", "zoneless", "unreadable_dates", "without_id",
                                                         "lenient") if getattr(self, name)}
        return {"items": self.items, **found} if found else {}


@dataclass(frozen=True)
class ParsedFeed:
    items: list[RawMention]
    health: FeedHealth


def refuse_unsafe_entities(body: bytes, headers: Mapping[str, str]) -> None:
    """FeedError if the document declares an entity that is neither one character reference nor a
    short literal (nested, parameter and external entities: expansion bombs, XXE).

    The check reads the document as feedparser's XML parser will (converted to UTF-8 with the
    HTTP charset), and the raw bytes as well, up to the root element (no declaration counts after
    it), skipping comments, processing instructions and CDATA as an XML parser does."""
    try:
        converted = convert_to_utf8(dict(headers), body, {})
    except Exception:  # feedparser's own guesswork failing: the raw bytes are still checked below
        converted = b""
    for text in (converted, body):
        for token in _PROLOG_TOKENS.finditer(text):
            if token.group("element"):
                break
            declaration = token.group("entity")
            if declaration and not _SAFE_ENTITY.fullmatch(declaration):
                raise FeedError(
                    "the feed declares an entity that could expand without bound or read local files "
                    f"({declaration[:60].decode('utf-8', 'replace')}…); such documents are refused")


def parse_feed(
    body: bytes, *, url: str, headers: Mapping[str, str], platform: str, first_seen: Callable[[], datetime],
) -> ParsedFeed:
    """The items of a feed document, in document order.

    ``headers`` are the response's (their charset is honoured); ``url`` is where the document came
    from, against which relative links resolve (after any ``xml:base``). An item with no date is
    dated ``first_seen()``."""
    if not body.strip():
        raise FeedError("the response is empty", permanent=False)
    refuse_unsafe_entities(body, headers)
    # Lower-case names, as feedparser's own fetching gives them. No base address: feedparser would
    # resolve an RSS guid against it as if it were a link, and "post-12" would change into another
    # id than the one stored; relative links (after any xml:base) are resolved here instead.
    response_headers = {name.lower(): value for name, value in headers.items()}
    base = urllib.parse.urljoin(url, response_headers.pop("content-location", "").strip())
    document = feedparser.parse(io.BytesIO(body), response_headers=response_headers)
    entries = document.get("entries") or []
    if not document.get("version") and not entries:
        raise FeedError(_not_a_feed(body, response_headers, document))
    health = FeedHealth(items=len(entries))
    problem = document.get("bozo_exception")
    if isinstance(problem, xml.sax.SAXException):  # not the notes on content types and charsets
        health.lenient = str(problem)[:200]
    feed = document.get("feed") or {}
    feed_author = _author(feed)
    return ParsedFeed([_item(entry, base, platform, feed_author, health, first_seen) for entry in entries], health)


def _not_a_feed(body: bytes, headers: Mapping[str, str], document: Mapping[str, Any]) -> str:
    head = body.lstrip()[:512].lower()
    if "html" in headers.get("content-type", "").lower() or head.startswith((b"<!doctype html", b"<html")):
        return "the response is an HTML page, not an RSS or Atom feed"
    why = f" ({document['bozo_exception']})" if document.get("bozo_exception") else ""
    return f"the response is not an RSS, RDF or Atom feed{why}"[:300]


def _item(entry: Mapping[str, Any], url: str, platform: str, feed_author: str, health: FeedHealth,
          first_seen: Callable[[], datetime]) -> RawMention:
    link = _absolute(url, entry.get("link") or "")
    title = _text_of(entry.get("title_detail"), entry.get("title"))
    body = _body(entry)
    external_id = (entry.get("id") or "").strip() or link
    if not external_id:
        health.without_id += 1
        external_id = _content_id(title, body, entry)
    return RawMention(
        external_id=_external_id(external_id),
        text=_join(title, body),
        published_at=_published(entry, health, first_seen),
        author_handle=_author(entry) or feed_author,
        url=link,
        platform=platform,
    )


def _published(entry: Mapping[str, Any], health: FeedHealth, first_seen: Callable[[], datetime]) -> Any:
    """The item's date as feedparser reads it (published, else updated, else created), in UTC; the
    date as written if no parser reads it; ``first_seen()`` if it has none."""
    for key in _DATE_KEYS:
        parsed = _own(entry, f"{key}_parsed")
        if parsed:
            try:
                when = datetime.fromtimestamp(calendar.timegm(parsed), UTC)
            except (OverflowError, ValueError, TypeError, OSError):
                continue
            written = str(_own(entry, key) or "")
            if not (_TIME.search(written) and _ZONED.search(written)):
                health.zoneless += 1
            return when
    written = next((str(_own(entry, key)).strip() for key in _DATE_KEYS if str(_own(entry, key) or "").strip()), "")
    if written:
        as_utc = _rfc822_without_zone(written)
        if as_utc is not None:
            health.zoneless += 1
            return as_utc
        health.unreadable_dates += 1
        return written  # the pipeline rejects it, and says why
    health.undated += 1
    return first_seen()


def _rfc822_without_zone(written: str) -> datetime | None:
    """An RFC 822 date that lacks only its zone ("Tue, 04 Jun 2024 09:15:00"), which feedparser
    does not read, as UTC; None for anything else."""
    try:
        when = parsedate_to_datetime(written)
    except (TypeError, ValueError, IndexError):
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else None


def _own(entry: Mapping[str, Any], key: str) -> Any:
    """``entry[key]`` as the feed gave it: feedparser's entries answer some missing keys with
    another's value (``updated_parsed`` with ``published_parsed``, with a warning)."""
    return dict.get(entry, key) if isinstance(entry, dict) else entry.get(key)


def _body(entry: Mapping[str, Any]) -> str:
    summary = entry.get("summary_detail")
    if summary and (summary.get("value") or "").strip():
        return _text_of(summary, summary.get("value"))
    for content in entry.get("content") or []:
        if (content.get("value") or "").strip():
            return _text_of(content, content.get("value"))
    return ""


def _text_of(detail: Mapping[str, Any] | None, value: Any) -> str:
    """A text construct as plain text: feedparser gives plain text as is, and HTML (escaped or
    XHTML) as sanitised markup."""
    text = str(value or "")
    kind = str((detail or {}).get("type") or "text/html")
    if kind == "text/plain":
        return " ".join(text.split())
    return strip_html(text)


def _author(element: Mapping[str, Any]) -> str:
    detail = element.get("author_detail") or {}
    return str(detail.get("name") or element.get("author") or "").strip()


def _content_id(title: str, body: str, entry: Mapping[str, Any]) -> str:
    """An id for an item with neither id nor link, from what it says: the same item read again
    gets the same id, so it is not delivered twice."""
    dates = [str(_own(entry, key) or "") for key in _DATE_KEYS]
    digest = hashlib.sha256(json.dumps([title, body, *dates], ensure_ascii=False).encode("utf-8"))
    return "content:sha256:" + digest.hexdigest()


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def strip_html(markup: str) -> str:
    """The text of an HTML fragment: tags dropped, entities unescaped, whitespace collapsed."""
    if not markup:
        return ""
    parser = _TextOnly()
    parser.feed(markup)
    parser.close()
    return " ".join("".join(parser.parts).split())


def _join(title: str, body: str) -> str:
    # Microblog feeds repeat the title as the start of the body: say it once.
    if not body or body == title:
        text = title
    elif not title or body.startswith(title.rstrip(". …")):
        text = body
    else:
        text = f"{title}\n\n{body}"
    if len(text) > MAX_TEXT_CHARS:
        cut = text[: MAX_TEXT_CHARS - 1]
        text = (cut.rsplit(" ", 1)[0] if " " in cut[-200:] else cut) + "…"
    return text


def _external_id(value: str) -> str:
    if len(value) <= MAX_ID_CHARS:
        return value
    return "sha256:" + hashlib.sha256(value.encode("utf-8")).hexdigest()


def _absolute(base_url: str, href: str) -> str:
    return urllib.parse.urljoin(base_url, href.strip()) if href.strip() else ""
