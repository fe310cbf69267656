"""The ceiling of one-rule volume detectors, on synthetic labelled series made for the test."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from listening.research.management.commands.evaluate_volume import summarise
from listening.research.volume.ceiling import (
    COOLDOWN_HOURS,
    RULES,
    LabelledSeries,
    Outcome,
    Rule,
    alert_steps,
    alertable,
    ceiling,
    feature,
    hourly,
    rule_ceiling,
)
from listening.research.volume.scoring import score_alerts

START = datetime(2015, 3, 2)
HOUR = timedelta(hours=1)


def mean_counts(days: int, events: tuple[tuple[int, int, float], ...] = (), level: float = 300) -> np.ndarray:
    """A daily rhythm, quieter weekends; each event multiplies `length` hours from `start` by `factor`."""
    hours = np.arange(days * 24)
    mean = level * (1 + 0.5 * np.sin(2 * np.pi * hours / 24)) * np.where((hours // 24) % 7 >= 5, 0.6, 1.0)
    for start, length, factor in events:
        mean[start : start + length] *= factor
    return mean


def hourly_series(name: str, direction: str, mean: np.ndarray, windows: list[int], seed: int) -> LabelledSeries:
    values = np.random.default_rng(seed).poisson(mean).astype(float)
    stamps = [START + i * HOUR for i in range(len(values))]
    return LabelledSeries(name, direction, stamps, values.tolist(), window_times(windows), 3600)


def window_times(starts: list[int]) -> list[tuple[datetime, datetime]]:
    return [(START + s * HOUR, START + (s + 24) * HOUR) for s in starts]


def by_rule(result: dict) -> dict[str, dict]:
    return {r["rule"]: r for r in result["rules"]}


# Bursts every few days after the warm-ups of every rule, at different hours of the day.
BURSTS = [10 * 24 + 3, 14 * 24 + 15, 19 * 24 + 9, 24 * 24 + 20]


@pytest.mark.parametrize(("direction", "factor"), [("up", 6.0), ("down", 1 / 6)])
def test_a_clear_change_in_every_window_is_caught_without_a_false_alert(direction: str, factor: float) -> None:
    series = [
        hourly_series(
            f"brand{seed}.csv", direction, mean_counts(30, tuple((b, 6, factor) for b in BURSTS)), BURSTS, seed
        )
        for seed in (1, 2)
    ]
    result = by_rule(ceiling(series, target_recall=1.0, target_precision=1.0).to_dict())
    assert result["days_1"]["best_precision_at_recall"] == 1.0
    assert result["days_1"]["best_recall_at_precision"] == 1.0
    assert result["days_1"]["threshold_for_precision"] > 2


def test_the_same_change_labelled_the_other_way_is_not_caught() -> None:
    series = [hourly_series("brand.csv", "down", mean_counts(30, tuple((b, 6, 6.0) for b in BURSTS)), BURSTS, 1)]
    result = by_rule(ceiling(series, target_recall=1.0).to_dict())
    assert result["days_1"]["best_precision_at_recall"] is None or result["days_1"]["best_precision_at_recall"] < 0.5


def infeasible_set() -> list[LabelledSeries]:
    # Labelled x1.5 rises for 12 hours; unlabelled x10 bursts for 6 hours in between.
    rises = [10 * 24 + 2, 17 * 24 + 8, 24 * 24 + 14, 31 * 24 + 20, 38 * 24 + 5]
    bursts = [r + 84 for r in rises]
    events = tuple((r, 12, 1.5) for r in rises) + tuple((b, 6, 10.0) for b in bursts)
    return [hourly_series(f"brand{seed}.csv", "up", mean_counts(44, events), rises, seed) for seed in (3, 4)]


def test_small_labelled_rises_next_to_large_unlabelled_bursts_are_out_of_reach() -> None:
    result = ceiling(infeasible_set(), target_recall=0.8, target_precision=0.6)
    assert len(result.rules) == 20
    for rule in result.rules:
        assert rule.best_precision_at_recall is None or rule.best_precision_at_recall < 0.6, rule
    # Every bursts outshines every labelled rise, which is what makes the target infeasible.
    for peaks in result.files:
        assert peaks.outside_peak is not None
        assert all(p is not None and p < peaks.outside_peak for p in peaks.window_peaks)


def test_the_reported_figures_are_those_of_score_alerts_and_summarise() -> None:
    series = infeasible_set()
    result = ceiling(series, target_recall=0.8, target_precision=0.6)
    rule = next(r for r in result.rules if r.rule == "days_3")
    assert rule.threshold_for_precision is not None
    scores = []
    for s in series:
        h = hourly(s.timestamps, s.values, s.step_seconds)
        values = alertable(h, Rule("days", 3), s.direction)
        steps = alert_steps(values, rule.threshold_for_precision, int(COOLDOWN_HOURS))
        scores.append(
            score_alerts(
                name=s.name,
                direction=s.direction,
                points=len(values),
                windows=s.windows,
                alerts=[(h.times[t], s.direction) for t in steps],
            )
        )
    overall = summarise(scores)
    assert overall["precision"] == pytest.approx(rule.best_precision_at_recall)
    assert overall["recall"] >= 0.8


def test_each_target_picks_the_best_threshold_that_meets_it() -> None:
    outcomes = [
        Outcome(1.0, 10, 10, 20),
        Outcome(2.0, 10, 8, 4),
        Outcome(2.5, 10, 8, 4),
        Outcome(3.0, 10, 7, 1),
        Outcome(4.0, 10, 0, 0),
    ]
    result = rule_ceiling(Rule("days", 1), outcomes, target_recall=0.8, target_precision=0.6)
    # Equal figures go to the higher threshold.
    assert (result.best_precision_at_recall, result.threshold_for_precision) == (pytest.approx(2 / 3), 2.5)
    assert (result.best_recall_at_precision, result.threshold_for_recall) == (0.8, 2.5)
    strict = rule_ceiling(Rule("days", 1), outcomes, target_recall=0.9, target_precision=0.8)
    assert (strict.best_precision_at_recall, strict.threshold_for_precision) == (pytest.approx(1 / 3), 1.0)
    assert (strict.best_recall_at_precision, strict.threshold_for_recall) == (0.7, 3.0)
    out_of_reach = rule_ceiling(Rule("days", 1), outcomes, target_recall=0.8, target_precision=0.9)
    assert (out_of_reach.best_recall_at_precision, out_of_reach.threshold_for_recall) == (None, None)


def test_an_alert_waits_for_the_cool_down_after_the_previous_one() -> None:
    values = np.full(100, 5.0)
    assert alert_steps(values, 5.0, 24) == [0, 24, 48, 72, 96]
    values[:30] = np.nan
    values[50] = 4.9
    values[51:74] = 1.0
    assert alert_steps(values, 5.0, 24) == [30, 74, 98]
    assert alert_steps(values, 5.1, 24) == []


def test_no_rule_may_alert_before_three_days_of_history() -> None:
    s = hourly_series("brand.csv", "up", mean_counts(12), [], 5)
    h = hourly(s.timestamps, s.values, s.step_seconds)
    for rule in RULES:
        values = alertable(h, rule, "up")
        assert np.isnan(values[:72]).all()
        assert np.isfinite(values[-24:]).all(), rule


def naive_features(x: np.ndarray, t: int, span: int) -> dict[str, float]:
    """The four definitions written out for one step, slice by slice."""

    def s(u: int) -> float:
        return float(x[u - span + 1 : u + 1].sum()) if u - span + 1 >= 0 else np.nan

    def days(u: int) -> float:
        past = [s(u - 24 * d) for d in range(1, 8) if u - 24 * d - span + 1 >= 0]
        return (s(u) + 1) / (np.median(past) + 1) if len(past) >= 3 else np.nan

    def mean_before(hours: int) -> float:
        lo = t - span - hours + 1
        return float(x[lo : t - span + 1].mean()) if lo >= 0 else np.nan

    r = np.log([days(u) for u in range(t + 1)])
    past = r[:t][np.isfinite(r[:t])]
    median = np.median(past)
    z = (r[t] - median) / (1.4826 * np.median(np.abs(past - median))) if len(past) >= 72 else np.nan
    return {
        "days": days(t),
        "day": (s(t) / span + 1) / (mean_before(24) + 1),
        "week": (s(t) / span + 1) / (mean_before(168) + 1),
        "z": z,
    }


def test_the_features_follow_their_definitions() -> None:
    s = hourly_series("brand.csv", "up", mean_counts(12, ((150, 5, 4.0),)), [], 6)
    h = hourly(s.timestamps, s.values, s.step_seconds)
    checked = 0
    for t in (100, 152, 200, 287):
        expected = naive_features(h.counts, t, 3)
        for family in ("days", "day", "week", "z"):
            got = feature(h, Rule(family, 3), "up")[t]
            if np.isnan(expected[family]):
                assert np.isnan(got), (family, t)
            else:
                assert got == pytest.approx(expected[family], rel=1e-9), (family, t)
                checked += 1
    assert checked >= 12  # week and z are undefined at step 100 only


def test_a_down_rule_is_the_up_rule_turned_over() -> None:
    s = hourly_series("brand.csv", "up", mean_counts(12), [], 8)
    h = hourly(s.timestamps, s.values, s.step_seconds)
    for rule in RULES:
        up, down = feature(h, rule, "up"), feature(h, rule, "down")
        assert np.isfinite(up).sum() > 24
        expected = -up if rule.family == "z" else 1 / up
        np.testing.assert_allclose(down, expected, rtol=1e-12, err_msg=rule.name)


def five_minute(mean_per_hour: np.ndarray, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).poisson(np.repeat(mean_per_hour / 12, 12)).astype(float)


@pytest.mark.parametrize("step_minutes", [60, 5])
@pytest.mark.parametrize("direction", ["up", "down"])
def test_a_feature_up_to_a_step_does_not_depend_on_what_comes_after(step_minutes: int, direction: str) -> None:
    mean = mean_counts(16)
    values = np.random.default_rng(7).poisson(mean).astype(float) if step_minutes == 60 else five_minute(mean, 7)
    stamps = [START + i * timedelta(minutes=step_minutes) for i in range(len(values))]
    cut = len(values) * 3 // 4  # the last step left alone
    altered = values.copy()
    altered[cut + 1 :] = altered[cut + 1 :] * 5 + 40
    before = hourly(stamps, values, step_minutes * 60)
    after = hourly(stamps, altered, step_minutes * 60)
    known = sum(t <= stamps[cut] for t in before.times)
    for rule in RULES:
        a, b = feature(before, rule, direction), feature(after, rule, direction)
        np.testing.assert_array_equal(a[:known], b[:known], err_msg=rule.name)
        # The alteration does reach the later steps, so the equality above is not vacuous.
        assert not np.allclose(a[known:], b[known:], equal_nan=True), rule.name


def write_series(path: Path, values: np.ndarray, step: timedelta) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["timestamp", "value"])
        for i, v in enumerate(values):
            writer.writerow([(START + i * step).strftime("%Y-%m-%d %H:%M:%S"), int(v)])


def run(*args: str) -> str:
    out = StringIO()
    call_command("evaluate_volume", *args, stdout=out)
    return out.getvalue()


def labelled_five_minute_dir(tmp_path: Path) -> Path:
    labels = {}
    for seed in (1, 2):
        mean = mean_counts(30, tuple((b, 6, 6.0) for b in BURSTS))
        write_series(tmp_path / f"brand{seed}.csv", five_minute(mean, seed), timedelta(minutes=5))
        labels[f"brand{seed}.csv"] = {
            "direction": "up",
            "windows": [[str(start), str(end)] for start, end in window_times(BURSTS)],
        }
    (tmp_path / "labels.json").write_text(json.dumps(labels))
    return tmp_path


def test_the_command_prints_the_ceiling_as_json(tmp_path: Path) -> None:
    directory = labelled_five_minute_dir(tmp_path)
    result = json.loads(run(str(directory), "--ceiling", "--json", "--target-recall", "1.0"))
    assert {"target_recall", "target_precision", "rules", "best"} <= set(result)
    assert (result["target_recall"], result["target_precision"]) == (1.0, 0.6)
    assert set(result["rules"][0]) == {
        "rule",
        "best_precision_at_recall",
        "threshold_for_precision",
        "best_recall_at_precision",
        "threshold_for_recall",
    }
    assert [r["rule"] for r in result["rules"]] == [r.name for r in RULES]
    assert by_rule(result)["days_1"]["best_precision_at_recall"] == 1.0
    assert by_rule(result)[result["best"]]["best_precision_at_recall"] == 1.0
    assert [len(f["window_peaks"]) for f in result["files"]] == [len(BURSTS)] * 2


def test_the_command_names_the_best_rule_last(tmp_path: Path) -> None:
    lines = run(str(labelled_five_minute_dir(tmp_path)), "--ceiling").splitlines()
    assert lines[-1].startswith("best rule: ")
    assert lines[-1].endswith(": reachable")
    assert any(line.startswith("days_1 ") for line in lines)


def test_the_ceiling_refuses_a_directory_without_labelled_files(tmp_path: Path) -> None:
    (tmp_path / "labels.json").write_text("{}")
    write_series(tmp_path / "unlabelled.csv", np.ones(200), timedelta(hours=1))
    with pytest.raises(CommandError, match="no CSV"):
        run(str(tmp_path), "--ceiling")


def test_the_ceiling_takes_the_direction_from_the_labels(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="direction"):
        run(str(labelled_five_minute_dir(tmp_path)), "--ceiling", "--direction", "up")
