"""RSS 2.0 and Atom documents to raw mentions.

The document is parsed with ElementTree only after a look at its prolog has found no DOCTYPE: a
feed has no use for a DTD, and refusing every one shuts out entity expansion ("billion laughs")
and external entities (XXE) whatever the XML library would do with them.

Values are passed on as the feed gives them (a date that does not parse stays a string): the
pipeline validates each item and rejects the bad ones with a reason, the rest of the feed lands.
"""

from __future__ import annotations

import hashlib
import re
import urllib.parse
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from typing import Any
from xml.etree import ElementTree
from xml.parsers import expat

from workers.adapters.base import RawMention

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"

# The pipeline keeps external ids up to 200 characters; a longer guid (a long URL) is hashed.
MAX_ID_CHARS = 200
# A mention is the item's title and summary, not a whole article: cut well within the pipeline's
# text limit, so a long post is shortened rather than rejected.
MAX_TEXT_CHARS = 5000

_BLOCK_TAGS = frozenset({
    "br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "hr", "section", "article", "figure", "figcaption", "table",
})


class FeedError(ValueError):
    """The document is not a feed that may be read: not XML, not RSS or Atom, or has a DTD."""


class _StopAtRoot(Exception):
    pass


def refuse_declarations(body: bytes) -> None:
    """FeedError if the document declares a DOCTYPE or an entity before its root element."""

    def doctype(name: str, *_: Any) -> None:
        if (name or "").lower() == "html":
            raise FeedError("the response is an HTML page, not an RSS or Atom feed")
        raise FeedError(
            f"the feed declares a DOCTYPE ({name}); documents with a DTD or entity declarations are "
            "refused (they can expand entities without bound or read local files)"
        )

    def entity(name: str, *_: Any) -> None:
        raise FeedError(f"the feed declares an entity ({name}); entity declarations are refused")

    def root(*_: Any) -> None:
        raise _StopAtRoot  # a DOCTYPE can only come before the root element: nothing more to see

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.StartElementHandler = root
    try:
        parser.Parse(body, True)
    except _StopAtRoot:
        return
    except expat.ExpatError as exc:
        raise FeedError(f"the response is not well-formed XML ({exc})") from None
    raise FeedError("the response holds no XML element")


def parse_feed(body: bytes, *, base_url: str, platform: str) -> list[RawMention]:
    """The items of an RSS 2.0 or Atom document, in document order; FeedError if it is neither."""
    refuse_declarations(body)
    try:
        root = ElementTree.fromstring(body)  # noqa: S314 - declarations were refused just above
    except ElementTree.ParseError as exc:
        raise FeedError(f"the response is not well-formed XML ({exc})") from None
    if root.tag == "rss":
        channel = root.find("channel")
        if channel is None:
            raise FeedError("the RSS document has no <channel>")
        return [_rss_item(item, base_url, platform) for item in channel.iter("item")]
    if root.tag == f"{ATOM}feed":
        feed_author = _atom_author(root)
        return [_atom_entry(entry, base_url, platform, feed_author) for entry in root.findall(f"{ATOM}entry")]
    local = root.tag.rpartition("}")[2]
    raise FeedError(f"the document is not an RSS 2.0 or Atom feed (its root element is <{local}>)")


def _rss_item(item: ElementTree.Element, base_url: str, platform: str) -> RawMention:
    link = _absolute(base_url, _text(item.find("link")))
    title = strip_html(_text(item.find("title")))
    body = strip_html(_text(item.find("description")) or _text(item.find(f"{CONTENT}encoded")))
    published: Any = None
    pub_date = _text(item.find("pubDate"))
    if pub_date:
        try:
            published = parsedate_to_datetime(pub_date)
        except (TypeError, ValueError, IndexError):
            published = pub_date  # the pipeline rejects it, and says why
    else:
        published = _text(item.find(f"{DC}date")) or None
    return RawMention(
        external_id=_external_id(_text(item.find("guid")) or link),
        text=_join(title, body),
        published_at=published,
        author_handle=_rss_author(_text(item.find("author"))) or _text(item.find(f"{DC}creator")),
        url=link,
        platform=platform,
    )


def _atom_entry(entry: ElementTree.Element, base_url: str, platform: str, feed_author: str) -> RawMention:
    link = ""
    for candidate in entry.findall(f"{ATOM}link"):
        if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
            link = _absolute(base_url, candidate.get("href", ""))
            break
    summary = entry.find(f"{ATOM}summary")
    return RawMention(
        external_id=_external_id(_text(entry.find(f"{ATOM}id")) or link),
        text=_join(
            _atom_text(entry.find(f"{ATOM}title")),
            _atom_text(summary if summary is not None else entry.find(f"{ATOM}content")),
        ),
        published_at=_text(entry.find(f"{ATOM}published")) or _text(entry.find(f"{ATOM}updated")) or None,
        author_handle=_atom_author(entry) or feed_author,
        url=link,
        platform=platform,
    )


def _rss_author(value: str) -> str:
    # RSS 2.0 gives an email address, often with the name after it: "jo@example.com (Jo Doe)".
    match = re.fullmatch(r"\S+@\S+\s+\((.+)\)", value)
    return match.group(1).strip() if match else value


def _atom_author(element: ElementTree.Element) -> str:
    return _text(element.find(f"{ATOM}author/{ATOM}name"))


def _atom_text(element: ElementTree.Element | None) -> str:
    """An Atom text construct as plain text: type text, html (escaped markup) or xhtml (a div)."""
    if element is None:
        return ""
    kind = element.get("type", "text")
    if kind == "xhtml":
        return " ".join(" ".join(_block_text(element)).split())
    if kind in ("html", "text/html"):
        return strip_html(element.text or "")
    return " ".join((element.text or "").split())


def _block_text(element: ElementTree.Element) -> Iterator[str]:
    # Like itertext, with a space where a block element starts or ends, so paragraphs don't merge.
    local = element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""
    if local in _BLOCK_TAGS:
        yield " "
    if element.text:
        yield element.text
    for child in element:
        yield from _block_text(child)
        if child.tail:
            yield child.tail
    if local in _BLOCK_TAGS:
        yield " "


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
    return urllib.parse.urljoin(base_url, href) if href else ""


def _text(element: ElementTree.Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""
