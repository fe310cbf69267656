"""Detector settings: the sensitivity presets and the sizes derived from the series' step.

Thresholds are in units of one *evaluation window* (an hour for sub-hourly and hourly series, one
step for coarser ones), so the same preset means the same thing on 5-minute, hourly or daily counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

DIRECTIONS = ("up", "down", "both")
SENSITIVITIES = ("low", "normal", "high")
HOUR = 3600
DAY = 24 * HOUR

# Chosen from what the statistics mean, then checked on a tuning split only (AAPL and FB of
# shared/data/volume; AMZN, GOOG, IBM held out): z_spike, min_rise and h_up on their labelled
# surges. The decline settings (h_down, min_drop, DEEP_*, clip_down, decline_half_life_days) on
# declines made from the AAPL and FB controls (`evaluate_volume --synthetic-declines`, which
# thins them from hundreds of start hours, at volumes down to 1%: five labelled windows say
# little): a random search of 120 settings, then a rule fixed beforehand picked among the best on
# two other thinning seeds, the most found within 48 h with at most one false alert per control.
# Normal asks a quarter off: a fifth off for a day is a lull a news-driven conversation often has.
#  h_*: CUSUM decision interval, in standard deviations accumulated beyond the allowance k;
#  z_spike: a single-window surge this many standard deviations above the baseline;
#  min_drop / min_rise: the smallest relative change worth telling a person about;
#  min_persist_hours: how long a deficit must have lasted before a decline is reported.
#  h_down is in units of the long-run sd from below (core.py), smaller than the two-sided one on
#  bursty series, hence larger than when the scale was two-sided (8 for normal then).
PRESETS: dict[str, dict[str, float]] = {
    "low": {"h_down": 13.75, "h_up": 30.0, "z_spike": 10.0, "min_drop": 0.30, "min_rise": 2.0,
            "min_persist_hours": 6.0},
    "normal": {"h_down": 10.0, "h_up": 20.0, "z_spike": 8.0, "min_drop": 0.25, "min_rise": 1.0,
               "min_persist_hours": 4.0},
    "high": {"h_down": 7.5, "h_up": 10.0, "z_spike": 6.0, "min_drop": 0.15, "min_rise": 0.5,
             "min_persist_hours": 3.0},
}

# The fast decline CUSUM's decision interval, as a share of h_down: by Siegmund's approximation,
# ARL0 ~ (exp(2kb) - 2kb - 1) / 2k^2 with b = h + 1.166, allowance 0.75 and 0.4 h_down give about
# the in-control run length of allowance 0.25 and h_down (0.38-0.42 for h_down from 7.5 to 13.75).
FAST_INTERVAL = 0.4

# The deep-fall path: a decline is reported once the CUSUM is past DEEP_SHARE of h_down if the
# fall is deep as well, both absolutely (DEEP_DROP times min_drop over the run) and against the
# series' own recent dips (the recent hours' log ratio below DEEP_SD downside sd of that ratio, so
# a bursty series must fall further). Chosen with the other decline settings (above).
DEEP_SHARE = 0.4
DEEP_DROP = 2.0
DEEP_SD = 2.5


@dataclass(frozen=True)
class DetectorConfig:
    step_seconds: int
    direction: str = "down"
    sensitivity: str = "normal"
    # CUSUM allowance, in long-run (decorrelated) sd: tuned for shifts of about half a long-run sd,
    # i.e. a third off a series whose daily level wanders by 20%. The same for surges.
    k: float = 0.25
    # The second decline CUSUM: tuned for shifts of 1.5 long-run sd (a steep fall).
    k_fast: float = 0.75
    # Winsorised CUSUMs: one window adds at most `clip - k`, so a dip must last. Declines are
    # clipped harder: one hour far below (a local outage, a lost batch) should weigh little.
    clip: float = 3.0
    clip_down: float = 2.0
    warmup_days: float = 7.0  # no decline alerts before a week of history (one weekly cycle)
    # A surge is a large excess over the same hours of the previous days: three days give the
    # day-median a middle value that one odd day cannot move, and a weekday effect seldom reaches
    # the doubling a surge needs (at normal sensitivity). Declines wait for the weekly cycle.
    surge_warmup_days: float = 3.0
    cooldown_hours: float = 24.0
    dispersion_half_life_days: float = 7.0  # the surge scales (phi_up, c_lag)
    # The decline scales (phi, c_dn, rec_var) learn more slowly: a few weeks of lulls weigh in, so
    # that one quiet week does not make the next fall look ordinary, nor one busy week a lull odd.
    decline_half_life_days: float = 14.0
    dispersion_prior: float = 0.05  # NB overdispersion 1/r: ~22% relative sd on large counts
    sustained_hours: float = 6.0  # the recent stretch in which most windows must be in deficit
    sustained_fraction: float = 2 / 3
    gap_pending: float = 3.0  # zeros beyond this much expected volume are treated as missing
    gap_total: float = 20.0  # P(all zero | Poisson, mean 20) ~ 2e-9: a collector gap, not a fall
    interval_z: float = 1.2816  # the reported range is a central 80% interval

    def __post_init__(self) -> None:
        if self.step_seconds <= 0:
            raise ValueError("step_seconds must be positive")
        if self.direction not in DIRECTIONS:
            raise ValueError(f"direction must be one of {DIRECTIONS}")
        if self.sensitivity not in SENSITIVITIES:
            raise ValueError(f"sensitivity must be one of {SENSITIVITIES}")

    def to_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    @property
    def params(self) -> Params:
        return Params.from_config(self)


@dataclass(frozen=True)
class Params:
    """Everything the detector needs, in steps."""

    step: int
    w: int  # steps per evaluation window
    h: int  # half-width of the smoothing applied to past values
    day: int  # steps per day (1 for daily or coarser)
    week: int  # steps per week; 0 disables the weekly factor
    history: int  # steps of history the baseline looks back over
    m: int  # windows in the sustained-deficit check
    warmup: int
    warmup_up: int
    min_persist: int
    cooldown: int
    alpha: float
    alpha_dn: float
    recent_alpha: float  # weight of each step in the recent level (a half-life of sustained_hours)
    want_down: bool
    want_up: bool
    h_down: float
    h_fast: float
    h_deep: float
    deep_drop: float
    deep_sd: float
    h_up: float
    z_spike: float
    min_drop: float
    min_rise: float
    k: float
    k_fast: float
    clip: float
    clip_down: float
    sustained_fraction: float
    dispersion_prior: float
    gap_pending: float
    gap_total: float
    interval_z: float

    @classmethod
    def from_config(cls, c: DetectorConfig) -> Params:
        step = int(c.step_seconds)
        w = max(1, round(HOUR / step)) if step < HOUR else 1
        h = max(1, w // 2) if step <= HOUR else 0
        day = max(1, round(DAY / step)) if step < DAY else 1
        week = 7 * day if step <= DAY else 0
        preset = PRESETS[c.sensitivity]

        def steps(hours: float) -> int:
            return max(1, math.ceil(hours * HOUR / step))

        return cls(
            step=step, w=w, h=h, day=day, week=week,
            history=4 * week + 7 * day + day // 2 + h + 2,
            m=max(1, round(c.sustained_hours * HOUR / (w * step))),
            warmup=steps(c.warmup_days * 24),
            warmup_up=steps(c.surge_warmup_days * 24),
            min_persist=steps(preset["min_persist_hours"]),
            cooldown=steps(c.cooldown_hours),
            alpha=1.0 / steps(c.dispersion_half_life_days * 24 / math.log(2)),
            alpha_dn=1.0 / steps(c.decline_half_life_days * 24 / math.log(2)),
            recent_alpha=1.0 - 0.5 ** (1.0 / steps(c.sustained_hours)),
            want_down=c.direction in ("down", "both"),
            want_up=c.direction in ("up", "both"),
            h_down=preset["h_down"], h_fast=FAST_INTERVAL * preset["h_down"], h_up=preset["h_up"],
            h_deep=DEEP_SHARE * preset["h_down"], deep_drop=DEEP_DROP * preset["min_drop"], deep_sd=DEEP_SD,
            z_spike=preset["z_spike"],
            min_drop=preset["min_drop"], min_rise=preset["min_rise"],
            k=c.k, k_fast=c.k_fast, clip=c.clip, clip_down=c.clip_down, sustained_fraction=c.sustained_fraction,
            dispersion_prior=c.dispersion_prior, gap_pending=c.gap_pending,
            gap_total=c.gap_total, interval_z=c.interval_z,
        )
