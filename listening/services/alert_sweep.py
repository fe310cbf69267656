"""The alert sweep: every tenant's volume, source health and overdue complaints, as alerts.

One sweep reads the last 35 days of hourly rollups of every tenant in one query, as one series
per (tenant, brand, source), and runs the online detector over all of them at once
(``detect_latest``), grouped by the tenants' sensitivities:

1. per source: a collector gap, or a source failing or paused (``Source.health``), is a
   source-health alert. Such a source, and one whose source-health alert cleared less than
   ``RECOVERY_HOURS`` ago (its outage is still in the recent hours), is left out of step 2:
   a broken collector must not read as a decline.
2. per tenant total and per brand (tenants with two brands or more; with one, the brand is the
   total): an open decline or surge is an alert. Only the flagged series go through ``detect``
   again, for the observed and expected counts and the usual range, and the brand and the source
   that contributed most to the deficit (or excess), each against its own usual level, are named.

Unanswered complaints past the tenant's response target are a third kind of alert, and a
complaint storm (``complaint_storms``) a fourth. The team's feedback on declines, surges and
storms moves the sensitivity of the brand (or tenant total) they were about
(``alert_feedback.feedback_steps``): each series is read at its own adjusted preset.

The sweep crosses tenants on purpose: its functions take the tenants (``tenants=``,
``tenant_ids=``) and read ``all_tenants`` filtered by their ids, a few queries for every tenant.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

import numpy as np
from django.db import connection, transaction
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext

from listening import figures
from listening.analysis.volume import VolumeAlert, detect_latest, detect_many
from listening.models import Alert, Brand, Mention, Source, Tenant, VolumeHourly
from listening.models.alerts import AlertKind, AlertStatus
from listening.selectors.backlog import complaints_counted_since
from listening.selectors.overdue import awaiting_reply, overdue_cutoff
from listening.services.alert_feedback import feedback_steps, sensitivity_adjusted
from listening.services.alerts import Condition, SyncReport, alerts_sync
from listening.services.complaint_storms import storm_conditions

STEP_SECONDS = 3600
HISTORY_DAYS = 35
WEEK = 7 * 24
RECOVERY_HOURS = 24
SWEPT_KINDS = (AlertKind.DECLINE, AlertKind.SURGE, AlertKind.SOURCE_HEALTH, AlertKind.UNANSWERED,
               AlertKind.COMPLAINT_STORM)

logger = logging.getLogger("dengar.alerts")

_Label = TypeVar("_Label", bound=Hashable)


@dataclass(frozen=True)
class Rollups:
    """Hourly mention counts: one row of ``counts`` per (tenant, brand, source) in ``keys``."""

    start: datetime
    keys: list[tuple[int, int | None, int]]
    counts: np.ndarray  # (len(keys), steps)


def rollups_load(*, start: datetime, end: datetime, tenant_ids: Sequence[int] | None = None) -> Rollups:
    """Every series in one query; an hour without a rollup row is an hour without mentions."""
    steps = int((end - start).total_seconds() // STEP_SECONDS)
    keys: list[tuple[int, int | None, int]] = []
    index: dict[tuple[int, int | None, int], int] = {}
    if connection.vendor == "postgresql":
        # Aggregated in the database: one row per series (a few thousand) instead of one per
        # rollup row (millions), each series packed as big-endian int8 (hour << 32 | mentions)
        # and decoded by numpy. date_part (float8) is much cheaper per row than extract (numeric);
        # the buckets are whole seconds, so floor() gives the same hour. For this query only, JIT
        # is off (compiling it costs more than it saves) and work_mem is raised so that grouping
        # millions of rows happens in memory instead of an external sort on disk (2.5 s -> 1.6 s
        # on 4.2 M rows in `bench --only flags`).
        where = "AND tenant_id = ANY(%s)" if tenant_ids is not None else ""
        params: list[float | datetime | list[int]] = [start.timestamp(), start, end]
        if tenant_ids is not None:
            params.append(list(tenant_ids))
        sql = (
            # ``where`` is one of two constant strings; every value goes as a parameter.
            "SELECT tenant_id, brand_id, source_id, "
            "string_agg(int8send((floor((date_part('epoch', bucket) - %s) / 3600)::int8 << 32) "
            "| mentions::int8), ''::bytea) "
            "FROM listening_volumehourly WHERE bucket >= %s AND bucket < %s " + where +
            " GROUP BY tenant_id, brand_id, source_id"
        )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        keys = [(tid, bid, sid) for tid, bid, sid, _ in rows]
        packed = np.frombuffer(b"".join(bytes(r[3]) for r in rows), dtype=">i8")
        lengths = np.fromiter((len(r[3]) // 8 for r in rows), dtype=np.int64, count=len(rows))
        counts = np.zeros((len(rows), steps))
        counts[np.repeat(np.arange(len(rows)), lengths), packed >> 32] = packed & 0xFFFFFFFF
        return Rollups(start, keys, counts)
    qs = VolumeHourly.all_tenants.filter(bucket__gte=start, bucket__lt=end)
    if tenant_ids is not None:
        qs = qs.filter(tenant_id__in=list(tenant_ids))
    cells: list[tuple[int, int, int]] = []
    for tid, bid, sid, bucket, n in qs.values_list("tenant_id", "brand_id", "source_id", "bucket",
                                                    "mentions").iterator(chunk_size=5000):
        row = index.setdefault((tid, bid, sid), len(index))
        cells.append((row, int((bucket - start).total_seconds() // STEP_SECONDS), n))
    keys = list(index)
    counts = np.zeros((len(keys), steps))
    for row, hour, n in cells:
        counts[row, hour] += n
    return Rollups(start, keys, counts)


def _group(labels: Sequence[_Label], counts: np.ndarray) -> tuple[list[_Label], np.ndarray]:
    """Sum the rows of ``counts`` that share a label."""
    index: dict[_Label, int] = {}
    rows = np.array([index.setdefault(label, len(index)) for label in labels], dtype=np.int64)
    out = np.zeros((len(index), counts.shape[1]))
    if len(rows):
        np.add.at(out, rows, counts)
    return list(index), out


class _Statuses:
    """detect_latest over distinct series only, one batch per sensitivity. A series is the sum
    of some rollup rows of one tenant, and is named by those rows; it is read at its tenant's
    sensitivity unless a ``sens`` is given (a preset adjusted by feedback)."""

    def __init__(self, keys: list[tuple[int, int | None, int]], counts: np.ndarray,
                 sensitivity_of: dict[int, str]) -> None:
        self.counts = counts
        self.sensitivity_of = sensitivity_of
        self.tenant_of_row = [tid for tid, _, _ in keys]
        self.pending: dict[tuple[tuple[int, ...], str], None] = {}
        self.done: dict[tuple[tuple[int, ...], str], tuple[bool, bool, bool]] = {}

    def _key(self, rows: Sequence[int], sens: str | None) -> tuple[tuple[int, ...], str]:
        series = tuple(rows)
        return series, sens or self.sensitivity_of[self.tenant_of_row[series[0]]]

    def want(self, rows: Sequence[int], sens: str | None = None) -> None:
        if rows and (key := self._key(rows, sens)) not in self.done:
            self.pending[key] = None

    def run(self) -> None:
        by_sens: dict[str, list[tuple[int, ...]]] = defaultdict(list)
        for series, sens in self.pending:
            by_sens[sens].append(series)
        self.pending = {}
        for sens, all_series in by_sens.items():
            matrix = np.stack([self.counts[list(series)].sum(axis=0) if len(series) > 1
                               else self.counts[series[0]] for series in all_series])
            latest = detect_latest(matrix, step_seconds=STEP_SECONDS, direction="both",
                                   sensitivity=sens)
            for i, series in enumerate(all_series):
                self.done[(series, sens)] = (bool(latest.decline_open[i]), bool(latest.surge_open[i]),
                                             bool(latest.gap_open[i]))

    def get(self, rows: Sequence[int], sens: str | None = None) -> tuple[bool, bool, bool]:
        if not rows:
            return (False, False, False)
        return self.done.get(self._key(rows, sens), (False, False, False))


def _totals(keys: list[tuple[int, int | None, int]], rows_of_tenant: dict[int, list[int]],
            excluded: dict[int, dict[int, str]]) -> dict[tuple[int, int | None], tuple[int, ...]]:
    """The rows each tenant total and each brand (of tenants with two or more) sums, without
    the excluded sources."""
    out: dict[tuple[int, int | None], tuple[int, ...]] = {}
    for tid, rows in rows_of_tenant.items():
        kept = [r for r in rows if keys[r][2] not in excluded.get(tid, {})]
        if not kept:
            continue
        out[(tid, None)] = tuple(kept)
        by_brand: dict[int, list[int]] = defaultdict(list)
        for r in kept:
            brand_id = keys[r][1]
            if brand_id is not None:
                by_brand[brand_id].append(r)
        if len({keys[r][1] for r in kept}) > 1:
            for bid, brand_rows in by_brand.items():
                out[(tid, bid)] = tuple(brand_rows)
    return out


def _window_usual(counts: np.ndarray, a: int, b: int) -> np.ndarray:
    """Each row's own usual count over steps [a, b): the mean of the same hours of the weeks
    before (up to four), so every contributor is measured against its own level."""
    past = [counts[:, a - k * WEEK : b - k * WEEK].sum(axis=1) for k in range(1, 5) if a - k * WEEK >= 0]
    return np.mean(past, axis=0) if past else np.full(counts.shape[0], np.nan)


@dataclass(frozen=True)
class _Part:
    name: str
    id: int | None
    observed: float
    expected: float


def _top_contributor(names: list[tuple[str, int | None]], counts: np.ndarray, a: int, b: int,
                     direction: str) -> _Part | None:
    if not names:
        return None
    observed = counts[:, a:b].sum(axis=1)
    expected = _window_usual(counts, a, b)
    gap = (expected - observed) if direction == "down" else (observed - expected)
    gap = np.nan_to_num(gap, nan=-np.inf)
    i = int(np.argmax(gap))
    if not np.isfinite(gap[i]) or gap[i] <= 0:
        return None
    return _Part(names[i][0], names[i][1], float(observed[i]), float(expected[i]))


def _describe(part: _Part, what: str, direction: str) -> str:
    share = "shortfall" if direction == "down" else "excess"
    return (f"Most of the {share} is {what} {part.name}: {part.observed:.0f} mentions against "
            f"about {part.expected:.0f} usual for it ({part.observed / part.expected - 1:+.0%})."
            if part.expected > 0 else f"Most of the {share} is {what} {part.name}.")


def _scope(brand_id: int | None) -> str:
    return "tenant" if brand_id is None else f"brand:{brand_id}"


def volume_conditions(*, tenants: Iterable[Tenant], rollups: Rollups, now: datetime,
                      steps: dict[tuple[int, str], int] | None = None) -> dict[int, list[Condition]]:
    """``steps``: the feedback rule's adjustment per (tenant, alert key), none by default."""
    by_id = {t.pk: t for t in tenants}
    sensitivity_of = {tid: t.alert_sensitivity for tid, t in by_id.items()}
    steps = steps or {}

    def sens_for(label: tuple[int, int | None], kind: str) -> str:
        tid, bid = label
        return sensitivity_adjusted(sensitivity_of[tid], steps.get((tid, f"{kind}:{_scope(bid)}"), 0))

    out: dict[int, list[Condition]] = defaultdict(list)
    sources = {s.pk: s for s in Source.all_tenants.filter(tenant_id__in=list(by_id)).only(
        "id", "tenant_id", "name", "paused", "consecutive_failures", "last_success_at")}
    brand_names = dict(Brand.all_tenants.filter(tenant_id__in=list(by_id)).values_list("id", "name"))
    recovering = {
        (tid, key) for tid, key in Alert.all_tenants.filter(
            tenant_id__in=list(by_id), kind=AlertKind.SOURCE_HEALTH, status=AlertStatus.RESOLVED,
            resolved_at__gte=now - timedelta(hours=RECOVERY_HOURS),
        ).values_list("tenant_id", "key")
    }
    keys, x = rollups.keys, rollups.counts
    status = _Statuses(keys, x, sensitivity_of)

    # 1. Sources. A series is identified by the rollup rows it sums, so a brand fed by one
    # source, or a tenant with one brand, costs the detector nothing more.
    rows_of_source: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, (tid, _, sid) in enumerate(keys):
        rows_of_source[(tid, sid)].append(i)
    rows_of_tenant: dict[int, list[int]] = defaultdict(list)
    for i, (tid, _, _) in enumerate(keys):
        rows_of_tenant[tid].append(i)
    for rows in rows_of_source.values():
        status.want(rows)
    totals = _totals(keys, rows_of_tenant, excluded={})
    for total_rows in totals.values():
        status.want(total_rows)
    status.run()
    excluded = _sources_left_out(sources, rows_of_source, status, recovering, out)

    # 2. Tenant totals and brands, from the sources that work (a second, small detector pass
    # for the tenants that lost a source).
    if excluded:
        totals = _totals(keys, rows_of_tenant, excluded=excluded)
    # Series whose feedback moved a direction's preset are read again at it.
    for label, series_rows in totals.items():
        status.want(series_rows, sens_for(label, AlertKind.DECLINE))
        status.want(series_rows, sens_for(label, AlertKind.SURGE))
    status.run()
    series_labels = list(totals)
    decline = np.array([status.get(totals[label], sens_for(label, AlertKind.DECLINE))[0]
                        for label in series_labels], dtype=bool)
    surge = np.array([status.get(totals[label], sens_for(label, AlertKind.SURGE))[1]
                      for label in series_labels], dtype=bool)

    for direction, flagged in (("down", decline), ("up", surge)):
        kind = AlertKind.DECLINE if direction == "down" else AlertKind.SURGE
        by_sens: dict[str, list[int]] = defaultdict(list)
        for flagged_at in np.flatnonzero(flagged):
            by_sens[sens_for(series_labels[flagged_at], kind)].append(int(flagged_at))
        for sens, rows in by_sens.items():
            matrix = np.stack([x[list(totals[series_labels[r]])].sum(axis=0) for r in rows])
            found = detect_many(matrix, step_seconds=STEP_SECONDS, direction=direction,
                                sensitivity=sens)
            for row, alerts in zip(rows, found, strict=True):
                tid, bid = series_labels[row]
                part_rows = list(totals[series_labels[row]])
                out[tid].append(_volume_condition(
                    tenant=by_id[tid], brand_id=bid, brand_names=brand_names, sources=sources,
                    direction=direction, alert=_latest(alerts, direction),
                    part_keys=[keys[r] for r in part_rows],
                    part_x=x[part_rows], excluded=excluded.get(tid, {}), start=rollups.start,
                    sensitivity=sens, steps=steps.get((tid, f"{kind}:{_scope(bid)}"), 0),
                ))
    return out


