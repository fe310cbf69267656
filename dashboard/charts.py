"""Geometry for the server-rendered SVG volume chart; the template only draws what is computed."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from listening.selectors.volume import VolumePoint

WIDTH = 760
HEIGHT = 240
LEFT = 44  # room for the y-axis labels
RIGHT = 8
TOP = 12
BOTTOM = 28  # room for the x-axis labels


@dataclass(frozen=True)
class Bar:
    point: VolumePoint
    x: float
    width: float
    mentions_y: float
    mentions_h: float
    complaints_y: float
    complaints_h: float
    label: str  # an x-axis label under this bar, or ""
    # The period is still running (today): its count is so far, not the day's, and is drawn as such.
    partial: bool = False

    @property
    def centre(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    ticks: list[Tick]
    width: int
    height: int
    left: int
    right_edge: int
    baseline_y: float
    total_mentions: int
    total_complaints: int
    summary: str
    has_partial: bool = False  # a bar is a period still running


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 x 10^k at or above ``value`` (at least 4, so ticks are whole)."""
    if value <= 4:
        return 4
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def daily_chart(points: list[VolumePoint], *, now: datetime | None = None,
                label_every: int = 7) -> Chart:
    """``now``: the moment of the figures; a day it falls in is marked partial (today's bar is a
    count so far, not a collapse)."""
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    top = nice_ceiling(max((p.mentions for p in points), default=0))
    slot = plot_w / max(len(points), 1)
    gap = min(slot * 0.25, 4)
    baseline = TOP + plot_h

    def height(v: int) -> float:
        return round(plot_h * v / top, 2)

    def running(p: VolumePoint) -> bool:
        return now is not None and p.start <= now < p.start + timedelta(days=1)

    bars = []
    for i, p in enumerate(points):
        mh, ch = height(p.mentions), height(p.complaints)
        # Label the last bar ("today") and every label_every-th one counting back from it.
        labelled = (len(points) - 1 - i) % label_every == 0
        bars.append(
            Bar(
                point=p,
                x=round(LEFT + i * slot + gap / 2, 2),
                width=round(slot - gap, 2),
                mentions_y=round(baseline - mh, 2),
                mentions_h=mh,
                complaints_y=round(baseline - ch, 2),
                complaints_h=ch,
                label=(_("today (so far)") if running(p) else date_format(p.start, "j M"))
                if labelled else "",
                partial=running(p),
            )
        )
    ticks = [Tick(value=top * k // 4, y=round(baseline - plot_h * k / 4, 2)) for k in range(5)]
    total_m = sum(p.mentions for p in points)
    total_c = sum(p.complaints for p in points)
    summary = (
        f"Daily mentions over the last {len(points)} days: {total_m} mentions, "
        f"{total_c} of them complaints"
    )
    partial = [b for b in bars if b.partial]
    if partial:
        summary += _("; the last day is today, counted so far (%(n)d mentions)") % {
            "n": partial[-1].point.mentions}
    if points:
        busiest = max(points, key=lambda p: p.mentions)
        if busiest.mentions:
            summary += f"; busiest day {busiest.start.day} {busiest.start:%b} ({busiest.mentions})"
    return Chart(
        bars=bars, ticks=ticks, width=WIDTH, height=HEIGHT, left=LEFT, right_edge=WIDTH - RIGHT,
        baseline_y=baseline, total_mentions=total_m, total_complaints=total_c,
        summary=summary + ".", has_partial=bool(partial),
    )
