"""The rss adapter against feedparser's own test corpus: 2,100 real-world and deliberately odd feeds.

The corpus is not part of Dengar: point DENGAR_FEED_CORPUS at the ``tests`` folder of a checkout of
feedparser's public repository (https://github.com/kurtmckee/feedparser) to run it; without it the
test is skipped. Every ``*.xml`` file is served from a local HTTP server, with the headers its
``Header:`` comments ask for (as feedparser's own test server does), and read twice: by feedparser
itself, fetching the file on its own, and by Dengar's adapter. For each feed in which feedparser
finds entries, Dengar must deliver entries; and for each entry, the same count, title, link and
date (to the minute). The figures are printed (run with ``-s``):

    DENGAR_FEED_CORPUS=/tmp/fpcorpus/tests .venv/bin/pytest -p no:xdist -s tests/workers/test_feed_corpus.py
"""

from __future__ import annotations

import calendar
import os
import re
import threading
import warnings
from collections import Counter
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import feedparser  # type: ignore[import-untyped]
import pytest
from django.utils import timezone

from listening.services.mention_validation import Rejected, mention_validate
from workers.adapters.base import AdapterError, RawMention
from workers.adapters.rss.adapter import RssAdapter
from workers.adapters.rss.parsing import strip_html

CORPUS = os.environ.get("DENGAR_FEED_CORPUS", "")
HEADER = re.compile(rb"^Header:\s+([^:]+):(.*)$", re.MULTILINE)
FIRST_SEEN = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)

pytestmark = pytest.mark.skipif(not (CORPUS and Path(CORPUS).is_dir()),
                                reason="DENGAR_FEED_CORPUS names no folder of feeds")


def served_headers(path: str, body: bytes) -> dict[str, str]:
    """The headers feedparser's test server sends with a file: those its comments name, and a
    Content-Type of text/xml by default for the HTTP tests; none for the others (read as files)."""
    named = {name.decode().strip(): value.decode("latin-1").strip() for name, value in HEADER.findall(body)}
    if "http" in path:
        named.setdefault("Content-type", "text/xml")
    return named


@pytest.fixture(scope="module")
def corpus_server() -> Iterator[tuple[str, list[str]]]:
    root = Path(CORPUS)
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*.xml"))

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the name http.server calls
            path = self.path.lstrip("/")
            if path not in served:
                self.send_error(404)
                return
            body = (root / path).read_bytes()
            self.send_response(200)
            for name, value in served_headers(path, body).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    served = set(files)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", files
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def reference_date(entry: Mapping[str, Any]) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = dict.get(entry, key)  # type: ignore[call-overload]
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    return None


def reference_title(entry: Mapping[str, Any]) -> str:
    title, detail = entry.get("title") or "", entry.get("title_detail") or {}
    return " ".join(title.split()) if detail.get("type") == "text/plain" else strip_html(title)


def same_entry(entry: Mapping[str, Any], mention: RawMention) -> Counter[str]:
    """Which of title, link and date differ between feedparser's entry and Dengar's mention."""
    differs: Counter[str] = Counter()
    title = reference_title(entry)
    if title and not str(mention.text).startswith(title.rstrip(". …")[:4000]):
        differs["title"] += 1
    if (entry.get("link") or "") != (mention.url or "") and not (entry.get("link") or "").startswith("javascript"):
        differs["link"] += 1
    # Where feedparser reads no date there is none to compare: Dengar dates the entry when it
    # first sees it, or reads an RFC 822 date that lacks only its zone as UTC.
    expected = reference_date(entry)
    delivered = mention.published_at
    if expected is not None and (
            not isinstance(delivered, datetime) or abs((delivered - expected).total_seconds()) >= 60):
        differs["date"] += 1
    return differs


def test_dengar_delivers_what_feedparser_reads_from_its_own_corpus(corpus_server: tuple[str, list[str]]) -> None:
    base, files = corpus_server
    feeds_with_entries = feeds_delivering = entries = entries_same = 0
    crashes: list[str] = []
    refusals: Counter[str] = Counter()
    differences: Counter[str] = Counter()
    rejected_by_pipeline: Counter[str] = Counter()
    now = timezone.now()
    for path in files:
        url = base + path
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # feedparser's deprecation notes
            reference = feedparser.parse(url).get("entries") or []
        adapter = RssAdapter({"url": url, "max_items": 500}, allow_private=True, clock=lambda: FIRST_SEEN)
        try:
            mentions = list(adapter.fetch(cursor=None).mentions)
        except AdapterError as exc:
            mentions = []
            refusals[re.sub(r"^\S+: ", "", str(exc))[:70]] += 1
        except Exception as exc:  # a crash, which this test counts
            crashes.append(f"{path}: {type(exc).__name__}: {exc}")
            continue
        for mention in mentions:
            try:
                mention_validate(mention, now=now if mention.published_at != FIRST_SEEN else FIRST_SEEN)
            except Rejected as exc:
                rejected_by_pipeline[str(exc)[:60]] += 1
        if not reference:
            continue
        feeds_with_entries += 1
        entries += len(reference)
        if mentions:
            feeds_delivering += 1
        if len(mentions) != len(reference):
            differences["count"] += len(reference)
            continue
        for entry, mention in zip(reference, mentions, strict=True):
            differs = same_entry(entry, mention)
            differences.update(differs)
            entries_same += not differs

    feed_share = feeds_delivering / feeds_with_entries
    entry_share = entries_same / entries
    print(f"\nfeedparser corpus: {len(files)} files; feedparser finds entries in {feeds_with_entries}")
    print(f"Dengar delivers entries from {feeds_delivering} of them ({feed_share:.1%})")
    print(f"same count, title, link and date (to the minute): {entries_same} of {entries} entries "
          f"({entry_share:.1%}); differences: {dict(differences)}")
    print(f"refused or failed (adapter errors, all files): {sum(refusals.values())} {dict(refusals.most_common(8))}")
    print(f"delivered but rejected by the pipeline: {sum(rejected_by_pipeline.values())} "
          f"{dict(rejected_by_pipeline.most_common(8))}")
    print(f"crashes: {len(crashes)}", *crashes[:10], sep="\n  ")
    assert crashes == []
    assert feed_share >= 0.95
    assert entry_share >= 0.95