def _latest(alerts: Sequence[VolumeAlert], direction: str) -> VolumeAlert | None:
    """The newest alert of the kind ``direction`` looks for, or None."""
    kind = "decline" if direction == "down" else "surge"
    return next((a for a in reversed(alerts) if a.kind == kind), None)


def _sources_left_out(sources: dict[int, Source], rows_of_source: dict[tuple[int, int], list[int]],
                      status: _Statuses, recovering: set[tuple[int, str]],
                      out: dict[int, list[Condition]]) -> dict[int, dict[int, str]]:
    """Per tenant, the sources its totals leave out and why (failing, paused, a gap in what they
    deliver, recovering from one); a condition for each that is not recovering goes to ``out``."""
    excluded: dict[int, dict[int, str]] = defaultdict(dict)
    for source in sources.values():
        rows = rows_of_source.get((source.tenant_id, source.pk))
        state = source.health if source.health in ("failing", "paused") else (
            "gap" if rows and status.get(rows)[2] else None)
        if state is not None:
            excluded[source.tenant_id][source.pk] = state
            out[source.tenant_id].append(_source_condition(source, state))
        elif (source.tenant_id, f"source_health:source:{source.pk}") in recovering:
            excluded[source.tenant_id][source.pk] = "recovering"
    return excluded


