"""The evaluate_volume command on a tiny labelled directory made for the test."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from listening.research.volume.scoring import score_alerts

START = datetime(2015, 3, 2)


def write_series(path: Path, values: np.ndarray) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["timestamp", "value"])
        for i, v in enumerate(values):
            writer.writerow([(START + timedelta(hours=i)).strftime("%Y-%m-%d %H:%M:%S"), int(v)])


def stamp(hour: int) -> str:
    return (START + timedelta(hours=hour)).strftime("%Y-%m-%d %H:%M:%S")


def series(seed: int, drop_at: int | None = None) -> np.ndarray:
    hours = np.arange(28 * 24)
    mean = 300 * (1 + 0.5 * np.sin(2 * np.pi * hours / 24)) * np.where((hours // 24) % 7 >= 5, 0.6, 1.0)
    if drop_at is not None:
        mean[drop_at:] *= 0.3
    return np.random.default_rng(seed).poisson(mean).astype(float)


def run(*args: str) -> dict:
    out = StringIO()
    call_command("evaluate_volume", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_it_scores_hits_false_alerts_and_delays(tmp_path: Path) -> None:
    drop = 20 * 24 + 6
    write_series(tmp_path / "brand_keep30.csv", series(1, drop))
    write_series(tmp_path / "brand_control.csv", series(2))
    labels = {
        "brand_keep30.csv": {"direction": "down", "windows": [[stamp(drop), stamp(drop + 48)]]},
        "brand_control.csv": {"direction": "down", "windows": []},
    }
    (tmp_path / "labels.json").write_text(json.dumps(labels))
    result = run(str(tmp_path), "--labels", str(tmp_path / "labels.json"))
    files = {f["file"]: f for f in result["files"]}
    keep = files["brand_keep30.csv"]
    assert (keep["windows"], keep["hits"], keep["false_alerts"]) == (1, 1, 0)
    hit = next(a for a in keep["alerts"] if a["outcome"] == "hit")
    expected_delay = (datetime.fromisoformat(hit["at"]) - START).total_seconds() / 3600 - drop
    assert keep["median_delay_hours"] == pytest.approx(expected_delay)
    assert 0 <= expected_delay <= 24
    assert files["brand_control.csv"]["false_alerts"] == result["false_alerts"]
    assert result["recall"] == 1.0
    assert result["precision"] == pytest.approx(1 / (1 + result["false_alerts"]))
    assert {"recall", "precision", "false_alerts", "median_delay_hours", "files"} <= set(result)


def test_an_alert_outside_every_window_is_a_false_alert(tmp_path: Path) -> None:
    drop = 20 * 24 + 6
    write_series(tmp_path / "moved.csv", series(1, drop))
    labels = {"moved.csv": {"direction": "down", "windows": [[stamp(5 * 24), stamp(6 * 24)]]}}
    (tmp_path / "labels.json").write_text(json.dumps(labels))
    result = run(str(tmp_path))
    assert (result["hits"], result["recall"]) == (0, 0.0)
    assert result["false_alerts"] >= 1
    assert result["median_delay_hours"] is None


def test_only_the_first_alert_in_a_window_counts() -> None:
    windows = [(START, START + timedelta(hours=48))]
    score = score_alerts(name="f", direction="up", points=100, windows=windows, alerts=[
        (START + timedelta(hours=30), "up"), (START + timedelta(hours=3), "up"),
        (START + timedelta(hours=60), "up"), (START + timedelta(hours=10), "down"),
    ])
    assert (score.hits, score.false_alerts, score.delays_hours) == (1, 2, [3.0])
    assert [a["outcome"] for a in score.alerts] == ["hit", "false", "ignored", "false"]


def test_it_refuses_a_directory_without_labelled_files(tmp_path: Path) -> None:
    (tmp_path / "labels.json").write_text("{}")
    with pytest.raises(CommandError):
        run(str(tmp_path))
