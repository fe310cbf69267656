"""The ceiling of simple one-rule detectors on labelled series: how good can one threshold be?

Each rule is an online feature of the hourly counts (sub-hourly steps summed in consecutive blocks
of an hour's worth, stamped with the block's last timestamp; hourly or coarser steps as they are,
the hours below then rounded up to whole steps), with S_L(t) the sum of the last L hours:
  days_L = (S_L(t) + 1) / (median of S_L(t - d days), d = 1..7, + 1)   at least 3 of the 7 known
  day_L  = (S_L(t) / L + 1) / (mean of the 24 hours before those L + 1)
  week_L = (S_L(t) / L + 1) / (mean of the 168 hours before those L + 1)
  z_L    = robust z of log days_L against all its own past values (median, 1.4826 x MAD), once
           there are 3 days of them
For direction `down` the ratios are inverted and z negated, so a rule always alerts on high values.
A rule alerts where its feature reaches the threshold, after the detector's surge warm-up and at
least its cool-down after the rule's previous alert; alerts are scored with `score_alerts`. The
threshold is one per rule for all files, chosen by looking at the labels: the figures are an upper
bound for that rule, not an estimate of how it would do on new data.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from listening.analysis.volume.baseline import masked_median
from listening.analysis.volume.config import HOUR, DetectorConfig
from listening.research.volume.scoring import Rates, score_alerts

FAMILIES = ("days", "day", "week", "z")
SPANS_HOURS = (1, 3, 6, 12, 24)
PAST_DAYS = 7
MIN_PAST_DAYS = 3
DAY_HOURS = 24
WEEK_HOURS = 168
MAD_SCALE = 1.4826  # MAD x this estimates the sd of a normal sample
_DETECTOR = DetectorConfig(step_seconds=HOUR)
WARMUP_HOURS = _DETECTOR.surge_warmup_days * 24
COOLDOWN_HOURS = _DETECTOR.cooldown_hours
# Candidate thresholds, as quantiles of a rule's pooled values: fine above the median, where
# useful thresholds lie, and coarse below it, so that a recall only reached by alerting at every
# chance the cool-down leaves is found too.
QUANTILES = np.concatenate([np.linspace(0.0, 0.45, 10), np.linspace(0.5, 1.0, 200)])


@dataclass(frozen=True)
class Rule:
    family: str
    hours: int

    @property
    def name(self) -> str:
        return f"{self.family}_{self.hours}"


RULES = tuple(Rule(family, hours) for family in FAMILIES for hours in SPANS_HOURS)


@dataclass(frozen=True)
class LabelledSeries:
    name: str
    direction: str  # up or down
    timestamps: Sequence[datetime]
    values: Sequence[float]
    windows: Sequence[tuple[datetime, datetime]]
    step_seconds: int


@dataclass(frozen=True)
class Hourly:
    times: list[datetime]  # the last timestamp of each block
    counts: np.ndarray
    step_seconds: int  # of one element of counts

    def steps(self, hours: float) -> int:
        return max(1, math.ceil(hours * HOUR / self.step_seconds - 1e-9))


def hourly(timestamps: Sequence[datetime], values: Sequence[float] | np.ndarray, step_seconds: int) -> Hourly:
    """Sums of consecutive blocks of an hour's worth of steps (a trailing partial block is dropped)."""
    x = np.asarray(values, dtype=float)
    if step_seconds >= HOUR:
        return Hourly(list(timestamps), x, step_seconds)
    w = max(1, round(HOUR / step_seconds))
    blocks = len(x) // w
    # A block with a missing step is unknown rather than low.
    counts = x[: blocks * w].reshape(blocks, w).sum(axis=1)
    return Hourly([timestamps[(b + 1) * w - 1] for b in range(blocks)], counts, w * step_seconds)


def _window_sum(x: np.ndarray, span: int) -> np.ndarray:
    """out[t] = x[t - span + 1] + ... + x[t]; NaN where the span is not all known."""
    known = np.isfinite(x)
    total = np.concatenate([[0.0], np.cumsum(np.where(known, x, 0.0))])
    unknown = np.concatenate([[0], np.cumsum(~known)])
    out = np.full(len(x), np.nan)
    if span <= len(x):
        ok = unknown[span:] == unknown[:-span]
        out[span - 1 :] = np.where(ok, total[span:] - total[:-span], np.nan)
    return out


def _lagged(a: np.ndarray, lag: int) -> np.ndarray:
    out = np.full(len(a), np.nan)
    if lag < len(a):
        out[lag:] = a[: len(a) - lag]
    return out