def _source_condition(source: Source, state: str) -> Condition:
    if state == "failing" and source.never_succeeded:
        title = gettext("Source %(name)s has never collected anything") % {"name": source.name}
        text = gettext(
            "Every poll of %(name)s since it was added has failed (%(failures)d so far), so none "
            "of its mentions has been collected. Check its settings and credentials; the last "
            "error is on the tenant page.") % {"name": source.name,
                                                "failures": source.consecutive_failures}
        severity = "critical"
    elif state == "gap":
        title = f"Source {source.name} has stopped collecting"
        text = (f"{source.name} has delivered no mentions for several hours where it usually "
                "has plenty: the collector looks down. Volume declines it would explain are "
                "not reported while it is.")
        severity = "warning"
    else:
        title = f"Source {source.name} is {state}"
        text = (f"{source.name} is {state}" + (
            f" after {source.consecutive_failures} failed polls in a row" if state == "failing" else "")
            + ": its mentions are not being collected, so volume that falls with it is not "
            "reported as a decline.")
        severity = "critical" if state == "failing" else "info"
    return Condition(key=f"source_health:source:{source.pk}", kind=AlertKind.SOURCE_HEALTH,
                     title=title, explanation=text, severity=severity,
                     data={"source_id": source.pk, "source": source.name, "state": state,
                           "never_succeeded": source.never_succeeded})


