"""The evaluation command, on a small CSV made for the test."""

from __future__ import annotations

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command


def write_csv(path: Path, rows: list[tuple[str, ...]], header: tuple[str, ...]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run(*args: str) -> str:
    out = StringIO()
    call_command("evaluate_classifier", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_json_figures_for_spam(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "spam.csv", [
        ("JUAL followers murah, wa 081234567890", "spam", "id"),
        ("Salam Cityiklan Iklancoffee andaforex iklan percuma Online Malaysia", "spam", "ms"),
        ("@telkomsel sinyal ilang terus dr kmrn, udh lapor 2x blm ada respon jd gmn dong??",
         "ham", "id"),
        ("this song is so good, takes me back", "ham", "en"),
    ], ("text", "label", "lang"))
    result = json.loads(run(str(path), "--task", "spam", "--json"))
    assert {"macro_f1", "accuracy", "per_label", "confusion", "texts_per_second", "n"} <= set(
        result
    )
    assert result["n"] == 4
    assert set(result["per_label"]) == {"spam", "ham"}
    assert set(result["per_lang"]) == {"en", "id", "ms"}
    assert sum(sum(row.values()) for row in result["confusion"].values()) == 4


def test_it_scores_binary_sentiment_on_two_labels(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", [("enak banget", "positive"), ("tidak enak", "negative"),
                                         ("saya kecewa", "negative")], ("text", "label"))
    result = json.loads(run(str(path), "--task", "sentiment", "--json"))
    assert set(result["per_label"]) == {"positive", "negative"}


def test_it_prints_a_readable_report(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", [("still waiting for my refund", "complaint"),
                                         ("love this", "not_complaint")], ("text", "label"))
    out = run(str(path), "--task", "complaint", "--backend",
              "listening.analysis.lexicon.LexiconClassifier")
    assert "macro-F1" in out
    assert "texts per second" in out


def test_it_refuses_labels_of_another_task(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", [("hello", "spam")], ("text", "label"))
    with pytest.raises(CommandError):
        run(str(path), "--task", "complaint")


def test_training_refuses_data_that_may_not_ship(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "en_tweets_dev.csv", [("still waiting", "complaint")],
                     ("text", "label"))
    with pytest.raises(CommandError, match="not licensed"):
        call_command("train_classifier", "--sentiment-csv", str(path),
                     "--output", str(tmp_path / "w.json"))
