"""End-to-end ingestion benchmark: mock adapter -> Celery worker -> PostgreSQL, against raw COPY.

Run with ``make bench``. Prints figures; asserts nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count as models_count
from django.utils import timezone

from listening.models import Brand, BrandAccount, Mention, Source, Tenant, VolumeDaily, VolumeHourly
from listening.services.ingestion import MENTION_COLUMNS
from workers.adapters import registry

# The same columns the ingestion service writes, so COPY moves exactly the same rows.
COLUMNS = MENTION_COLUMNS


class Command(BaseCommand):
    help = "Measure end-to-end ingestion in mentions/s and compare with a raw COPY of the same rows."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--only", choices=["classifier", "ingest", "flags"], default=None)
        parser.add_argument("--tenants", type=int, default=1000, help="tenants for the flag sweep")
        parser.add_argument("--texts", type=int, default=30_000, help="texts for the classifier")
        parser.add_argument("--mentions", type=int, default=60_000, help="about how many in all")
        parser.add_argument("--sources", type=int, default=4)
        parser.add_argument("--concurrency", type=int, default=2)
        parser.add_argument("--batch", type=int, default=5_000, help="items per fetch")

    def handle(self, *args: Any, only: str | None, texts: int, mentions: int, sources: int,
               concurrency: int, batch: int, tenants: int = 1000, **options: Any) -> None:
        if only in (None, "classifier"):
            self._bench_classifier(texts)
        if only in (None, "ingest"):
            self._bench_ingest(mentions, sources, concurrency, batch)
        if only in (None, "flags"):
            self._bench_flags(tenants)

    def _bench_flags(self, n_tenants: int, brands: int = 5, sample: int = 50) -> None:
        """The flag sweep over every tenant from the rollups, against a per-tenant loop."""
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark measures PostgreSQL: set DATABASE_URL (make bench does).")
        import numpy as np

        from listening.models import Alert
        from listening.scoping import tenant_scope
        from listening.selectors.flags import tenant_flags
        from listening.services.alert_sweep import HISTORY_DAYS, flags_sweep

        call_command("migrate", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE listening_volumehourly, listening_alertdelivery, "
                           "listening_alertevent, listening_alert CASCADE")
        Tenant.objects.filter(slug__startswith="flags-").delete()
        now = timezone.now()
        end = now.replace(minute=0, second=0, microsecond=0)
        hours = HISTORY_DAYS * 24
        started = time.perf_counter()
        tenants = Tenant.objects.bulk_create(
            [Tenant(name=f"Flags {i}", slug=f"flags-{i}") for i in range(n_tenants)])
        brand_rows = Brand.all_tenants.bulk_create(
            [Brand(tenant=t, name=f"Brand {j}") for t in tenants for j in range(brands)])
        # A few tenants have a broken collector, a few a real fall: the sweep has work to do.
        source_rows = Source.all_tenants.bulk_create([
            Source(tenant_id=b.tenant_id, brand=b, name=f"feed {k}", kind="mock",
                   last_success_at=now, next_poll_at=now + timedelta(days=1),
                   consecutive_failures=5 if (k % brands == 0 and (k // brands) % 50 == 7) else 0)
            for k, b in enumerate(brand_rows)])
        rng = np.random.default_rng(11)
        hour = np.arange(hours)
        daily = 1 + 0.5 * np.sin(2 * np.pi * (hour % 24) / 24)
        stamps = [(end - timedelta(hours=hours - h)).isoformat() for h in range(hours)]
        raw = connection.connection
        with raw.cursor() as cur, cur.copy(
            "COPY listening_volumehourly (tenant_id, brand_id, source_id, bucket, mentions, "
            "complaints, negative) FROM STDIN"
        ) as copy:
            for k, source in enumerate(source_rows):
                mean = rng.uniform(3, 40) * daily
                if k % brands == 1 and (k // brands) % 20 == 3:
                    mean = mean.copy()
                    mean[-12:] *= 0.25
                counts = rng.poisson(mean)
                if source.consecutive_failures:
                    counts[-10:] = 0
                prefix = f"{source.tenant_id}\t{source.brand_id}\t{source.pk}\t"
                copy.write("".join(f"{prefix}{stamps[h]}\t{c}\t0\t0\n"
                                   for h, c in enumerate(counts.tolist()) if c))
        raw.commit()
        with connection.cursor() as cursor:
            # As in production, where rollups are hours or days old and autovacuum has been by:
            # the first read after a bulk load would otherwise also pay for setting hint bits.
            cursor.execute("VACUUM ANALYZE listening_volumehourly")
            cursor.execute("SELECT count(*) FROM listening_volumehourly")
            rows = cursor.fetchone()[0]
        self.stdout.write(f"flag sweep: {n_tenants:,} tenants x {brands} brands x {HISTORY_DAYS} days "
                          f"of hourly rollups ({rows:,} rows, {len(source_rows):,} sources), "
                          f"set up in {time.perf_counter() - started:.1f} s (not timed)")

        started = time.perf_counter()
        first = flags_sweep(now=now)
        cold = time.perf_counter() - started
        started = time.perf_counter()
        second = flags_sweep(now=now + timedelta(minutes=5))
        warm = time.perf_counter() - started
        kinds = dict(Alert.all_tenants.filter(status="open").values_list("kind").annotate(
            n=models_count("id")).values_list("kind", "n"))

        picked = tenants[:: max(1, n_tenants // sample)][:sample]
        started = time.perf_counter()
        for t in picked:
            flags_sweep(now=now + timedelta(minutes=10), tenants=[t])
        loop = (time.perf_counter() - started) / len(picked) * n_tenants
        started = time.perf_counter()
        for t in picked:
            with tenant_scope(t):
                tenant_flags(tenant=t, now=now)
        simple = (time.perf_counter() - started) / len(picked) * n_tenants

        self.stdout.write(f"  batched sweep, first run (opens the alerts): {cold:.2f} s "
                          f"({len(first.opened)} opened: {kinds})")
        self.stdout.write(f"  batched sweep, next run (refreshes them):    {warm:.2f} s "
                          f"({len(second.refreshed)} refreshed, {len(second.opened)} opened)")
        self.stdout.write(f"  baseline, the same sweep one tenant at a time: {loop:.1f} s "
                          f"(measured on {len(picked)} tenants, scaled to {n_tenants:,}); "
                          f"batched is {loop / warm:.1f}x faster")
        self.stdout.write(f"  for reference, the old 7-day-vs-4-weeks flags one tenant at a time: "
                          f"{simple:.1f} s (same sampling)")
        self.stdout.write(f"  target: under 5 s -> {'met' if max(cold, warm) < 5 else 'NOT met'}")

    def _bench_classifier(self, n: int) -> None:
        """Texts per second on one core for the configured engine, and the process's peak RSS."""
        import resource

        from listening.analysis.base import get_classifier
        from workers.adapters.mock.adapter import MockAdapter

        # A day at 3,000 an hour, over the fetches it takes (a fetch holds at most 5,000).
        adapter = MockAdapter({"seed": 3, "rate_per_hour": 3000, "backfill_days": 1, "max_items": 5_000})
        corpus, cursor = [], None
        while True:
            result = adapter.fetch(cursor=cursor)
            corpus += [str(m.text) for m in result.mentions if isinstance(m.text, str)]
            if not result.has_more:
                break
            cursor = result.next_cursor
        shared = settings.BASE_DIR.parent / "shared" / "data"
        for name in ("complaints/en_tweets_dev.csv", "sentiment/id_smsa_valid.csv"):
            if (shared / name).exists():
                import csv

                with (shared / name).open(newline="", encoding="utf-8") as f:
                    corpus += [row["text"] for row in csv.DictReader(f)]
        corpus = (corpus * (n // max(1, len(corpus)) + 1))[:n]
        classifier = get_classifier()
        classifier.classify_many(corpus[:200])  # load weights outside the timing
        cpu, wall = time.process_time(), time.perf_counter()
        for start in range(0, len(corpus), 5000):
            classifier.classify_many(corpus[start : start + 5000])
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        from listening.analysis.lexicon import LexiconClassifier

        baseline_cpu = time.process_time()
        LexiconClassifier().classify_many(corpus)
        baseline_cpu = time.process_time() - baseline_cpu
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"classifier {settings.DENGAR['CLASSIFIER']} on {len(corpus):,} texts "
                          f"(mock, complaints and SmSA texts), one process:")
        self.stdout.write(f"  {len(corpus) / cpu:,.0f} texts/s of CPU time ({len(corpus) / wall:,.0f}/s wall); "
                          f"the word-list baseline (listening.analysis.lexicon): "
                          f"{len(corpus) / baseline_cpu:,.0f} texts/s; engine / baseline {baseline_cpu / cpu:.2f}")
        self.stdout.write(f"  peak resident memory of the process (Django included): {rss_mb:,.0f} MB")
        self.stdout.write(f"  target: 10,000 texts/s and < 300 MB -> "
                          f"{'met' if len(corpus) / cpu >= 10_000 and rss_mb < 300 else 'NOT met'}")

    def _bench_ingest(self, mentions: int, sources: int, concurrency: int, batch: int) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark measures PostgreSQL: set DATABASE_URL (make bench does).")
        call_command("migrate", verbosity=0)
        self._reset()
        tenant = Tenant.objects.create(name="Bench", slug="bench")
        brand = Brand.all_tenants.create(tenant=tenant, name="Acme", keywords=["acme"])
        BrandAccount.all_tenants.create(tenant=tenant, brand=brand, platform="mock", handle="acme_care")
        backfill_days = 2.0
        rate = mentions / sources / (backfill_days * 24)
        created = []
        for i in range(sources):
            config = registry.validate_config("mock", {
                "seed": 100 + i, "scenario": "steady", "brand": "Acme", "brand_handle": "acme_care",
                "rate_per_hour": rate, "backfill_days": backfill_days, "max_items": batch,
                "anchor": timezone.now().isoformat(),
            })
            created.append(Source.all_tenants.create(
                tenant=tenant, brand=brand, name=f"bench-{i}", kind="mock", config=config,
                next_poll_at=timezone.now() + timedelta(days=1),
            ))
        expected = sum(self._expected(s) for s in created)
        self.stdout.write(f"Generating about {expected:,} valid mentions from {sources} mock sources, "
                          f"{batch:,} per fetch; worker concurrency {concurrency}.")

        worker = self._start_worker(concurrency)
        try:
            from workers.tasks.polling import source_poll

            started = time.perf_counter()
            for source in created:
                source_poll.delay(source.pk)
            stored = 0
            while time.perf_counter() - started < 900:
                stored = Mention.all_tenants.filter(tenant=tenant).count()
                done = all(
                    s.last_success_at and s.next_poll_at > timezone.now()
                    for s in Source.all_tenants.filter(tenant=tenant)
                ) and stored >= expected
                if done:
                    break
                if worker.poll() is not None:
                    raise CommandError("the worker exited")
                time.sleep(0.05)
            elapsed = time.perf_counter() - started
        finally:
            worker.terminate()
            worker.wait(timeout=30)
        e2e_rate = stored / elapsed
        copy_rate, copied = self._copy_baseline(tenant)
        self.stdout.write("")
        self.stdout.write(f"end to end (adapter -> classifier -> worker -> PostgreSQL, rollups): "
                          f"{stored:,} mentions in {elapsed:.2f} s = {e2e_rate:,.0f} mentions/s")
        self.stdout.write(f"raw COPY of the same {copied:,} rows into the same table: "
                          f"{copy_rate:,.0f} rows/s")
        self.stdout.write(f"ratio end to end / COPY: {e2e_rate / copy_rate:.3f}")
        self.stdout.write(f"target: 5,000 mentions/s end to end -> "
                          f"{'met' if e2e_rate >= 5000 else 'NOT met'} on {os.cpu_count()} cores")

    def _reset(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE listening_mention, listening_volumehourly, listening_volumedaily CASCADE")
        for model in (VolumeHourly, VolumeDaily, Source, Brand):
            model.all_tenants.filter(tenant__slug="bench").delete()
        Tenant.objects.filter(slug="bench").delete()

    def _expected(self, source: Source) -> int:
        adapter = registry.build(source.kind, source.config)
        cursor, total = None, 0
        while True:
            result = adapter.fetch(cursor=cursor)
            total += len(result.mentions)
            cursor = result.next_cursor
            if not result.has_more:
                return total

    def _start_worker(self, concurrency: int) -> subprocess.Popen[bytes]:
        env = {**os.environ, "DENGAR_LOG_LEVEL": "WARNING"}
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "workers", "worker", "--loglevel", "WARNING",
             "--concurrency", str(concurrency), "--without-gossip", "--without-mingle",
             "--without-heartbeat", "--hostname", f"bench-{os.getpid()}@%h"],
            cwd=settings.BASE_DIR, env=env,
        )
        from workers import celery_app

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if celery_app.control.ping(timeout=0.5):
                return worker
        worker.terminate()
        raise CommandError("the worker did not start within 60 s")

    def _copy_baseline(self, tenant: Tenant) -> tuple[float, int]:
        cols = ", ".join(COLUMNS)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {cols} FROM listening_mention WHERE tenant_id = %s",  # noqa: S608
                           [tenant.pk])
            rows = cursor.fetchall()
            cursor.execute("TRUNCATE listening_mention CASCADE")
        raw = connection.connection  # psycopg 3
        started = time.perf_counter()
        with raw.cursor() as cur, cur.copy(f"COPY listening_mention ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        raw.commit()
        elapsed = time.perf_counter() - started
        return len(rows) / elapsed, len(rows)