def _volume_condition(*, tenant: Tenant, brand_id: int | None, brand_names: dict[int, str],
                      sources: dict[int, Source], direction: str, alert: VolumeAlert | None,
                      part_keys: list[tuple[int, int | None, int]], part_x: np.ndarray,
                      excluded: dict[int, str], start: datetime, sensitivity: str = "normal",
                      steps: int = 0) -> Condition:
    kind = AlertKind.DECLINE if direction == "down" else AlertKind.SURGE
    subject = tenant.name if brand_id is None else brand_names.get(brand_id, f"brand {brand_id}")
    scope = "tenant" if brand_id is None else f"brand:{brand_id}"
    data: dict[str, object] = {"brand_id": brand_id, "direction": direction,
                               "sensitivity": sensitivity, "feedback_steps": steps}
    parts = []
    if alert is None:
        parts.append((gettext("Mentions of %(subject)s are falling against their usual level.")
                      if direction == "down" else
                      gettext("Mentions of %(subject)s are surging against their usual level."))
                     % {"subject": subject})
        a, b = part_x.shape[1] - 6, part_x.shape[1]
    else:
        parts.append(alert.explanation)
        length = max(1, round(alert.persisted_hours * 3600 / STEP_SECONDS))
        b = alert.index + 1
        a = max(0, b - length)
        # relative_change is inf when nothing was expected: alerts_sync stores every condition's
        # data through json_safe, which writes null for it.
        data.update({k: alert.to_dict()[k] for k in (
            "observed", "expected", "low", "high", "relative_change", "persisted_hours")})
        data["since"] = (start + timedelta(seconds=a * STEP_SECONDS)).isoformat()
    if brand_id is None:
        names, rows = _group([bid for _, bid, _ in part_keys], part_x)
        if len(names) > 1:
            top = _top_contributor([(brand_names.get(n, "without a brand") if n else "(no brand)", n)
                                    for n in names], rows, a, b, direction)
            if top:
                parts.append(_describe(top, "brand", direction))
                data["top_brand"] = {"id": top.id, "name": top.name, "observed": top.observed,
                                     "expected": top.expected}
    names, rows = _group([sid for _, _, sid in part_keys], part_x)
    top = _top_contributor([(sources[n].name if n in sources else f"source {n}", n) for n in names],
                           rows, a, b, direction)
    if top:
        parts.append(_describe(top, "source", direction).replace("Most of the", "By source, most of the"))
        data["top_source"] = {"id": top.id, "name": top.name, "observed": top.observed,
                              "expected": top.expected}
    if excluded:
        left_out = ", ".join(f"{sources[s].name} ({state})" for s, state in excluded.items() if s in sources)
        parts.append(gettext("Left out of this count: %(sources)s.") % {"sources": left_out})
        data["excluded_sources"] = sorted(excluded)
    if steps:
        parts.append(gettext("After the team's feedback, these alerts are %(steps)d step(s) less "
                             "sensitive than the tenant's setting (%(sensitivity)s).")
                     % {"steps": steps, "sensitivity": sensitivity})
    severe = alert is not None and direction == "down" and alert.relative_change <= -0.5
    return Condition(
        key=f"{kind}:{scope}", kind=kind,
        title=(gettext("Mentions of %(subject)s are falling") if direction == "down"
               else gettext("Mentions of %(subject)s are surging")) % {"subject": subject},
        explanation=" ".join(parts), severity="critical" if severe else "warning", data=data,
    )


