"""The seasonal baseline: what each step's count should be, from the past only.

expected(t) = day-median(t) x weekday-factor(t), where
  day-median(t)    = median of the smoothed count at the same time of day on each of the last
                     7 days (a robust daily profile that follows the recent level);
  weekday-factor   = median over the last 4 weeks of how the 24 hours around that same time of
                     week compared with their own day-median profile (weekends are quieter): the
                     ratio of the two day-long sums, because an hour's ratio is too noisy on
                     small counts, with each hour capped at e times its profile, so that a
                     news burst last week (the day's sum of a 20x hour is not a weekday effect)
                     does not make this week's same day look like a fall.
While there is less than a day of history the baseline is the mean so far. Medians keep a past
spike, dip or collector outage from moving the baseline.

Two implementations of the same formula: `baseline_matrix` for many series and all steps at
once, `baseline_next` for the next step of one streaming series. They share the reductions
below, so both give bit-identical numbers.
"""

from __future__ import annotations

import numpy as np

from listening.analysis.volume.config import Params

N_DAYS = 7
N_WEEKS = 4
RATIO_PSEUDOCOUNT = 0.1
BURST_CAP = float(np.e)
# The day-long sums of the weekday factor add non-integers; rounded to this grid first, they are
# exact in any order (below 2**52), so the running sums of the batch path and the window sums of
# the streaming path give the same bits.
GRID = 2.0**10
FACTOR_BOUNDS = (np.log(0.2), np.log(5.0))


