"""The online volume detector: streaming for one series, batch for one or many.

    detector = VolumeDetector(DetectorConfig(step_seconds=3600, direction="down"))
    for ts, count in rollup:
        for alert in detector.update(count, timestamp=ts): ...
    saved = detector.to_dict()          # JSON-safe; VolumeDetector.from_dict(saved) resumes

    detect(counts, step_seconds=3600)                 # all alerts of one series
    detect_latest(matrix, step_seconds=3600)          # which series have an alert open now

The batch functions compute exactly what the streaming detector would: the baseline at each
step uses only the steps before it, and the stateful part is the same code (`core.step`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from listening.analysis.volume.baseline import baseline_matrix, baseline_next
from listening.analysis.volume.config import HOUR, DetectorConfig, Params
from listening.analysis.volume.core import CoreState, StepResult, step
from listening.figures import duration

KINDS = {"down": "decline", "up": "surge"}
SERIES_CHUNK = 250  # bounds the memory of the baseline stacks in batch mode


@dataclass(frozen=True)
class VolumeAlert:
    kind: str  # decline, surge or collector_gap
    direction: str | None  # down, up; None for a collector gap
    index: int  # the step at which it opened
    timestamp: Any  # the caller's timestamp for that step, if given
    observed: float  # counts over the evaluation window (the run since the change began)
    expected: float
    low: float  # central interval for the observed count under the baseline
    high: float
    relative_change: float  # observed / expected - 1
    persisted_hours: float
    score: float  # the CUSUM value or z-score that crossed its threshold

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["timestamp"] = None if self.timestamp is None else str(self.timestamp)
        return out

    @property
    def explanation(self) -> str:
        if self.kind == "collector_gap":
            return (f"No mentions for {duration(self.persisted_hours * 3600)} where about {self.expected:.0f} were "
                    "expected: the collector looks down, this is not a real fall.")
        if not math.isfinite(self.relative_change):
            # Nothing was expected, so no percentage means anything: say what happened.
            return (f"{self.observed:.0f} mentions over the last {duration(self.persisted_hours * 3600)} where "
                    f"none were expected: from none to {self.observed:.0f}.")
        return (f"{self.observed:.0f} mentions over the last {duration(self.persisted_hours * 3600)} against "
                f"{self.expected:.0f} expected (usual range {self.low:.0f}-{self.high:.0f}), "
                f"{self.relative_change:+.0%}.")


def _interval(expected: float, phi: float, windows: float, z: float) -> tuple[float, float]:
    # Negative binomial variance of a sum over independent windows: E + phi * E^2 / windows.
    sd = math.sqrt(max(expected, 0.0) + phi * expected * expected / max(windows, 1.0))
    return max(0.0, expected - z * sd), expected + z * sd


def _alerts(res: StepResult, st: CoreState, p: Params, row: int, t: int, ts: Any) -> list[VolumeAlert]:
    out: list[VolumeAlert] = []
    hours = p.step / HOUR
    phi = float(st.phi[row])
    if res.fired_gap[row]:
        exp = float(st.gap_exp[row])
        low, high = _interval(exp, phi, 1, p.interval_z)
        out.append(VolumeAlert("collector_gap", None, t, ts, 0.0, exp, low, high, -1.0,
                               int(st.gap_len[row]) * hours, float(st.gap_len[row])))
    for side, fired, cusum in (("down", res.fired_down, st.s_dn), ("up", res.fired_up, st.s_up)):
        if not fired[row]:
            continue
        prefix = "dn" if side == "down" else "up"
        length = t - int(getattr(st, prefix + "_start")[row]) + 1
        obs, exp = float(getattr(st, prefix + "_obs")[row]), float(getattr(st, prefix + "_exp")[row])
        score = float(cusum[row])
        if side == "up" and length < p.w:  # a sudden spike: explain it by its window
            obs, exp, length = float(res.window_obs[row]), float(res.window_exp[row]), p.w
            score = float(res.z_up[row])
        low, high = _interval(exp, phi, length / p.w, p.interval_z)
        rel = obs / exp - 1.0 if exp > 0 else math.inf
        out.append(VolumeAlert(KINDS[side], side, t, ts, obs, exp, low, high, rel, length * hours, score))
    return out


class VolumeDetector:
    """Online detector for one series; feed it one count per step, oldest first."""

    def __init__(self, config: DetectorConfig, state: CoreState | None = None,
                 history: Sequence[float] | None = None) -> None:
        self.config = config
        self.p = config.params
        self.state = state or CoreState.empty(1, self.p)
        self._buf = np.zeros(2 * self.p.history + 16)
        self._len = 0
        for value in history or ():
            self._push(float(value))

    def _push(self, value: float) -> None:
        if self._len == len(self._buf):
            keep = self.p.history
            self._buf[:keep] = self._buf[self._len - keep : self._len]
            self._len = keep
        self._buf[self._len] = value
        self._len += 1

    @property
    def history(self) -> np.ndarray:
        return self._buf[max(0, self._len - self.p.history) : self._len]

    def expected_next(self) -> float:
        t = self.state.t
        return baseline_next(self.history, t, self.p) if t else float("nan")

    def update(self, count: float | None, timestamp: Any = None) -> list[VolumeAlert]:
        t = self.state.t
        value = np.nan if count is None else float(count)
        e = self.expected_next()
        res = step(self.state, np.array([value]), np.array([e]), self.p)
        self._push(value)
        return _alerts(res, self.state, self.p, 0, t, timestamp)

    @property
    def decline_open(self) -> bool:
        return bool(self.state.dn_open[0])

    @property
    def surge_open(self) -> bool:
        return bool(self.state.up_open[0])

    @property
    def gap_open(self) -> bool:
        return bool(self.state.gap_open[0])

    def to_dict(self) -> dict[str, Any]:
        return {"config": self.config.to_dict(), "state": self.state.to_dict(),
                "history": [None if v != v else v for v in self.history.tolist()]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VolumeDetector:
        history = [np.nan if v is None else v for v in data["history"]]
        return cls(DetectorConfig(**data["config"]), CoreState.from_dict(data["state"]), history)


def _as_matrix(series: Any) -> np.ndarray:
    arr = np.asarray(series, dtype=float)
    return arr[None, :] if arr.ndim == 1 else arr


def _run(x: np.ndarray, p: Params, timestamps: Sequence[Any] | None,
         collect: bool) -> tuple[CoreState, list[list[VolumeAlert]]]:
    n, t_len = x.shape
    expected = np.concatenate([baseline_matrix(x[i : i + SERIES_CHUNK], p) for i in range(0, n, SERIES_CHUNK)])
    st = CoreState.empty(n, p)
    alerts: list[list[VolumeAlert]] = [[] for _ in range(n)]
    # One contiguous row per step (the same values as the columns x[:, t] and expected[:, t]).
    x_steps = np.ascontiguousarray(x.T)
    expected_steps = np.ascontiguousarray(expected.T)
    for t in range(t_len):
        res = step(st, x_steps[t], expected_steps[t], p)
        if collect:
            fired = res.fired_down | res.fired_up | res.fired_gap
            if fired.any():
                ts = timestamps[t] if timestamps is not None else None
                for row in np.flatnonzero(fired):
                    alerts[row].extend(_alerts(res, st, p, int(row), t, ts))
    return st, alerts


def detect(series: Sequence[float] | np.ndarray, *, step_seconds: int, direction: str = "down",
           sensitivity: str = "normal", timestamps: Sequence[Any] | None = None,
           config: DetectorConfig | None = None) -> list[VolumeAlert]:
    """Every alert and collector-gap signal the online detector opens over one series."""
    config = config or DetectorConfig(step_seconds=step_seconds, direction=direction, sensitivity=sensitivity)
    return _run(_as_matrix(series), config.params, timestamps, collect=True)[1][0]


def detect_many(matrix: np.ndarray, *, step_seconds: int, direction: str = "down",
                sensitivity: str = "normal") -> list[list[VolumeAlert]]:
    """`detect` over the rows of an (n_series, n_steps) matrix sharing one clock, at once."""
    config = DetectorConfig(step_seconds=step_seconds, direction=direction, sensitivity=sensitivity)
    return _run(_as_matrix(matrix), config.params, None, collect=True)[1]


@dataclass(frozen=True)
class LatestStatus:
    decline_open: np.ndarray  # bool per series: a decline alert is open at the last step
    surge_open: np.ndarray
    gap_open: np.ndarray
    decline_opened_at: np.ndarray  # step index it opened at, -1 if none
    surge_opened_at: np.ndarray


def detect_latest(matrix: np.ndarray, *, step_seconds: int, direction: str = "both",
                  sensitivity: str = "normal") -> LatestStatus:
    """Is an alert open now, for each row of an (n_series, n_steps) matrix of counts?"""
    config = DetectorConfig(step_seconds=step_seconds, direction=direction, sensitivity=sensitivity)
    st, _ = _run(_as_matrix(matrix), config.params, None, collect=False)
    return LatestStatus(st.dn_open.copy(), st.up_open.copy(), st.gap_open.copy(),
                        np.where(st.dn_open, st.dn_opened, -1), np.where(st.up_open, st.up_opened, -1))
