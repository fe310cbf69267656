"""Re-run the configured classifier (and each tenant's rules) over stored mentions.

    python manage.py reclassify_mentions (--tenant SLUG ... | --all-tenants)
        [--batch 2000] [--restart] [--max-batches N]

Mentions are taken by id order in batches; only rows whose results changed are written, with
their rollup buckets, one transaction per batch. Human corrections are never undone. Progress
(the last id per tenant and classifier) is kept in ReclassifyRun, so an interrupted run picks up
where it stopped; ``--restart`` starts over. A finished run starts over on the next invocation.
"""

from __future__ import annotations

import sys
import time
from datetime import timedelta
from typing import Any, TextIO

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from listening.analysis.base import get_classifier
from listening.models import Mention, ReclassifyRun, Tenant
from listening.scoping import tenant_scope
from listening.selectors.learning import learned_model
from listening.selectors.rules import tenant_rules
from listening.services.corrections import mentions_reclassify_batch


class Progress:
    """done/total, rate and ETA on stderr: one redrawn line on a terminal, plain lines otherwise."""

    WIDTH = 30

    def __init__(self, stream: TextIO, *, label: str, total: int, done: int = 0) -> None:
        self.stream, self.label, self.total = stream, label, total
        self.start_done = self.done = done
        self.started = time.monotonic()
        self.tty = bool(getattr(stream, "isatty", lambda: False)())

    def update(self, done: int) -> None:
        self.done = done
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = (done - self.start_done) / elapsed
        remaining = max(self.total - done, 0)
        eta = str(timedelta(seconds=round(remaining / rate))) if rate > 0 else "?"
        share = done / self.total if self.total else 1.0
        text = f"{self.label}: {done}/{self.total} ({share:.0%}) {rate:,.0f}/s ETA {eta}"
        if self.tty:
            filled = round(self.WIDTH * share)
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            self.stream.write(f"\r[{bar}] {text}\x1b[K")
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


class Command(BaseCommand):
    help = "Reclassify stored mentions with the current classifier and rules (resumable)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tenant", action="append", default=[], metavar="SLUG",
                            help="a tenant to reclassify (repeatable)")
        parser.add_argument("--all-tenants", action="store_true")
        parser.add_argument("--batch", type=int, default=2000, help="mentions per transaction")
        parser.add_argument("--restart", action="store_true",
                            help="start from the first mention instead of resuming")
        parser.add_argument("--max-batches", type=int, default=None,
                            help="stop after this many batches per tenant (resume later)")

    def handle(self, *args: Any, **opts: Any) -> None:
        if bool(opts["tenant"]) == bool(opts["all_tenants"]):
            raise CommandError("Give --tenant SLUG (repeatable) or --all-tenants.")
        if opts["batch"] < 1:
            raise CommandError("--batch must be at least 1")
        if opts["all_tenants"]:
            tenants = list(Tenant.objects.order_by("id"))
        else:
            found = {t.slug: t for t in Tenant.objects.filter(slug__in=opts["tenant"])}
            missing = sorted(set(opts["tenant"]) - set(found))
            if missing:
                raise CommandError(f"No such tenant: {', '.join(missing)}")
            tenants = [found[s] for s in dict.fromkeys(opts["tenant"])]
        classifier_path = settings.DENGAR["CLASSIFIER"]
        classifier = get_classifier()
        for tenant in tenants:
            with tenant_scope(tenant):
                self._tenant(tenant, classifier, classifier_path, opts)

    def _tenant(self, tenant: Tenant, classifier: Any, classifier_path: str, opts: dict[str, Any]) -> None:
        run, created = ReclassifyRun.objects.get_or_create(classifier=classifier_path)
        if not created and (opts["restart"] or run.finished_at is not None):
            run.last_id, run.processed, run.changed = 0, 0, 0
            run.started_at, run.finished_at = timezone.now(), None
            run.save()
        elif not created and run.last_id:
            self.stdout.write(f"{tenant.slug}: resuming after mention {run.last_id}")
        mentions = Mention.objects.all()
        done = mentions.filter(id__lte=run.last_id).count()
        progress = Progress(self._stderr(), label=tenant.slug, total=done + mentions.filter(
            id__gt=run.last_id).count(), done=done)
        rules = tenant_rules(tenant=tenant)
        learned = learned_model(tenant=tenant)  # the tenant's own model, if in use
        batches = 0
        try:
            while True:
                if opts["max_batches"] is not None and batches >= opts["max_batches"]:
                    self.stdout.write(f"{tenant.slug}: stopped after {batches} batches at "
                                      f"mention {run.last_id}; run again to resume")
                    return
                batch = mentions_reclassify_batch(
                    tenant=tenant, after_id=run.last_id, limit=opts["batch"],
                    classifier=classifier, rules=rules, learned=learned,
                )
                if not batch.processed:
                    break
                batches += 1
                done += batch.processed
                run.last_id = batch.last_id
                run.processed += batch.processed
                run.changed += batch.changed
                run.save(update_fields=["last_id", "processed", "changed", "updated_at"])
                progress.update(done)
        finally:
            progress.close()
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at", "updated_at"])
        self.stdout.write(f"{tenant.slug}: {run.processed} mentions reclassified, "
                          f"{run.changed} changed")

    def _stderr(self) -> TextIO:
        # The real stream: OutputWrapper hides isatty() behind its own ending handling.
        wrapped = getattr(self.stderr, "_out", None)
        return wrapped if wrapped is not None else sys.stderr