def _overdue_by_tenant(tenants: list[Tenant], now: datetime) -> dict[int, tuple[int, datetime]]:
    """(count, oldest publication) of ``unanswered_complaints`` for every tenant, in one query:
    each tenant's business-hours cutoff is computed in Python (as ``unanswered_complaints``
    does), tenants sharing a cutoff share one branch of the OR, and the counts are grouped."""
    # Tenants sharing a cutoff, a backlog day and an overdue setting share a branch.
    by_cutoff: dict[tuple[datetime, datetime | None, str], list[int]] = defaultdict(list)
    for tenant in tenants:
        cutoff = overdue_cutoff(tenant=tenant, now=now)
        if cutoff is not None:  # no working time at all: nothing is ever late
            by_cutoff[(cutoff, complaints_counted_since(tenant), tenant.overdue_counts)].append(tenant.pk)
    if not by_cutoff:
        return {}
    overdue = Q()
    for (cutoff, counted_since, counts), ids in by_cutoff.items():
        branch = Q(tenant_id__in=ids, published_at__lte=cutoff) & awaiting_reply(overdue_counts=counts)
        if counted_since is not None:  # the tenant's backlog is never overdue
            branch &= Q(published_at__gte=counted_since)
        overdue |= branch
    rows = (
        Mention.all_tenants.filter(overdue)
        .order_by()
        .values("tenant_id")
        .annotate(n=Count("id"), oldest=Min("published_at"))
        .values_list("tenant_id", "n", "oldest")
    )
    return {tid: (n, oldest) for tid, n, oldest in rows if n}


