"""Scoring alerts against labelled windows (the window semantics of shared/data/README.md).

An alert opened inside a labelled window of the file's direction is a hit for that window (the
first counts, later ones in the same window are ignored); an alert outside every window is a
false alert. An alert of the other direction inside a window is not a hit either; it is
counted as a false alert, since nobody asked for it there.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime


def infer_step_seconds(timestamps: Sequence[datetime]) -> int:
    """The regular interval of a series: the median gap between consecutive timestamps."""
    if len(timestamps) < 2:
        raise ValueError("need at least two timestamps to infer the step")
    gaps = [(b - a).total_seconds() for a, b in zip(timestamps, timestamps[1:], strict=False)]
    step = statistics.median(gaps)
    if step <= 0:
        raise ValueError("timestamps must increase")
    return int(round(step))


class Rates:
    """Recall and precision of anything that counts windows, hits and false alerts."""

    windows: int
    hits: int
    false_alerts: int

    @property
    def recall(self) -> float | None:
        return self.hits / self.windows if self.windows else None

    @property
    def precision(self) -> float | None:
        total = self.hits + self.false_alerts
        return self.hits / total if total else None


@dataclass
class FileScore(Rates):
    name: str
    direction: str
    points: int
    windows: int
    hits: int = 0
    false_alerts: int = 0
    delays_hours: list[float] = field(default_factory=list)
    alerts: list[dict[str, object]] = field(default_factory=list)
    gaps: int = 0


def score_alerts(*, name: str, direction: str, points: int, windows: Sequence[tuple[datetime, datetime]],
                 alerts: Sequence[tuple[datetime, str]]) -> FileScore:
    """`alerts` are (opened at, direction) pairs, in any order."""
    score = FileScore(name=name, direction=direction, points=points, windows=len(windows))
    hit: set[int] = set()
    for at, alert_direction in sorted(alerts):
        inside = [i for i, (start, end) in enumerate(windows) if start <= at <= end]
        outcome = "false"
        if inside and alert_direction == direction:
            first_new = [i for i in inside if i not in hit]
            if first_new:
                i = first_new[0]
                hit.add(i)
                score.hits += 1
                score.delays_hours.append((at - windows[i][0]).total_seconds() / 3600)
                outcome = "hit"
            else:
                outcome = "ignored"
        if outcome == "false":
            score.false_alerts += 1
        score.alerts.append({"at": str(at), "direction": alert_direction, "outcome": outcome})
    return score
