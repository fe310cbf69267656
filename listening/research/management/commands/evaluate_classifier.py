"""Score a classifier backend on a labelled CSV (text,label[,lang][,group]).

    python manage.py evaluate_classifier data.csv --task complaint [--json]
        [--backend listening.analysis.engine.EngineClassifier] [--weights FILE] [--group G]
        [--learn-from TRAIN.csv --corrections N|all [--seed S]]
    python manage.py evaluate_classifier texts.csv --task language [--json]  (text[,lang])

With ``--learn-from``, the backend is scored as a fresh tenant would see it after its team
corrected N mentions drawn (seeded) from TRAIN.csv: the tenant's own model is trained on those
corrections by the code the product runs (``listening.analysis.learning.learn``, as the
training task calls it) and applied on top of the backend, as ingestion applies it.
"""

from __future__ import annotations

import csv
import inspect
import json
import random
import resource
import time
from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from listening.analysis.base import Analysis
from listening.analysis.learning import TenantModel, learn
from listening.research.engine import language
from listening.research.engine.metrics import report

DEFAULT_BACKEND = "listening.analysis.engine.EngineClassifier"
TASK_LABELS = {
    "complaint": ("complaint", "not_complaint"),
    "sentiment": ("positive", "neutral", "negative"),
    "spam": ("spam", "ham"),
}
BATCH = 512


def predict(task: str, a: Analysis, labels: tuple[str, ...]) -> str:
    if task == "complaint":
        return "complaint" if a.is_complaint else "not_complaint"
    if task == "spam":
        return "spam" if a.is_spam else "ham"
    if "neutral" not in labels and a.sentiment == "neutral":
        return "positive" if a.sentiment_score >= 0 else "negative"
    return a.sentiment


def load_backend(path: str, weights: str | None) -> Any:
    module, _, name = path.rpartition(".")
    try:
        cls = getattr(import_module(module), name)
    except (ImportError, AttributeError, ValueError) as exc:
        raise CommandError(f"cannot import backend {path!r}: {exc}") from exc
    if weights is None:
        return cls()
    if "weights" not in inspect.signature(cls).parameters:
        raise CommandError(f"{path} does not take --weights")
    return cls(weights=weights)


class LearntBackend:
    """A backend with a tenant's own model on top, applied as ingestion applies it."""

    def __init__(self, backend: Any, model: TenantModel) -> None:
        self.backend, self.model = backend, model

    def classify_many(self, texts: list[str]) -> list[Analysis]:
        return self.model.apply(texts, self.backend.classify_many(texts))