def unanswered_conditions(*, tenants: Iterable[Tenant], now: datetime) -> dict[int, list[Condition]]:
    tenants = list(tenants)
    overdue = _overdue_by_tenant(tenants, now)
    out: dict[int, list[Condition]] = {}
    for tenant in tenants:
        if tenant.pk not in overdue:
            continue
        n, oldest = overdue[tenant.pk]
        waited = now - oldest
        target = tenant.response_target_minutes
        out[tenant.pk] = [Condition(
            key="unanswered:tenant", kind=AlertKind.UNANSWERED,
            title=gettext("%(n)d %(what)s without a brand reply")
            % {"n": n, "what": figures.waiting_noun(n, tenant.overdue_counts)},
            explanation=gettext("%(n)d %(what)s waiting past the %(target)s response target (counted in "
                                "business hours); the oldest has waited %(waited)s (wall-clock).")
                         % {"n": n, "what": figures.waiting_noun(n, tenant.overdue_counts),
                            "target": figures.duration(target * 60),
                            "waited": figures.duration(waited.total_seconds())},
            severity="critical" if waited > timedelta(minutes=4 * target) else "warning",
            data={"count": n, "oldest_at": oldest.isoformat(), "target_minutes": target},
        )]
    return out


def flags_sweep(*, now: datetime | None = None, tenants: Iterable[Tenant] | None = None) -> SyncReport:
    """Run every sweep for ``tenants`` (all of them by default) and sync their alerts.

    All tenants at once first, in one transaction (a few queries for all of them). If that
    fails, nothing of it stays, and each tenant is swept again alone in a transaction of its
    own, so that one tenant's failure (bad data, a bug its figures reach) costs only that
    tenant's alerts: it is logged with the tenant and listed in the report's ``failed``.
    """
    now = now or timezone.now()
    tenants = list(Tenant.objects.all() if tenants is None else tenants)
    try:
        with transaction.atomic():
            return _sweep(tenants=tenants, now=now)
    except Exception:
        if len(tenants) <= 1:
            report = SyncReport()
            for tenant in tenants:
                logger.exception("flag sweep failed for tenant %s", tenant.slug)
                report.failed.append(tenant.slug)
            return report
        logger.exception("flag sweep failed for the %d tenants at once: sweeping them one by one",
                         len(tenants))
    report = SyncReport()
    for tenant in tenants:
        try:
            with transaction.atomic():
                one = _sweep(tenants=[tenant], now=now)
        except Exception:
            logger.exception("flag sweep failed for tenant %s", tenant.slug)
            report.failed.append(tenant.slug)
            continue
        report.opened += one.opened
        report.refreshed += one.refreshed
        report.resolved += one.resolved
        report.cooling_down += one.cooling_down
    return report


def _sweep(*, tenants: list[Tenant], now: datetime) -> SyncReport:
    # The hour in progress is incomplete: the series ends at the last full hour.
    end = now.replace(minute=0, second=0, microsecond=0)
    rollups = rollups_load(start=end - timedelta(days=HISTORY_DAYS), end=end,
                           tenant_ids=[t.pk for t in tenants])
    steps = feedback_steps(tenant_ids=[t.pk for t in tenants], now=now)
    conditions = volume_conditions(tenants=tenants, rollups=rollups, now=now, steps=steps)
    for more in (unanswered_conditions(tenants=tenants, now=now),
                 storm_conditions(tenants=tenants, end=end, steps=steps)):
        for tid, conds in more.items():
            conditions.setdefault(tid, []).extend(conds)
    return alerts_sync(conditions=conditions, tenants=tenants, kinds=SWEPT_KINDS, now=now)
