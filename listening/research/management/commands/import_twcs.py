"""Import a "Customer Support on Twitter" CSV into a tenant through the normal ingestion path.

    python manage.py import_twcs twcs.csv --tenant acme [--brand-handle AppleSupport ...]

Authors of outbound tweets (inbound=False) become the tenant's brand accounts (platform
"twitter", one brand each), so their replies are brand replies; ``in_response_to_tweet_id`` is
the parent. The rows go through ``mentions_ingest`` for a paused Source of kind "import" (never
polled), in batches, so classification, brand matching, reply linking and rollups are the ones
live mentions get. Importing the same file again adds nothing. With ``--brand-handle``, only
conversations that involve one of those accounts are imported.

Prints the first-response figures of the imported conversations (scope "all").
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from listening.models import Brand, BrandAccount, Source, Tenant
from listening.models.brands import normalise_handle
from listening.scoping import tenant_scope
from listening.selectors.response import ResponseMetrics, Scope, response_metrics
from listening.services.ingestion import mentions_ingest
from workers.adapters import registry
from workers.adapters.base import RawMention

CREATED_AT_FORMAT = "%a %b %d %H:%M:%S %z %Y"  # "Tue Oct 31 22:10:47 +0000 2017"
PLATFORM = "twitter"
IMPORT_KIND = "import"


@dataclass(frozen=True, slots=True)
class Tweet:
    tweet_id: str
    author_id: str
    inbound: bool
    created_at: datetime
    text: str
    in_response_to: str  # "" when it starts a conversation


def _tweet_id(value: str) -> str:
    """The file writes ids of replies as floats ("3.0"): back to the tweet's own form."""
    value = (value or "").strip()
    return str(int(float(value))) if value else ""


def read_twcs(path: str) -> tuple[list[Tweet], int]:
    """The well-formed rows, and how many were skipped (broken rows, repeated ids)."""
    tweets: list[Tweet] = []
    seen: set[str] = set()
    skipped = 0
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            try:
                tweet = Tweet(
                    tweet_id=_tweet_id(row["tweet_id"]), author_id=row["author_id"].strip(),
                    inbound={"True": True, "False": False}[row["inbound"].strip()],
                    created_at=datetime.strptime(row["created_at"].strip(), CREATED_AT_FORMAT),
                    text=row["text"], in_response_to=_tweet_id(row["in_response_to_tweet_id"]),
                )
            except (KeyError, ValueError, TypeError):
                skipped += 1
                continue
            if not tweet.tweet_id or not tweet.author_id or tweet.tweet_id in seen:
                skipped += 1
                continue
            seen.add(tweet.tweet_id)
            tweets.append(tweet)
    return tweets, skipped


def conversations_with(tweets: list[Tweet], handles: Iterable[str]) -> list[Tweet]:
    """The tweets of every conversation (reply-linked component) an account in ``handles`` is in."""
    wanted = {normalise_handle(h) for h in handles}
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for t in tweets:
        if t.in_response_to:
            parent[root(t.tweet_id)] = root(t.in_response_to)
    keep = {root(t.tweet_id) for t in tweets if normalise_handle(t.author_id) in wanted}
    return [t for t in tweets if root(t.tweet_id) in keep]