def _days_log_ratio(h: Hourly, span: int) -> np.ndarray:
    s = _window_sum(h.counts, span)
    past = np.stack([_lagged(s, d * h.steps(DAY_HOURS)) for d in range(1, PAST_DAYS + 1)], axis=1)
    median, known = masked_median(past)
    return np.where(known >= MIN_PAST_DAYS, np.log((s + 1) / (median + 1)), np.nan)


def _median(a: np.ndarray) -> float:
    # np.median's generality costs more than the partition itself at ~T^2 / 2 calls.
    n = len(a)
    lo, hi = (n - 1) // 2, n // 2
    part = np.partition(a, (lo, hi))
    return float((part[lo] + part[hi]) / 2)


def _robust_z(r: np.ndarray, min_past: int) -> np.ndarray:
    """(r[t] - median(r[:t])) / (MAD_SCALE * MAD(r[:t])) over the known past, O(T^2)."""
    z = np.full(len(r), np.nan)
    past = np.empty(len(r))
    k = 0
    for t, value in enumerate(r.tolist()):
        if not math.isfinite(value):
            continue
        if k >= min_past:
            seen = past[:k]
            median = _median(seen)
            mad = _median(np.abs(seen - median))
            # A constant past has no scale: no z rather than an infinite one.
            if mad > 0:
                z[t] = (value - median) / (MAD_SCALE * mad)
        past[k] = value
        k += 1
    return z


def feature(h: Hourly, rule: Rule, direction: str) -> np.ndarray:
    """The rule's feature at each hourly step from that step and the ones before it; NaN = undefined."""
    sign = 1.0 if direction == "up" else -1.0
    span = h.steps(rule.hours)
    if rule.family == "days":
        return np.exp(sign * _days_log_ratio(h, span))
    if rule.family == "z":
        return _robust_z(sign * _days_log_ratio(h, span), h.steps(MIN_PAST_DAYS * 24))
    base_span = h.steps(DAY_HOURS if rule.family == "day" else WEEK_HOURS)
    recent = _window_sum(h.counts, span) / span
    before = _lagged(_window_sum(h.counts, base_span) / base_span, span)
    return ((recent + 1) / (before + 1)) ** sign


def alertable(h: Hourly, rule: Rule, direction: str) -> np.ndarray:
    """The feature where the rule may alert: NaN during the warm-up."""
    values = feature(h, rule, direction)
    values[: h.steps(WARMUP_HOURS)] = np.nan
    return values


def alert_steps(values: np.ndarray, threshold: float, cooldown: int) -> list[int]:
    """Steps where an alert opens: values >= threshold, at least `cooldown` steps after the last."""
    above = np.flatnonzero(values >= threshold).tolist()  # NaN is never >= anything
    out: list[int] = []
    i = 0
    while i < len(above):
        t = above[i]
        out.append(t)
        i = bisect.bisect_left(above, t + cooldown, i + 1)
    return out


@dataclass(frozen=True)
class Outcome(Rates):
    threshold: float
    windows: int
    hits: int
    false_alerts: int


@dataclass(frozen=True)
class _Prepared:
    series: LabelledSeries
    hourly: Hourly
    values: np.ndarray


def _outcome(prepared: Sequence[_Prepared], threshold: float, cache: dict[Any, tuple[int, int]]) -> Outcome:
    hits = false_alerts = windows = 0
    for i, p in enumerate(prepared):
        steps = tuple(alert_steps(p.values, threshold, p.hourly.steps(COOLDOWN_HOURS)))
        # Neighbouring thresholds often give the same alerts: score each set once.
        if (i, steps) not in cache:
            score = score_alerts(
                name=p.series.name,
                direction=p.series.direction,
                points=len(p.values),
                windows=p.series.windows,
                alerts=[(p.hourly.times[t], p.series.direction) for t in steps],
            )
            cache[i, steps] = (score.hits, score.false_alerts)
        h, f = cache[i, steps]
        hits, false_alerts, windows = hits + h, false_alerts + f, windows + len(p.series.windows)
    return Outcome(threshold, windows, hits, false_alerts)


def thresholds(pooled: np.ndarray) -> np.ndarray:
    pooled = pooled[np.isfinite(pooled)]
    return np.unique(np.quantile(pooled, QUANTILES, method="lower")) if len(pooled) else np.array([])