class Command(BaseCommand):
    help = "Score a classifier on a labelled CSV: macro-F1, accuracy, per label, speed."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--task", required=True, choices=[*sorted(TASK_LABELS), "language"])
        parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
        parser.add_argument("--backend", default=DEFAULT_BACKEND, help="dotted path to a class")
        parser.add_argument("--weights", help="weight file for the backend (engine only)")
        parser.add_argument("--group", action="append", default=[],
                            help="score only rows of this group (repeatable)")
        parser.add_argument("--learn-from", metavar="TRAIN.csv",
                            help="labelled rows a fresh tenant's team corrects (never the scored file)")
        parser.add_argument("--corrections", default=None, metavar="N|all",
                            help="how many rows of --learn-from the team corrected")
        parser.add_argument("--seed", type=int, default=0, help="which N rows (default 0)")

    def handle(self, *args: Any, **opts: Any) -> None:
        task: str = opts["task"]
        if task == "language":
            self._language(opts)
            return
        rows = self._read(opts["file"], opts["group"])
        gold = [r["label"].strip() for r in rows]
        unknown = set(gold) - set(TASK_LABELS[task])
        if unknown:
            raise CommandError(f"labels {sorted(unknown)} are not {task} labels "
                               f"{TASK_LABELS[task]}")
        labels = tuple(lab for lab in TASK_LABELS[task] if lab in set(gold))
        if task == "sentiment" and "neutral" not in labels:
            labels = ("positive", "negative")
        if len(labels) < 2:
            labels = TASK_LABELS[task]
        backend = load_backend(opts["backend"], opts["weights"])
        learnt = None
        if opts["learn_from"] is not None or opts["corrections"] is not None:
            backend, learnt = self._learnt(backend, task, opts)
        texts = [r["text"] for r in rows]
        backend.classify_many(texts[:50])  # warm-up: first-call imports are not throughput

        # CPU time of this process: on a shared machine, wall time measures the neighbours.
        start = time.process_time()
        analyses: list[Analysis] = []
        for i in range(0, len(texts), BATCH):
            analyses.extend(backend.classify_many(texts[i : i + BATCH]))
        elapsed = time.process_time() - start
        pred = [predict(task, a, labels) for a in analyses]

        result: dict[str, Any] = report(gold, pred, labels)
        result["texts_per_second"] = round(len(texts) / elapsed) if elapsed > 0 else None
        result["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        result["task"] = task
        if learnt is not None:
            result["corrections"] = learnt
        langs = sorted({r.get("lang") or "" for r in rows})
        if len(langs) > 1:
            result["per_lang"] = {
                lang: report(
                    [g for g, r in zip(gold, rows, strict=True) if (r.get("lang") or "") == lang],
                    [p for p, r in zip(pred, rows, strict=True) if (r.get("lang") or "") == lang],
                    labels,
                )
                for lang in langs
            }
        if opts["json"]:
            self.stdout.write(json.dumps(result))
        else:
            self._print(result, labels)

    def _language(self, opts: dict[str, Any]) -> None:
        if opts["learn_from"] is not None or opts["corrections"] is not None:
            raise CommandError("--learn-from and --corrections do not apply to --task language")
        try:
            rows = language.read_rows(opts["file"], opts["group"])
            result = language.evaluate(rows, load_backend(opts["backend"], opts["weights"]))
        except language.LanguageFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(result) if opts["json"] else "\n".join(language.lines(result)))

    def _learnt(self, backend: Any, task: str, opts: dict[str, Any]) -> tuple[Any, int]:
        """The backend with the model a tenant would learn from N corrections of TRAIN."""
        if opts["learn_from"] is None or opts["corrections"] is None:
            raise CommandError("--learn-from and --corrections go together")
        train = self._read(opts["learn_from"], opts["group"])
        unknown = {r["label"].strip() for r in train} - set(TASK_LABELS[task])
        if unknown:
            raise CommandError(f"{opts['learn_from']}: labels {sorted(unknown)} are not {task} "
                               f"labels {TASK_LABELS[task]}")
        given = opts["corrections"]
        if given == "all":
            n = len(train)
        else:
            try:
                n = int(given)
            except ValueError:
                raise CommandError(f"--corrections must be a number or all, not {given!r}") from None
            if not 0 <= n <= len(train):
                raise CommandError(f"--corrections must be 0 to {len(train)} (the labelled rows "
                                   f"of {opts['learn_from']}), not {n}")
        # The order is the order the team corrected them in: the newest are kept if capped.
        picked = [train[i] for i in random.Random(opts["seed"]).sample(range(len(train)), n)]
        texts = [r["text"] for r in picked]
        model, _ = learn({task: (texts, backend.classify_many(texts),
                                 [r["label"].strip() for r in picked])}, seed=opts["seed"])
        return LearntBackend(backend, model), n

    def _read(self, path: str, groups: list[str]) -> list[dict[str, str]]:
        try:
            with open(path, encoding="utf-8-sig", newline="") as fh:
                reader = csv.DictReader(fh)
                if not reader.fieldnames or not {"text", "label"} <= set(reader.fieldnames):
                    raise CommandError(f"{path}: needs a header with text and label columns")
                rows = [r for r in reader if r.get("label")]
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        if groups:
            rows = [r for r in rows if r.get("group") in groups]
        if not rows:
            raise CommandError(f"{path}: no labelled rows")
        return rows

    def _print(self, result: dict[str, Any], labels: tuple[str, ...]) -> None:
        w = self.stdout.write
        w(f"task {result['task']}: n={result['n']}  macro-F1 {result['macro_f1']:.4f}  "
          f"accuracy {result['accuracy']:.4f}")
        w(f"{'label':>15} {'precision':>9} {'recall':>7} {'F1':>7} {'support':>8}")
        for lab, m in result["per_label"].items():
            w(f"{lab:>15} {m['precision']:>9.4f} {m['recall']:>7.4f} {m['f1']:>7.4f} "
              f"{m['support']:>8}")
        w("confusion (rows gold, columns predicted):")
        w(" " * 15 + "".join(f"{lab:>15}" for lab in labels))
        for g in labels:
            w(f"{g:>15}" + "".join(f"{result['confusion'][g][p]:>15}" for p in labels))
        for lang, sub in result.get("per_lang", {}).items():
            w(f"lang {lang or '?'}: n={sub['n']}  macro-F1 {sub['macro_f1']:.4f}  "
              f"accuracy {sub['accuracy']:.4f}")
        if "corrections" in result:
            w(f"with the tenant model learnt from {result['corrections']} corrections")
        w(f"texts per second: {result['texts_per_second']}  max RSS: {result['max_rss_mb']} MB")
