"""One step of the online detector, vectorised over many series.

Per step and series: the count is compared with its seasonal baseline in the Anscombe
(variance-stabilising) domain, over an evaluation window (the last hour of steps, or one step
for hourly and coarser series). The standard deviation there is that of a negative binomial,
sqrt(1 + phi * expected), with the overdispersion phi learnt online from the series' own
residuals (clipped, so an anomaly cannot inflate it much). Two winsorised CUSUMs accumulate the
standardised deficit and excess; each window adds at most `clip - k`, so a decline must persist
for several windows before it can be reported, and it must also be the rule, not the exception,
in the recent stretch. Zeros where plenty was expected are a collector gap: they are left out of
the statistics and reported as their own signal.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from listening.analysis.volume.config import Params

INT_FIELDS = ("dn_start", "up_start", "dn_opened", "up_opened", "gap_len", "n_upd")
BOOL_FIELDS = ("dn_open", "up_open", "gap_open")
HOLD_FRACTION = 0.5  # an open episode closes once its statistics are back under this share of threshold


def anscombe(x: np.ndarray) -> np.ndarray:
    return 2.0 * np.sqrt(np.maximum(x, 0.0) + 0.375)


@dataclass
class CoreState:
    t: int
    phi: np.ndarray
    n_upd: np.ndarray
    c_lag: np.ndarray  # the long-run variance of z (variance of a day's mean z, times windows)
    s_dn: np.ndarray
    s_up: np.ndarray
    dn_start: np.ndarray  # step the current deficit run began, -1 when none
    up_start: np.ndarray
    dn_obs: np.ndarray  # observed and expected counts since the run began
    dn_exp: np.ndarray
    up_obs: np.ndarray
    up_exp: np.ndarray
    dn_open: np.ndarray
    up_open: np.ndarray
    dn_opened: np.ndarray
    up_opened: np.ndarray
    gap_len: np.ndarray
    gap_exp: np.ndarray
    gap_open: np.ndarray
    ring_x: np.ndarray  # (n, w): the evaluation window
    ring_e: np.ndarray
    ring_ok: np.ndarray
    ring_z: np.ndarray  # (n, a day of windows, at least m): recent standardised residuals

    @classmethod
    def empty(cls, n: int, p: Params) -> CoreState:
        def zeros() -> np.ndarray:
            return np.zeros(n)

        def ints(value: int) -> np.ndarray:
            return np.full(n, value, dtype=np.int64)

        def bools() -> np.ndarray:
            return np.zeros(n, dtype=bool)

        return cls(
            t=0, phi=np.full(n, p.dispersion_prior), n_upd=ints(0), c_lag=np.ones(n), s_dn=zeros(), s_up=zeros(),
            dn_start=ints(-1), up_start=ints(-1), dn_obs=zeros(), dn_exp=zeros(), up_obs=zeros(),
            up_exp=zeros(), dn_open=bools(), up_open=bools(), dn_opened=ints(-1),
            up_opened=ints(-1), gap_len=ints(0), gap_exp=zeros(), gap_open=bools(),
            ring_x=np.zeros((n, p.w)), ring_e=np.zeros((n, p.w)),
            ring_ok=np.zeros((n, p.w), dtype=bool), ring_z=np.full((n, max(p.m, p.day // p.w) * p.w), np.nan),
        )

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"t": self.t}
        for f in fields(self):
            if f.name != "t":
                arr = getattr(self, f.name)
                out[f.name] = [None if isinstance(v, float) and v != v else v for v in arr.ravel().tolist()]
                out[f.name + "_shape"] = list(arr.shape)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> CoreState:
        kwargs: dict[str, object] = {"t": int(data["t"])}  # type: ignore[call-overload]
        for f in fields(cls):
            if f.name == "t":
                continue
            shape = tuple(data[f.name + "_shape"])  # type: ignore[arg-type]
            raw = data[f.name]
            if f.name in INT_FIELDS:
                arr = np.array(raw, dtype=np.int64)
            elif f.name in BOOL_FIELDS or f.name == "ring_ok":
                arr = np.array(raw, dtype=bool)
            else:
                arr = np.array([np.nan if v is None else v for v in raw], dtype=float)  # type: ignore[union-attr]
            kwargs[f.name] = arr.reshape(shape)
        return cls(**kwargs)  # type: ignore[arg-type]


@dataclass
class StepResult:
    fired_down: np.ndarray
    fired_up: np.ndarray
    fired_gap: np.ndarray
    z: np.ndarray
    window_obs: np.ndarray
    window_exp: np.ndarray


def step(st: CoreState, x: np.ndarray, e: np.ndarray, p: Params) -> StepResult:
    t = st.t
    has_e = np.isfinite(e)
    has_x = np.isfinite(x)
    zero = has_x & (x == 0)

    # Collector gaps: a run of zeros whose expected volume keeps growing.
    st.gap_len = np.where(zero, st.gap_len + 1, np.where(has_x, 0, st.gap_len))
    st.gap_exp = np.where(zero & has_e, st.gap_exp + np.where(has_e, e, 0.0), np.where(zero | ~has_x, st.gap_exp, 0.0))
    st.gap_open &= ~(has_x & ~zero)
    missing = zero & (st.gap_exp >= p.gap_pending)
    fired_gap = zero & ~st.gap_open & (st.gap_exp >= p.gap_total) & (t >= p.day)
    st.gap_open |= fired_gap

    ok = has_x & has_e & ~missing
    pos = t % p.w
    st.ring_x[:, pos] = np.where(ok, x, 0.0)
    st.ring_e[:, pos] = np.where(ok, e, 0.0)
    st.ring_ok[:, pos] = ok
    y = st.ring_x.sum(axis=1)
    big_e = st.ring_e.sum(axis=1)
    ev = ok & (2 * st.ring_ok.sum(axis=1) >= p.w)

    sigma = np.sqrt(1.0 + st.phi * big_e)
    r = anscombe(y) - anscombe(big_e)
    z = np.where(ev, r / sigma, np.nan)
    zz = np.where(ev, z, 0.0)

    # Dispersion, winsorised at 2 sd so that an anomaly cannot inflate it (0.92 = E[min(Z^2, 4)]).
    clipped = np.clip(r, -2.0 * sigma, 2.0 * sigma)
    target = np.maximum(clipped * clipped / 0.92 - 1.0, 0.0) / np.maximum(big_e, 1.0)
    rate = np.maximum(1.0 / (st.n_upd + 1.0 + 24.0), p.alpha)
    # The noise model keeps learning during a change (freezing it can lock in a bad start); its
    # one-week half-life means a day of change moves it by under a tenth.
    learn = ev
    st.phi = np.where(learn, st.phi + rate * (target - st.phi), st.phi)
    st.n_upd = st.n_upd + learn
    # Residuals are correlated (a busy day is busy all day, a rough baseline is rough all day), and
    # a CUSUM of correlated z-scores drifts. It is fed z divided by the long-run sd: the sd of the
    # sum of the last day's window z-scores over sqrt(windows), learnt like the dispersion.
    lr = st.ring_z.shape[1] // p.w
    st.ring_z[:, t % (lr * p.w)] = z
    day_z = st.ring_z[:, (t - p.w * np.arange(lr)) % (lr * p.w)]
    full = learn & np.isfinite(day_z).all(axis=1)
    # = clip(nan_to_num(day_z), -3, 3), without nan_to_num's extra passes: the clip maps +-inf to
    # +-3 as nan_to_num and the clip do, and a NaN (which the clip keeps) becomes 0. Both keep
    # day_z's memory layout, so the sum adds the windows in the same order.
    clipped_z = np.clip(day_z, -3.0, 3.0)
    np.copyto(clipped_z, 0.0, where=np.isnan(clipped_z))
    zsum = clipped_z.sum(axis=1) / np.sqrt(lr)
    st.c_lag = np.where(full, st.c_lag + rate * (np.minimum(zsum * zsum, 16.0) - st.c_lag), st.c_lag)
    zz = zz / np.sqrt(np.maximum(st.c_lag, 1.0))

    # Winsorised CUSUMs, one per direction, with the run's observed and expected counts.
    x_ok = np.where(ok, x, 0.0)
    e_ok = np.where(ok, e, 0.0)
    new_dn = np.where(ev, np.maximum(0.0, st.s_dn + (np.minimum(-zz, p.clip) - p.k) / p.w), st.s_dn)
    new_up = np.where(ev, np.maximum(0.0, st.s_up + (np.minimum(zz, p.clip) - p.k) / p.w), st.s_up)
    # Nothing accumulates before the baseline has seen a full week: its first days are rough.
    settled = t >= p.warmup - p.min_persist
    new_dn = np.where(settled, new_dn, 0.0)
    new_up = np.where(settled, new_up, 0.0)
    # While the window statistic is still past half the threshold that opens an alert (hysteresis),
    # the surge episode goes on; declines have no window test of their own.
    holding = {"dn": np.zeros(len(x), dtype=bool), "up": ev & (z >= HOLD_FRACTION * p.z_spike)}
    for side, new in (("dn", new_dn), ("up", new_up)):
        old = getattr(st, "s_" + side)
        begun = (old == 0) & (new > 0)
        start = np.where(begun, t, np.where(new > 0, getattr(st, side + "_start"), -1))
        setattr(st, side + "_start", start)
        active = new > 0
        setattr(st, side + "_obs", np.where(begun, 0.0, getattr(st, side + "_obs")) + np.where(active, x_ok, 0.0))
        setattr(st, side + "_exp", np.where(begun, 0.0, getattr(st, side + "_exp")) + np.where(active, e_ok, 0.0))
        setattr(st, "s_" + side, new)
        # An episode ends when neither its CUSUM nor its window statistic is still past half its
        # threshold (hysteresis: a CUSUM need not return to zero, e.g. after a level shift), and the
        # cool-down has passed: one alert per episode, and a later episode can open a new one.
        opened = getattr(st, side + "_opened")
        h = p.h_down if side == "dn" else p.h_up
        done = (new <= HOLD_FRACTION * h) & ~holding[side] & (t - opened >= p.cooldown)
        setattr(st, side + "_open", getattr(st, side + "_open") & ~done)

    recent = day_z[:, : p.m]
    known = np.isfinite(recent).sum(axis=1)
    enough = 2 * known >= p.m
    mostly_low = enough & ((recent < 0).sum(axis=1) >= p.sustained_fraction * known)

    warm = t >= p.warmup
    dn_len = np.where(st.dn_start >= 0, t - st.dn_start + 1, 0)
    dn_rel = np.where(st.dn_exp > 0, st.dn_obs / np.maximum(st.dn_exp, 1e-12) - 1.0, 0.0)
    fired_down = (
        p.want_down & warm & ev & ~st.dn_open & (st.s_dn >= p.h_down) & (dn_len >= p.min_persist)
        & mostly_low & (dn_rel <= -p.min_drop)
    )
    win_rel = np.where(big_e > 0, y / np.maximum(big_e, 1e-12) - 1.0, np.inf)
    up_rel = np.where(st.up_exp > 0, st.up_obs / np.maximum(st.up_exp, 1e-12) - 1.0, np.inf)
    fired_up = p.want_up & warm & ev & ~st.up_open & (
        ((st.s_up >= p.h_up) & (up_rel >= p.min_rise)) | ((z >= p.z_spike) & (win_rel >= p.min_rise))
    )
    st.dn_open |= fired_down
    st.dn_opened = np.where(fired_down, t, st.dn_opened)
    st.up_open |= fired_up
    st.up_opened = np.where(fired_up, t, st.up_opened)
    st.t = t + 1
    return StepResult(fired_down, fired_up, fired_gap, z, y, big_e)