def _batches(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    minutes = seconds / 60
    return f"{minutes:.1f} min" if minutes < 120 else f"{minutes / 60:.2f} h"


def _seconds(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.1f} s"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


class Command(BaseCommand):
    help = "Import a Customer Support on Twitter CSV into a tenant and print first-response figures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--tenant", required=True, help="The tenant's slug.")
        parser.add_argument("--brand-handle", action="append", default=[], dest="brand_handles",
                            help="Import only conversations involving this brand account (repeatable).")
        parser.add_argument("--source-name", default="", help="Default: 'Import: <file name>'.")
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args: Any, **options: Any) -> None:
        tenant = Tenant.objects.filter(slug=options["tenant"]).first()
        if tenant is None:
            raise CommandError(f"No tenant with slug {options['tenant']!r}.")
        path = options["file"]
        if not os.path.exists(path):
            raise CommandError(f"No such file: {path}")
        tweets, skipped = read_twcs(path)
        if options["brand_handles"]:
            tweets = conversations_with(tweets, options["brand_handles"])
        if not tweets:
            raise CommandError("Nothing to import.")

        self._brand_accounts(tenant, sorted({t.author_id for t in tweets if not t.inbound}))
        name = options["source_name"] or f"Import: {os.path.basename(path)}"[:200]
        # Paused, so the claim loop never takes it: an "import" source is filled by this command,
        # and its adapter refuses to be polled.
        source, _ = Source.all_tenants.get_or_create(
            tenant=tenant, name=name,
            defaults={"kind": IMPORT_KIND, "paused": True, "config": registry.validate_config(
                IMPORT_KIND, {"file": os.path.basename(path), "platform": PLATFORM})},
        )
        stored = duplicates = rejected = 0
        cursor = source.cursor
        tweets.sort(key=lambda t: (t.created_at, t.tweet_id))
        for number, batch in enumerate(_batches(tweets, options["batch_size"]), start=1):
            next_cursor = {"file": os.path.basename(path), "batch": number, "last": batch[-1].tweet_id}
            report = mentions_ingest(
                source=source, expected_cursor=cursor, next_cursor=next_cursor,
                batch=[RawMention(
                    external_id=t.tweet_id, text=t.text, published_at=t.created_at,
                    author_handle=t.author_id, platform=PLATFORM, parent_external_id=t.in_response_to,
                ) for t in batch],
            )
            cursor = next_cursor
            stored, duplicates, rejected = (stored + report.stored, duplicates + report.duplicates,
                                            rejected + report.rejected)
        self.stdout.write(
            f"{len(tweets)} tweets read ({skipped} malformed rows skipped): {stored} stored, "
            f"{duplicates} already there, {rejected} rejected; source {source.name!r} (id {source.pk})."
        )
        since = min(t.created_at for t in tweets)
        until = max(t.created_at for t in tweets) + timedelta(seconds=1)
        scopes: tuple[tuple[Scope, str], ...] = (
            ("all", "Conversations started by customers"), ("complaints", "Complaints"))
        for scope, title in scopes:
            with tenant_scope(tenant):
                metrics = response_metrics(tenant=tenant, since=since, until=until, scope=scope,
                                           source=source).overall
            self.stdout.write(self._figures(title, metrics, tenant))

    def _figures(self, title: str, m: ResponseMetrics, tenant: Tenant) -> str:
        return (
            f"{title}: {m.count}\n"
            f"  answered by the brand: {m.answered} (response rate {_share(m.response_rate)})\n"
            f"  first response, median {_duration(m.median_seconds)} ({_seconds(m.median_seconds)}), "
            f"p90 {_duration(m.p90_seconds)} ({_seconds(m.p90_seconds)})\n"
            f"  in business hours ({tenant.timezone}): median {_duration(m.median_business_seconds)}, "
            f"p90 {_duration(m.p90_business_seconds)}\n"
            f"  within the {tenant.response_target_minutes} min target: {m.within_target} "
            f"({_share(m.within_target_share)})"
        )

    def _brand_accounts(self, tenant: Tenant, handles: list[str]) -> None:
        for handle in handles:
            account = BrandAccount.all_tenants.filter(
                tenant=tenant, platform=PLATFORM, handle=normalise_handle(handle)
            ).first()
            if account is not None:
                continue
            brand, _ = Brand.all_tenants.get_or_create(
                tenant=tenant, name=handle, defaults={"keywords": [handle]}
            )
            BrandAccount.all_tenants.create(tenant=tenant, brand=brand, platform=PLATFORM, handle=handle)
