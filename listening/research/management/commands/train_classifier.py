"""Reproduce the engine's shipped weights from shippable data only.

    python manage.py train_classifier
        [--sentiment-csv .../id_smsa_train.csv] [--spam-csv .../youtube_comments_dev.csv]
        [--output listening/analysis/engine/weights/engine.json] [--spam-exclude-group G]

Needs scikit-learn (a training-only dependency). ``--spam-exclude-group`` holds one video out of
the spam training, for leave-one-video-out evaluation; such files must not be shipped.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from listening.analysis.engine.model import DEFAULT_WEIGHTS

DATA_DIR = Path(os.environ.get("DENGAR_DATA_DIR", "/work/shared/data"))
# Licences allow shipping a model trained on these and only these (see NOTICE).
ALLOWED = {"id_smsa_train.csv", "youtube_comments_dev.csv"}


class Command(BaseCommand):
    help = "Train the engine's sentiment and spam weights (needs scikit-learn)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sentiment-csv",
                            default=str(DATA_DIR / "sentiment" / "id_smsa_train.csv"))
        parser.add_argument("--spam-csv",
                            default=str(DATA_DIR / "spam" / "youtube_comments_dev.csv"))
        parser.add_argument("--output", default=str(DEFAULT_WEIGHTS))
        parser.add_argument("--spam-exclude-group", action="append", default=[])
        parser.add_argument("--sentiment-c", type=float, default=None)
        parser.add_argument("--spam-c", type=float, default=None)
        parser.add_argument("--allow-any-data", action="store_true",
                            help="train on other files (for experiments; never ship the result)")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            from listening.research.engine import training
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise CommandError(f"training needs scikit-learn and scipy: {exc}") from exc
        sent, spam = Path(opts["sentiment_csv"]), Path(opts["spam_csv"])
        if not opts["allow_any_data"]:
            for path in (sent, spam):
                if path.name not in ALLOWED:
                    raise CommandError(f"{path.name} is not licensed for a shipped model "
                                       f"(allowed: {sorted(ALLOWED)})")
        config = training.TrainConfig(
            sentiment_csv=sent, spam_csv=spam, spam_exclude_groups=opts["spam_exclude_group"]
        )
        if opts["sentiment_c"] is not None:
            config.sentiment_c = opts["sentiment_c"]
        if opts["spam_c"] is not None:
            config.spam_c = opts["spam_c"]
        start = time.perf_counter()
        content = training.train(config)
        size = training.write(content, opts["output"])
        for line in config.log:
            self.stdout.write(line)
        self.stdout.write(
            f"wrote {opts['output']}: {len(content['buckets'])} weighted buckets, "
            f"{size / 1e6:.2f} MB in {time.perf_counter() - start:.0f}s"
        )