def window_means(values: np.ndarray) -> np.ndarray:
    """Mean along the last axis, ignoring NaN; NaN where nothing is known."""
    known = np.isfinite(values)
    total = np.where(known, values, 0.0).sum(axis=-1)
    count = known.sum(axis=-1)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def masked_median(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Median along the last axis ignoring NaN, and how many values it saw."""
    ordered = np.sort(values, axis=-1)  # NaN sorts last
    count = np.isfinite(values).sum(axis=-1)
    lo = np.maximum((count - 1) // 2, 0)[..., None]
    hi = (count // 2)[..., None]
    hi = np.minimum(hi, values.shape[-1] - 1)
    med = (np.take_along_axis(ordered, lo, -1)[..., 0] + np.take_along_axis(ordered, hi, -1)[..., 0]) / 2
    return np.where(count > 0, med, np.nan), count


def _factor(log_ratios: np.ndarray) -> np.ndarray:
    med, count = masked_median(log_ratios)
    weight = np.minimum(count, 1.0)
    return np.where(count > 0, np.exp(np.clip(weight * np.nan_to_num(med), *FACTOR_BOUNDS)), 1.0)


def _log_ratio(smoothed: np.ndarray, day_median: np.ndarray) -> np.ndarray:
    return np.log((smoothed + RATIO_PSEUDOCOUNT) / (day_median + RATIO_PSEUDOCOUNT))


def _on_grid(smoothed: np.ndarray, day_median: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The capped smoothed count and its day-median profile, on the grid (NaN where no profile)."""
    capped = np.round(np.minimum(smoothed, BURST_CAP * day_median) * GRID)
    return capped, np.round(day_median * GRID)


def _shifted(a: np.ndarray, lag: int, fill_below: int = 0) -> np.ndarray:
    """a[:, t - lag], NaN where t - lag < fill_below."""
    out = np.full_like(a, np.nan)
    start = lag + fill_below
    if start < a.shape[1]:
        out[:, start:] = a[:, fill_below : a.shape[1] - lag]
    return out


# Batch fast paths. They reproduce the reductions above exactly: a window sum is taken by
# differences of running sums only when every known value is a non-negative integer and every
# running sum stays below 2**53 (so each partial sum is exact and the order of additions cannot
# matter); anything else goes through `window_means`. Medians come from a sorting network whose
# compare-exchange puts NaN last, like np.sort, and the same (lo + hi) / 2 pick.
_EXACT_LIMIT = 2.0**52
_NETWORKS = {
    4: ((0, 1), (2, 3), (0, 2), (1, 3), (1, 2)),
    7: ((0, 6), (2, 3), (4, 5), (0, 2), (1, 4), (3, 6), (0, 1), (2, 5), (3, 4),
        (1, 2), (4, 6), (2, 3), (4, 5), (1, 2), (3, 4), (5, 6)),
}


def _sliding_means(x: np.ndarray, half: int) -> np.ndarray:
    """window_means over x[:, t - half : t + half + 1] (NaN beyond the ends), for every t."""
    n, t_len = x.shape
    known = np.isfinite(x)
    vals = np.where(known, x, 0.0)
    if (
        t_len == 0
        or np.signbit(vals).any()
        or not np.array_equal(vals, np.floor(vals))
        or not float(vals.sum(axis=1).max(initial=0.0)) < _EXACT_LIMIT
    ):
        padded = np.pad(x, ((0, 0), (half, half)), constant_values=np.nan)
        return window_means(np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1, axis=1))
    width = 2 * half + 1
    run = np.zeros((n, t_len + 2 * half + 1))
    np.cumsum(vals, axis=1, out=run[:, half + 1 : half + 1 + t_len])
    run[:, half + 1 + t_len :] = run[:, half + t_len : half + t_len + 1]
    total = run[:, width:] - run[:, :-width]
    seen = np.zeros((n, t_len + 2 * half + 1), dtype=np.int64)
    np.cumsum(known, axis=1, out=seen[:, half + 1 : half + 1 + t_len])
    seen[:, half + 1 + t_len :] = seen[:, half + t_len : half + t_len + 1]
    count = seen[:, width:] - seen[:, :-width]
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _lagged_median(a: np.ndarray, lags: list[int], fill_below: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """masked_median over a[:, t - lag] for the given lags (NaN where t - lag < fill_below)."""
    cols = [_shifted(a, lag, fill_below) for lag in lags]
    size = len(cols)
    count = np.zeros(a.shape, dtype=np.int64)
    for col in cols:
        count += np.isfinite(col)
    network = _NETWORKS.get(size)
    if network is None:
        med, count = masked_median(np.stack(cols, axis=-1))
        return med, count
    for i, j in network:  # compare-exchange, NaN last
        lo = np.fmin(cols[i], cols[j])
        np.maximum(cols[i], cols[j], out=cols[j])
        cols[i] = lo
    med = (cols[(size - 1) // 2] + cols[size // 2]) / 2
    for c in range(size):
        partial = count == c
        if partial.any():
            if c == 0:
                med[partial] = np.nan
            else:
                med[partial] = (cols[(c - 1) // 2][partial] + cols[c // 2][partial]) / 2
    return med, count


def baseline_matrix(x: np.ndarray, p: Params) -> np.ndarray:
    """Expected count for every (series, step) of `x` (N, T), each from the steps before it."""
    x = np.asarray(x, dtype=float)
    n, t_len = x.shape
    smoothed = _sliding_means(x, p.h)
    day_median, _ = _lagged_median(smoothed, [i * p.day for i in range(1, N_DAYS + 1)])
    for t in range(1, min(p.day, t_len)):
        day_median[:, t] = window_means(x[:, :t])
    if not p.week:
        return day_median
    half = p.day // 2
    capped, profile = _on_grid(smoothed, day_median)
    ratio = _log_ratio(_sliding_means(capped, half) / GRID, _sliding_means(profile, half) / GRID)
    med, count = _lagged_median(ratio, [j * p.week for j in range(1, N_WEEKS + 1)], p.day)
    weight = np.minimum(count, 1.0)
    factor = np.where(count > 0, np.exp(np.clip(weight * np.nan_to_num(med), *FACTOR_BOUNDS)), 1.0)
    return day_median * factor


def baseline_next(history: np.ndarray, t: int, p: Params) -> float:
    """Expected count at absolute step `t`, given `history` = the counts of steps t-len..t-1."""
    offset = t - len(history)

    def smoothed_at(positions: np.ndarray, half: int = p.h) -> np.ndarray:
        idx = positions[:, None] + np.arange(-half, half + 1)[None, :]
        valid = (idx >= 0) & (idx < t)
        vals = np.where(valid, history[np.clip(idx - offset, 0, len(history) - 1)], np.nan)
        return window_means(vals[None, :, :])[0]

    def day_medians_at(positions: np.ndarray) -> np.ndarray:
        lag_pos = positions[:, None] - p.day * np.arange(1, N_DAYS + 1)[None, :]
        vals = smoothed_at(np.maximum(lag_pos, 0).ravel()).reshape(lag_pos.shape)
        med, count = masked_median(np.where(lag_pos >= 0, vals, np.nan))
        for i in np.flatnonzero(count == 0):  # the first day: the mean so far
            u = int(positions[i])
            med[i] = float(window_means(history[None, : u - offset])[0]) if u >= 1 else np.nan
        return med

    expected = float(day_medians_at(np.array([t]))[0])
    if not p.week:
        return expected
    half = p.day // 2
    ratios = np.full(N_WEEKS, np.nan)
    for j in range(1, N_WEEKS + 1):
        u = t - j * p.week
        if u >= p.day:
            around = np.arange(u - half, u + half + 1)
            around = around[around >= 0]
            capped, profile = _on_grid(smoothed_at(around), day_medians_at(around))
            ratios[j - 1] = _log_ratio(window_means(capped[None, :])[0] / GRID,
                                       window_means(profile[None, :])[0] / GRID)
    return float(expected * _factor(ratios[None, :])[0])
