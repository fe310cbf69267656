"""Export human corrections as labelled data for evaluation and retraining.

    python manage.py export_corrections (--tenant SLUG ... | --all-tenants)
        [--task complaint|spam|sentiment] [--output FILE.csv]

Columns ``text,label,lang,task,tenant,corrected_at``; one row per corrected (mention, field), with
its latest label, in the vocabulary of ``evaluate_classifier`` (complaint/not_complaint, spam/ham,
positive/neutral/negative). ``evaluate_classifier`` scores one task per file: pass ``--task``.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from listening.models import Tenant
from listening.models.corrections import CorrectionField
from listening.selectors.corrections import corrections_for_export, write_export_csv


class Command(BaseCommand):
    help = "Write corrections as a labelled CSV (text,label,lang,task,tenant,corrected_at)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tenant", action="append", default=[], metavar="SLUG")
        parser.add_argument("--all-tenants", action="store_true")
        parser.add_argument("--task", choices=list(CorrectionField.values))
        parser.add_argument("--output", help="file to write (default: stdout)")

    def handle(self, *args: Any, **opts: Any) -> None:
        if bool(opts["tenant"]) == bool(opts["all_tenants"]):
            raise CommandError("Give --tenant SLUG (repeatable) or --all-tenants.")
        tenants = Tenant.objects.order_by("id")
        if not opts["all_tenants"]:
            tenants = tenants.filter(slug__in=opts["tenant"])
            missing = sorted(set(opts["tenant"]) - {t.slug for t in tenants})
            if missing:
                raise CommandError(f"No such tenant: {', '.join(missing)}")
        rows = corrections_for_export(tenants=list(tenants), task=opts["task"])
        if opts["output"]:
            with open(opts["output"], "w", encoding="utf-8", newline="") as fh:
                count = write_export_csv(rows, fh)
            self.stderr.write(f"{count} rows written to {opts['output']}")
        else:
            out = getattr(self.stdout, "_out", sys.stdout)
            count = write_export_csv(rows, out)
            self.stderr.write(f"{count} rows")
