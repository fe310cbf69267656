"""Score needs-reply detection (does a mention ask the brand something?) on hand-labelled text.

    python manage.py evaluate_needs_reply FILE.csv [--texts TWCS.csv] [--json]

FILE holds ``text,label`` rows (label: question, request or none), as the samples under
tests/fixtures/needs_reply/ do; or ``tweet_id,label`` rows with ``--texts`` naming the Customer
Support on Twitter CSV whose texts they label (that corpus may be used for evaluation, not
redistributed, so only ids and labels are kept: listening/research/needs_reply/). Precision and
recall are of "asks something" (a question or a request) against "asks nothing"; kind accuracy
is over the mentions both call asking.
"""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from listening.analysis.engine.needs_reply import asks

LABELS = ("question", "request", "none")


@dataclass(frozen=True)
class NeedsReplyScore:
    n: int
    asking: int  # labelled question or request
    true_pos: int
    false_pos: int
    false_neg: int
    kind_right: int  # among true positives, those given the labelled kind

    @property
    def precision(self) -> float:
        return self.true_pos / max(self.true_pos + self.false_pos, 1)

    @property
    def recall(self) -> float:
        return self.true_pos / max(self.true_pos + self.false_neg, 1)


def needs_reply_score(rows: list[tuple[str, str]]) -> NeedsReplyScore:
    """Score ``asks`` on (text, label) pairs."""
    tp = fp = fn = kind_right = asking = 0
    for text, gold in rows:
        got = asks(text).value or "none"
        asking += gold != "none"
        if gold != "none" and got != "none":
            tp += 1
            kind_right += gold == got
        elif got != "none":
            fp += 1
        elif gold != "none":
            fn += 1
    return NeedsReplyScore(len(rows), asking, tp, fp, fn, kind_right)


def read_labelled(path: Path, texts: Path | None = None) -> list[tuple[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        labelled = list(csv.DictReader(fh))
    if any(row.get("label") not in LABELS for row in labelled):
        raise CommandError(f"{path}: every label must be one of {', '.join(LABELS)}")
    if texts is None:
        if labelled and "text" not in labelled[0]:
            raise CommandError(f"{path} has no text column: give --texts")
        return [(row["text"], row["label"]) for row in labelled]
    with open(texts, encoding="utf-8", newline="") as fh:
        by_id = {row["tweet_id"]: row["text"] for row in csv.DictReader(fh)}
    missing = [row["tweet_id"] for row in labelled if row["tweet_id"] not in by_id]
    if missing:
        raise CommandError(f"{len(missing)} labelled ids are not in {texts}, e.g. {missing[0]}")
    return [(by_id[row["tweet_id"]], row["label"]) for row in labelled]


class Command(BaseCommand):
    help = "Precision and recall of needs-reply detection on a hand-labelled sample."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("labels", type=Path)
        parser.add_argument("--texts", type=Path, default=None,
                            help="the TWCS CSV whose tweet_id the labels name")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        for path in (opts["labels"], opts["texts"]):
            if path is not None and not path.is_file():
                raise CommandError(f"No such file: {path}")
        score = needs_reply_score(read_labelled(opts["labels"], opts["texts"]))
        figures = {**asdict(score), "precision": round(score.precision, 3),
                   "recall": round(score.recall, 3)}
        if opts["json"]:
            self.stdout.write(json.dumps(figures))
            return
        self.stdout.write(
            f"n={score.n} asking={score.asking} precision={score.precision:.3f} "
            f"recall={score.recall:.3f} kind right {score.kind_right}/{score.true_pos}"
        )
