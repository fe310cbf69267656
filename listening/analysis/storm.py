"""Complaint storms: complaints, or negative mentions, far above their usual level for a day.

Pure Python and numpy (no Django). The input is one series' day windows, newest first: row 0
the last 24 hours, rows 1… the 24-hour windows before it, each as (mentions, complaints,
negative). The usual level of a measure is the median window of the days before (robust to a
storm a few days old, and to a quiet weekend), and its usual share is its total over those days
against all mentions over them.

A measure storms when, in the last 24 hours, it reached ``min_count`` and either
- it is at least ``ratio`` times its usual day (at least 1), or
- its share of the day's mentions is ``share_rise`` above its usual share and at least twice it.
An alert already open stays open until the measure is back below half of each margin (half the
excess ratio, half the share rise, half the minimum), so that it does not flap around one line.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BASELINE_DAYS = 28
MIN_BASELINE_DAYS = 7  # fewer days of history than this: no usual level to compare with
MEASURES = ("complaints", "negative")


@dataclass(frozen=True)
class StormThresholds:
    min_count: float
    ratio: float
    share_rise: float

    def relaxed(self) -> StormThresholds:
        """The margins an open alert must fall back under before it clears."""
        return StormThresholds(self.min_count / 2, 1 + (self.ratio - 1) / 2, self.share_rise / 2)


PRESETS = {
    "high": StormThresholds(min_count=5, ratio=2.0, share_rise=0.10),
    "normal": StormThresholds(min_count=10, ratio=3.0, share_rise=0.20),
    "low": StormThresholds(min_count=20, ratio=4.0, share_rise=0.30),
}


@dataclass(frozen=True)
class MeasureReading:
    name: str  # complaints or negative
    count: int  # in the last 24 hours
    usual: float  # the median 24 hours of the days before
    share: float | None  # of the last 24 hours' mentions; None without mentions
    usual_share: float | None
    by_count: bool
    by_share: bool

    @property
    def storming(self) -> bool:
        return self.by_count or self.by_share

    @property
    def ratio(self) -> float:
        return self.count / max(self.usual, 1.0)


@dataclass(frozen=True)
class StormReading:
    mentions: int  # in the last 24 hours
    baseline_days: int
    measures: tuple[MeasureReading, ...]

    @property
    def storming(self) -> bool:
        return any(m.storming for m in self.measures)

    def measure(self, name: str) -> MeasureReading:
        return next(m for m in self.measures if m.name == name)


def storm_reading(days: np.ndarray, *, sensitivity: str = "normal", live: bool = False
                  ) -> StormReading | None:
    """Read one series' day windows (see the module); None when there is too little history.
    ``live``: an alert is open for it, so the relaxed margins apply."""
    days = np.asarray(days, dtype=float)
    if days.ndim != 2 or days.shape[1] != 3 or len(days) < 1 + MIN_BASELINE_DAYS:
        return None
    before = days[1 : 1 + BASELINE_DAYS]
    # Count the history from the first day with any mention: the days before the tenant
    # existed are not quiet days.
    active = np.flatnonzero(before[:, 0] > 0)
    if not len(active):
        return None
    before = before[: active.max() + 1]
    if len(before) < MIN_BASELINE_DAYS:
        return None
    t = PRESETS[sensitivity]
    if live:
        t = t.relaxed()
    today = days[0]
    mentions = int(today[0])
    readings = []
    for col, name in enumerate(MEASURES, start=1):
        count = int(today[col])
        usual = float(np.median(before[:, col]))
        total_before = float(before[:, 0].sum())
        usual_share = float(before[:, col].sum()) / total_before if total_before else None
        share = count / mentions if mentions else None
        enough = count >= t.min_count
        by_count = enough and count >= t.ratio * max(usual, 1.0)
        by_share = (enough and share is not None and usual_share is not None
                    and share >= usual_share + t.share_rise and share >= 2 * usual_share)
        readings.append(MeasureReading(name, count, usual, share, usual_share, by_count, by_share))
    return StormReading(mentions, len(before), tuple(readings))
