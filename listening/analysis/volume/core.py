"""One step of the online detector, vectorised over many series.

Per step and series: the count is compared with its seasonal baseline in the Anscombe
(variance-stabilising) domain, over an evaluation window (the last hour of steps, or one step
for hourly and coarser series). The standard deviation there is that of a negative binomial,
sqrt(1 + phi * expected), with the overdispersion phi learnt online from the series' own
residuals (clipped, so an anomaly cannot inflate it much). Mention volume is skewed (news bursts
go far above the usual level, nothing goes as far below), so each direction has its own scale:
surges use the dispersion of the excesses alone (phi_up), declines the long-run variance from
below (c_dn). Winsorised CUSUMs accumulate the standardised deficit (two of them, for modest and
for steep falls) and excess; each window adds at most `clip - k`, so a decline must persist for
several windows before it can be reported, and it must also be the rule, not the exception, in
the recent stretch. A deep fall is reported on part of the evidence, once the recent hours are
further below the baseline than the series' own recent hours usually dip (config.DEEP_*).
Zeros where plenty was expected are a collector gap: they are left out of
the statistics and reported as their own signal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from listening.analysis.volume.config import Params

INT_FIELDS = ("dn_start", "up_start", "dn_opened", "up_opened", "gap_len", "n_upd", "day_unknown",
              "recent_known", "recent_low")
BOOL_FIELDS = ("dn_open", "up_open", "gap_open")
HOLD_FRACTION = 0.5  # an open episode closes once its statistics are back under this share of threshold
REC_VAR_PRIOR = 0.1  # a recent-hours log ratio with a downside sd of about 0.3 until learnt
REC_PSEUDOCOUNT = 0.5  # keeps the log ratio finite, and wide on small counts


def anscombe(x: np.ndarray) -> np.ndarray:
    return 2.0 * np.sqrt(np.maximum(x, 0.0) + 0.375)


@dataclass
class CoreState:
    t: int
    phi: np.ndarray
    phi_up: np.ndarray  # the dispersion of the excesses alone: news bursts make that tail heavier
    n_upd: np.ndarray
    c_lag: np.ndarray  # the long-run variance of z (variance of a day's mean z, times windows)
    c_dn: np.ndarray  # the same from below only: twice its downside semi-variance
    s_dn: np.ndarray
    s_df: np.ndarray  # a second decline CUSUM with a larger allowance, for large drops
    s_up: np.ndarray
    dn_start: np.ndarray  # step the current deficit run began, -1 when none
    up_start: np.ndarray
    dn_obs: np.ndarray  # observed and expected counts since the run began
    dn_exp: np.ndarray
    up_obs: np.ndarray
    up_exp: np.ndarray
    rec_obs: np.ndarray  # observed and expected counts, exponentially weighted over recent hours
    rec_exp: np.ndarray
    # Downside semi-variance of log(rec_obs / rec_exp): how far this series' recent hours usually
    # dip below the baseline (doubled, as c_dn), learnt while no decline is open.
    rec_var: np.ndarray
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
    # Running reductions of ring_z, one column per phase (step mod w): over the last day of
    # windows, the sum of the clipped z-scores and how many were not finite; over the last m,
    # how many were finite and how many negative. Kept up to date as ring_z turns, rather than
    # recomputed over a day of windows at every step.
    day_sum: np.ndarray
    day_unknown: np.ndarray
    recent_known: np.ndarray
    recent_low: np.ndarray

    @classmethod
    def empty(cls, n: int, p: Params) -> CoreState:
        def zeros() -> np.ndarray:
            return np.zeros(n)

        def ints(value: int) -> np.ndarray:
            return np.full(n, value, dtype=np.int64)

        def bools() -> np.ndarray:
            return np.zeros(n, dtype=bool)

        return cls(
            t=0, phi=np.full(n, p.dispersion_prior), phi_up=np.full(n, p.dispersion_prior), n_upd=ints(0),
            c_lag=np.ones(n), c_dn=np.ones(n), s_dn=zeros(), s_df=zeros(), s_up=zeros(),
            dn_start=ints(-1), up_start=ints(-1), dn_obs=zeros(), dn_exp=zeros(), up_obs=zeros(),
            up_exp=zeros(), rec_obs=zeros(), rec_exp=zeros(), rec_var=np.full(n, REC_VAR_PRIOR),
            dn_open=bools(), up_open=bools(), dn_opened=ints(-1),
            up_opened=ints(-1), gap_len=ints(0), gap_exp=zeros(), gap_open=bools(),
            ring_x=np.zeros((n, p.w)), ring_e=np.zeros((n, p.w)),
            ring_ok=np.zeros((n, p.w), dtype=bool), ring_z=np.full((n, max(p.m, p.day // p.w) * p.w), np.nan),
            day_sum=np.zeros((n, p.w)), day_unknown=np.full((n, p.w), max(p.m, p.day // p.w), dtype=np.int64),
            recent_known=np.zeros((n, p.w), dtype=np.int64), recent_low=np.zeros((n, p.w), dtype=np.int64),
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
    def from_dict(cls, data: Mapping[str, Any]) -> CoreState:
        """The state ``to_dict`` wrote, read back from JSON."""
        kwargs: dict[str, Any] = {"t": int(data["t"])}
        for f in fields(cls):
            if f.name == "t":
                continue
            shape = tuple(data[f.name + "_shape"])
            raw = data[f.name]
            arr: np.ndarray
            if f.name in INT_FIELDS:
                arr = np.array(raw, dtype=np.int64)
            elif f.name in BOOL_FIELDS or f.name == "ring_ok":
                arr = np.array(raw, dtype=bool)
            else:
                arr = np.array([np.nan if v is None else v for v in raw], dtype=float)
            kwargs[f.name] = arr.reshape(shape)
        return cls(**kwargs)


@dataclass
class StepResult:
    fired_down: np.ndarray
    fired_up: np.ndarray
    fired_gap: np.ndarray
    z: np.ndarray
    z_up: np.ndarray  # z against the dispersion of excesses: what the surge tests use
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
    rate_dn = np.maximum(1.0 / (st.n_upd + 1.0 + 24.0), p.alpha_dn)
    # The noise model keeps learning during a change (freezing it can lock in a bad start); its
    # half-life of one or two weeks (config) means a day of change moves it by under a tenth.
    learn = ev
    st.phi = np.where(learn, st.phi + rate_dn * (target - st.phi), st.phi)
    # Mention volume is skewed: news brings bursts far above the usual level, while nothing drives
    # it far below. Surges are measured against the dispersion of the excesses alone, learnt the
    # same way from the windows above the baseline (about half of them, hence twice the rate).
    sigma_up = np.sqrt(1.0 + st.phi_up * big_e)
    above = np.minimum(r, 2.0 * sigma_up)
    target_up = np.maximum(above * above / 0.92 - 1.0, 0.0) / np.maximum(big_e, 1.0)
    st.phi_up = np.where(learn & (r > 0), st.phi_up + 2.0 * rate * (target_up - st.phi_up), st.phi_up)
    z_up = np.where(ev, r / sigma_up, np.nan)
    st.n_upd = st.n_upd + learn
    # Residuals are correlated (a busy day is busy all day, a rough baseline is rough all day), and
    # a CUSUM of correlated z-scores drifts. It is fed z divided by the long-run sd: the sd of the
    # sum of the last day's window z-scores over sqrt(windows), learnt like the dispersion.
    lr = st.ring_z.shape[1] // p.w
    size = lr * p.w
    phase = t % p.w
    leaving_day = st.ring_z[:, t % size]  # z of the window a day of windows ago, NaN at first
    leaving_recent = st.ring_z[:, (t - p.m * p.w) % size] if p.m < lr else leaving_day
    # clip maps +-inf to +-3 and keeps NaN, which then counts as 0.
    clip_new, clip_old = np.clip(z, -3.0, 3.0), np.clip(leaving_day, -3.0, 3.0)
    st.day_sum[:, phase] += np.where(np.isnan(clip_new), 0.0, clip_new) - np.where(np.isnan(clip_old), 0.0, clip_old)
    fin_new = np.isfinite(z)
    st.day_unknown[:, phase] += (~fin_new).astype(np.int64) - ~np.isfinite(leaving_day)
    st.recent_known[:, phase] += fin_new.astype(np.int64) - np.isfinite(leaving_recent)
    st.recent_low[:, phase] += (z < 0).astype(np.int64) - (leaving_recent < 0)
    st.ring_z[:, t % size] = z
    full = learn & (st.day_unknown[:, phase] == 0)
    zsum = st.day_sum[:, phase] / np.sqrt(lr)
    st.c_lag = np.where(full, st.c_lag + rate * (np.minimum(zsum * zsum, 16.0) - st.c_lag), st.c_lag)
    # The same skew at the scale of days: a day of news lifts the sum far more than a quiet day
    # lowers it, so declines are scaled by the long-run semi-variance from below (doubled, so that
    # symmetric residuals give c_lag back), surges by the full long-run variance.
    # It does not learn from a fall already reported (a day at 40% of normal would double it).
    below = np.minimum(zsum, 0.0)
    c_dn_target = np.minimum(2.0 * below * below, 16.0)
    st.c_dn = np.where(full & ~st.dn_open, st.c_dn + rate_dn * (c_dn_target - st.c_dn), st.c_dn)
    zz_up = np.where(ev, z_up, 0.0) / np.sqrt(np.maximum(st.c_lag, 1.0))
    zz_dn = zz / np.sqrt(np.maximum(st.c_dn, 1.0))

    # Winsorised CUSUMs, one per direction, with the run's observed and expected counts.
    x_ok = np.where(ok, x, 0.0)
    e_ok = np.where(ok, e, 0.0)
    st.rec_obs = np.where(ok, st.rec_obs + p.recent_alpha * (x_ok - st.rec_obs), st.rec_obs)
    st.rec_exp = np.where(ok, st.rec_exp + p.recent_alpha * (e_ok - st.rec_exp), st.rec_exp)
    # How deep the recent hours are below the baseline, against how deep they usually go: learnt
    # like the dispersion, winsorised at 4 sd, and not from a decline already reported.
    rec_log = np.log((st.rec_obs + REC_PSEUDOCOUNT) / (st.rec_exp + REC_PSEUDOCOUNT))
    rec_below = np.minimum(rec_log, 0.0)
    learn_rec = ok & ~st.dn_open & (t >= p.m * p.w)
    rec_target = np.minimum(2.0 * rec_below * rec_below, 16.0 * st.rec_var)
    st.rec_var = np.where(learn_rec, st.rec_var + rate_dn * (rec_target - st.rec_var), st.rec_var)
    deficit = np.minimum(-zz_dn, p.clip_down)
    new_dn = np.where(ev, np.maximum(0.0, st.s_dn + (deficit - p.k) / p.w), st.s_dn)
    # Two allowances (Lorden's pair of CUSUMs): the small one finds a modest decline over a day or
    # two, the large one, with a decision interval of the same false-alarm rate, a steep one sooner.
    # s_df <= s_dn always, so the run statistics of s_dn cover it.
    new_df = np.where(ev, np.maximum(0.0, st.s_df + (deficit - p.k_fast) / p.w), st.s_df)
    new_up = np.where(ev, np.maximum(0.0, st.s_up + (np.minimum(zz_up, p.clip) - p.k) / p.w), st.s_up)
    # No decline evidence accumulates before the baseline has seen a full week (its first days are
    # rough, and a weekend can look like a fall); surges need only a few days (config.py).
    if t < p.warmup - p.min_persist:
        new_dn, new_df = np.zeros_like(new_dn), np.zeros_like(new_df)
    if t < p.warmup_up - p.min_persist:
        new_up = np.zeros_like(new_up)
    st.s_df = new_df
    # While the window statistic is still past half the threshold that opens an alert (hysteresis),
    # the surge episode goes on; declines have no window test of their own.
    holding = {"dn": np.zeros(len(x), dtype=bool), "up": ev & (z_up >= HOLD_FRACTION * p.z_spike)}
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
        if side == "dn":
            # A decline is also over once the recent hours are back within half the smallest fall
            # worth reporting: on a quiet series a level left a little lower keeps the CUSUM up for
            # days, and a second fall must still open an alert. The CUSUMs restart from zero then.
            rows = np.flatnonzero(st.dn_open & (t - opened >= p.cooldown))  # few: work on those only
            rows = rows[st.rec_obs[rows] >= (1.0 - HOLD_FRACTION * p.min_drop) * st.rec_exp[rows]]
            done[rows] = True
            st.s_dn[rows] = 0.0
            st.s_df[rows] = 0.0
            st.dn_start[rows] = -1
        setattr(st, side + "_open", getattr(st, side + "_open") & ~done)

    known = st.recent_known[:, phase]
    enough = 2 * known >= p.m
    mostly_low = enough & (st.recent_low[:, phase] >= p.sustained_fraction * known)

    warm = t >= p.warmup
    dn_len = np.where(st.dn_start >= 0, t - st.dn_start + 1, 0)
    dn_rel = np.where(st.dn_exp > 0, st.dn_obs / np.maximum(st.dn_exp, 1e-12) - 1.0, 0.0)
    # A deep fall is reported before the CUSUM reaches h_down: it must still have persisted, be
    # the rule in the recent stretch and carry part of the evidence (h_deep), but it must also be
    # deep in absolute terms and beyond the series' own usual dips (a bursty series dips further).
    # The bar adds the counting noise of the run (var log of a Poisson sum ~ 1 / its mean): the
    # recent ratio averages more hours than a short run, and on a few mentions an hour a run of
    # 40% below is common.
    deep_bar = p.deep_sd * np.sqrt(st.rec_var + 1.0 / (st.dn_exp + 1.0))
    deep = (st.s_dn >= p.h_deep) & (dn_rel <= -p.deep_drop) & (rec_log <= -deep_bar)
    fired_down = (
        p.want_down & warm & ev & ~st.dn_open & ((st.s_dn >= p.h_down) | (st.s_df >= p.h_fast) | deep)
        & (dn_len >= p.min_persist) & mostly_low & (dn_rel <= -p.min_drop)
    )
    win_rel = np.where(big_e > 0, y / np.maximum(big_e, 1e-12) - 1.0, np.inf)
    up_rel = np.where(st.up_exp > 0, st.up_obs / np.maximum(st.up_exp, 1e-12) - 1.0, np.inf)
    fired_up = p.want_up & (t >= p.warmup_up) & ev & ~st.up_open & (
        ((st.s_up >= p.h_up) & (up_rel >= p.min_rise)) | ((z_up >= p.z_spike) & (win_rel >= p.min_rise))
    )
    st.dn_open |= fired_down
    st.dn_opened = np.where(fired_down, t, st.dn_opened)
    st.up_open |= fired_up
    st.up_opened = np.where(fired_up, t, st.up_opened)
    st.t = t + 1
    return StepResult(fired_down, fired_up, fired_gap, z, z_up, y, big_e)
