"""Language identification figures: the share of each language a backend names, and with a gold
``lang`` column, its accuracy and confusion (rows gold, columns predicted).

    python manage.py evaluate_classifier FILE --task language [--json]
"""

from __future__ import annotations

import csv
import resource
import time
from collections import Counter
from typing import Any

LANGUAGES = ("en", "id", "ms", "other")
BATCH = 512


class LanguageFileError(ValueError):
    """The file cannot be read as texts (with an optional gold ``lang`` column)."""


def read_rows(path: str, groups: list[str]) -> list[dict[str, str]]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or "text" not in reader.fieldnames:
                raise LanguageFileError(f"{path}: needs a header with a text column")
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise LanguageFileError(f"{path}: {exc}") from exc
    if groups:
        rows = [r for r in rows if r.get("group") in groups]
    if not rows:
        raise LanguageFileError(f"{path}: no rows")
    return rows


def evaluate(rows: list[dict[str, str]], backend: Any) -> dict[str, Any]:
    """Classify every row's text and report what language the backend gives each."""
    texts = [r["text"] or "" for r in rows]
    backend.classify_many(texts[:50])  # warm-up: first-call imports are not throughput
    start = time.process_time()  # CPU time: on a shared machine, wall time measures neighbours
    analyses = []
    for i in range(0, len(texts), BATCH):
        analyses.extend(backend.classify_many(texts[i : i + BATCH]))
    elapsed = time.process_time() - start
    pred = [a.lang for a in analyses]
    n = len(pred)
    counts = Counter(pred)
    result: dict[str, Any] = {
        "task": "language",
        "n": n,
        "share": {lang: round(counts[lang] / n, 4) for lang in LANGUAGES},
        "mean_confidence": {
            lang: round(sum(a.lang_confidence for a in analyses if a.lang == lang)
                        / counts[lang], 3)
            for lang in LANGUAGES if counts[lang]
        },
    }
    gold = [(r.get("lang") or "").strip() for r in rows]
    if all(gold):
        unknown = set(gold) - set(LANGUAGES)
        if unknown:
            raise LanguageFileError(f"lang values {sorted(unknown)} are not {LANGUAGES}")
        confusion = {g: dict.fromkeys(LANGUAGES, 0) for g in LANGUAGES if g in gold}
        for g, p in zip(gold, pred, strict=True):
            confusion[g][p] += 1
        result["accuracy"] = round(sum(g == p for g, p in zip(gold, pred, strict=True)) / n, 4)
        result["confusion"] = confusion
    result["texts_per_second"] = round(n / elapsed) if elapsed > 0 else None
    result["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result


def lines(result: dict[str, Any]) -> list[str]:
    """The report as text."""
    out = [f"task language: n={result['n']}"]
    out.append(f"{'language':>10} {'share':>7} {'mean confidence':>16}")
    for lang in LANGUAGES:
        conf = result["mean_confidence"].get(lang)
        out.append(f"{lang:>10} {result['share'][lang]:>7.4f} "
                   f"{'' if conf is None else f'{conf:.3f}':>16}")
    if "confusion" in result:
        out.append(f"accuracy against the lang column: {result['accuracy']:.4f}")
        out.append("confusion (rows gold, columns predicted):")
        out.append(" " * 10 + "".join(f"{lang:>8}" for lang in LANGUAGES))
        for g, row in result["confusion"].items():
            out.append(f"{g:>10}" + "".join(f"{row[p]:>8}" for p in LANGUAGES))
    out.append(f"texts per second: {result['texts_per_second']}  "
               f"max RSS: {result['max_rss_mb']} MB")
    return out