@dataclass(frozen=True)
class RuleCeiling:
    rule: str
    best_precision_at_recall: float | None
    threshold_for_precision: float | None
    best_recall_at_precision: float | None
    threshold_for_recall: float | None

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def rule_ceiling(
    rule: Rule, outcomes: Sequence[Outcome], *, target_recall: float, target_precision: float
) -> RuleCeiling:
    eps = 1e-12
    at_recall = [
        o for o in outcomes if o.recall is not None and o.precision is not None and o.recall >= target_recall - eps
    ]
    at_precision = [
        o
        for o in outcomes
        if o.precision is not None and o.recall is not None and o.precision >= target_precision - eps
    ]
    # Ties go to the other figure, then to the higher (more conservative) threshold.
    p = max(at_recall, key=lambda o: (o.precision, o.recall, o.threshold), default=None)
    r = max(at_precision, key=lambda o: (o.recall, o.precision, o.threshold), default=None)
    return RuleCeiling(
        rule.name,
        p.precision if p else None,
        p.threshold if p else None,
        r.recall if r else None,
        r.threshold if r else None,
    )


@dataclass(frozen=True)
class FilePeaks:
    """The best rule's feature: its peak inside each labelled window, and its largest value outside them."""

    file: str
    direction: str
    window_peaks: list[float | None]
    outside_peak: float | None
    outside_peak_at: datetime | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "direction": self.direction,
            "window_peaks": self.window_peaks,
            "outside_peak": self.outside_peak,
            "outside_peak_at": None if self.outside_peak_at is None else str(self.outside_peak_at),
        }


def _peak(values: np.ndarray, mask: np.ndarray) -> int | None:
    known = mask & np.isfinite(values)
    return int(np.flatnonzero(known)[np.argmax(values[known])]) if known.any() else None


def file_peaks(p: _Prepared) -> FilePeaks:
    times = np.array(p.hourly.times, dtype="datetime64[s]")
    inside_any = np.zeros(len(times), dtype=bool)
    peaks: list[float | None] = []
    for start, end in p.series.windows:
        inside = (times >= np.datetime64(start, "s")) & (times <= np.datetime64(end, "s"))
        inside_any |= inside
        at = _peak(p.values, inside)
        peaks.append(None if at is None else float(p.values[at]))
    at = _peak(p.values, ~inside_any)
    return FilePeaks(
        p.series.name,
        p.series.direction,
        peaks,
        None if at is None else float(p.values[at]),
        None if at is None else p.hourly.times[at],
    )


@dataclass(frozen=True)
class Ceiling:
    target_recall: float
    target_precision: float
    rules: list[RuleCeiling]
    best: str | None
    files: list[FilePeaks]  # for the best rule

    def to_dict(self) -> dict[str, Any]:
        return {
            "target_recall": self.target_recall,
            "target_precision": self.target_precision,
            "rules": [r.to_dict() for r in self.rules],
            "best": self.best,
            "files": [f.to_dict() for f in self.files],
        }


def ceiling(
    series: Sequence[LabelledSeries],
    *,
    target_recall: float = 0.8,
    target_precision: float = 0.6,
    rules: Sequence[Rule] = RULES,
) -> Ceiling:
    """For each rule, the best precision at recall >= target and the best recall at precision >= target."""
    hours = [hourly(s.timestamps, s.values, s.step_seconds) for s in series]
    results: list[RuleCeiling] = []
    prepared_by_rule: dict[str, list[_Prepared]] = {}
    for rule in rules:
        prepared = [_Prepared(s, h, alertable(h, rule, s.direction)) for s, h in zip(series, hours, strict=True)]
        prepared_by_rule[rule.name] = prepared
        pooled = np.concatenate([p.values for p in prepared]) if prepared else np.array([])
        cache: dict[Any, tuple[int, int]] = {}
        outcomes = [_outcome(prepared, float(t), cache) for t in thresholds(pooled)]
        results.append(rule_ceiling(rule, outcomes, target_recall=target_recall, target_precision=target_precision))

    def rank(r: RuleCeiling) -> tuple[float, float]:
        return (
            -1.0 if r.best_precision_at_recall is None else r.best_precision_at_recall,
            -1.0 if r.best_recall_at_precision is None else r.best_recall_at_precision,
        )

    best = max(results, key=rank, default=None)
    if best is not None and rank(best) == (-1.0, -1.0):
        best = None
    files = [file_peaks(p) for p in prepared_by_rule[best.rule]] if best else []
    return Ceiling(target_recall, target_precision, results, best.rule if best else None, files)
