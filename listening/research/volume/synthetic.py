"""Many declines made from real series that have none: how often, and how soon, the detector finds them.

A labelled set holds one decline per file; five windows say little about recall. Here each control
series (a real series with no labelled window) is thinned, from a start step on, to a share `keep`
of its volume by binomial thinning, as the keepNN files of shared/data/volume were made, at start
steps spread over the series once the detector's warm-up and one window have passed. Each level
first thins the whole series (0.05 turns a thousand mentions an hour into fifty), standing for
smaller brands with the same rhythm and news. A decline is found when the detector opens a decline
alert within `window_hours` of its start; one found only later is counted as late. The controls,
thinned to each level, give the false alerts the same detector raises where nothing fell.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from listening.analysis.volume.config import HOUR, DetectorConfig
from listening.analysis.volume.detector import detect_many

KEEPS = (0.3, 0.5, 0.65)
LEVELS = (1.0, 0.25, 0.05)
EVERY_HOURS = 23  # not a divisor of a day or a week: the starts walk through every hour and weekday
WINDOW_HOURS = 48.0


@dataclass
class Cell:
    level: float
    keep: float
    declines: int = 0
    hits: int = 0
    late: int = 0
    delays_hours: list[float] = field(default_factory=list)

    @property
    def recall(self) -> float | None:
        return self.hits / self.declines if self.declines else None

    @property
    def median_delay_hours(self) -> float | None:
        return statistics.median(self.delays_hours) if self.delays_hours else None

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "keep": self.keep, "declines": self.declines, "hits": self.hits,
                "recall": self.recall, "median_delay_hours": self.median_delay_hours, "late": self.late}


@dataclass(frozen=True)
class SyntheticResult:
    cells: list[Cell]
    controls: list[dict[str, Any]]  # file, level, false_alerts

    def recall_by_keep(self) -> dict[float, float | None]:
        out: dict[float, float | None] = {}
        for keep in sorted({c.keep for c in self.cells}):
            cells = [c for c in self.cells if c.keep == keep]
            total = sum(c.declines for c in cells)
            out[keep] = sum(c.hits for c in cells) / total if total else None
        return out

    def to_dict(self) -> dict[str, Any]:
        delays = [d for c in self.cells for d in c.delays_hours]
        return {
            "cells": [c.to_dict() for c in self.cells],
            "recall_by_keep": {str(k): v for k, v in self.recall_by_keep().items()},
            "median_delay_hours": statistics.median(delays) if delays else None,
            "controls": self.controls,
            "false_alerts": sum(c["false_alerts"] for c in self.controls),
        }


def thin(values: np.ndarray, share: float, rng: np.random.Generator) -> np.ndarray:
    """Keep each counted mention with probability `share` (NaN stays NaN)."""
    known = np.isfinite(values)
    out = np.full(values.shape, np.nan)
    out[known] = rng.binomial(np.maximum(values[known], 0).astype(np.int64), share)
    return out


def synthetic_declines(
    controls: Sequence[tuple[str, Sequence[float] | np.ndarray, int]], *, keeps: Sequence[float] = KEEPS,
    levels: Sequence[float] = LEVELS, every_hours: float = EVERY_HOURS, window_hours: float = WINDOW_HOURS,
    sensitivity: str = "normal", seed: int = 0,
) -> SyntheticResult:
    """`controls`: (name, counts, step_seconds) of real series without a decline."""
    for share in (*keeps, *levels):
        if not 0 < share <= 1:
            raise ValueError("keeps and levels must be shares in (0, 1]")
    rng = np.random.default_rng(seed)
    cells = {(lv, k): Cell(lv, k) for lv in levels for k in keeps}
    control_rows: list[dict[str, Any]] = []
    for name, counts, step_seconds in controls:
        values = np.asarray(counts, dtype=float)
        config = DetectorConfig(step_seconds=step_seconds, direction="down", sensitivity=sensitivity)
        p = config.params
        window = max(1, round(window_hours * HOUR / step_seconds))
        every = max(1, round(every_hours * HOUR / step_seconds))
        starts = list(range(p.warmup + window, len(values) - window, every))
        for level in levels:
            base = values if level == 1.0 else thin(values, level, rng)
            rows = [base]
            made: list[tuple[float, int]] = []
            for start in starts:
                for keep in keeps:
                    fallen = base.copy()
                    fallen[start:] = thin(base[start:], keep, rng)
                    rows.append(fallen)
                    made.append((keep, start))
            alerts = detect_many(np.array(rows), step_seconds=step_seconds, direction="down",
                                 sensitivity=sensitivity)
            opened = [[a.index for a in found if a.kind == "decline"] for found in alerts]
            control_rows.append({"file": name, "level": level, "false_alerts": len(opened[0])})
            for (keep, start), at in zip(made, opened[1:], strict=True):
                cell = cells[(level, keep)]
                cell.declines += 1
                inside = [i for i in at if start <= i <= start + window]
                if inside:
                    cell.hits += 1
                    cell.delays_hours.append((inside[0] - start) * step_seconds / HOUR)
                elif any(i > start + window for i in at):
                    cell.late += 1
    return SyntheticResult(list(cells.values()), control_rows)
