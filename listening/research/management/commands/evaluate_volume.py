"""Score the online volume detector on labelled series (timestamp,value CSVs and a labels.json).

    python manage.py evaluate_volume DIR --labels DIR/labels.json [--json]
        [--direction up|down|both] [--sensitivity low|normal|high]
        [--ceiling [--target-recall 0.8] [--target-precision 0.6]]

labels.json maps a file name to {"direction": "up"|"down", "windows": [[start, end], ...]}.
Each file is run online (each step sees only the past) with the file's direction unless
--direction overrides it; hits and false alerts follow shared/data/README.md.
With --ceiling the detector is not run: simple one-rule detectors are, each with one threshold
chosen on the labels (research/volume/ceiling.py), to tell whether the targets are reachable at all.
"""

from __future__ import annotations

import csv
import json
import statistics
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from listening.analysis.volume import DIRECTIONS, SENSITIVITIES, detect
from listening.research.volume.ceiling import LabelledSeries, ceiling
from listening.research.volume.scoring import FileScore, infer_step_seconds, score_alerts
from listening.research.volume.synthetic import synthetic_declines


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).replace(tzinfo=None)


def read_series(path: Path) -> tuple[list[datetime], list[float]]:
    stamps: list[datetime] = []
    values: list[float] = []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            stamps.append(parse_time(row["timestamp"]))
            raw = (row.get("value") or "").strip()
            values.append(float(raw) if raw else float("nan"))
    return stamps, values


def read_labels(path: Path) -> dict[str, dict[str, Any]]:
    """Accepts {file: {"direction", "windows"}} and, leniently, {file: [[start, end], ...]}."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CommandError(f"cannot read labels {path}: {exc}") from exc
    if not isinstance(raw, dict):
        raise CommandError("labels.json must be an object keyed by file name")
    labels: dict[str, dict[str, Any]] = {}
    for name, entry in raw.items():
        if isinstance(entry, list):
            entry = {"windows": entry}
        if not isinstance(entry, dict):
            raise CommandError(f"labels for {name!r} must be an object")
        direction = str(entry.get("direction", "down")).lower()
        if direction not in ("up", "down"):
            raise CommandError(f"labels for {name!r}: direction must be up or down")
        windows = []
        for window in entry.get("windows") or []:
            start, end = (window["start"], window["end"]) if isinstance(window, dict) else window
            windows.append((parse_time(str(start)), parse_time(str(end))))
        labels[Path(name).name] = {"direction": direction, "windows": windows}
    return labels


def summarise(scores: list[FileScore]) -> dict[str, Any]:
    windows = sum(s.windows for s in scores)
    hits = sum(s.hits for s in scores)
    false_alerts = sum(s.false_alerts for s in scores)
    points = sum(s.points for s in scores)
    delays = [d for s in scores for d in s.delays_hours]
    return {
        "windows": windows,
        "hits": hits,
        "false_alerts": false_alerts,
        "recall": hits / windows if windows else None,
        "precision": hits / (hits + false_alerts) if hits + false_alerts else None,
        "false_alerts_per_1000_points": 1000 * false_alerts / points if points else None,
        "mean_delay_hours": statistics.fmean(delays) if delays else None,
        "median_delay_hours": statistics.median(delays) if delays else None,
        "points": points,
    }


def group_of(name: str) -> str:
    # AAPL_hourly_keep30.csv -> keep30; the grouping is only shown when several files share it.
    return Path(name).stem.rsplit("_", 1)[-1]


def fmt(value: float | None, spec: str = ".3f") -> str:
    return "-" if value is None else format(value, spec)


class Command(BaseCommand):
    help = "Run the volume detector online over labelled CSVs: recall, precision, false alerts, delay."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory")
        parser.add_argument("--labels", help="labels.json (default: DIR/labels.json)")
        parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
        parser.add_argument("--direction", choices=DIRECTIONS, help="override the files' direction")
        parser.add_argument("--sensitivity", choices=SENSITIVITIES, default="normal")
        parser.add_argument(
            "--ceiling",
            action="store_true",
            help="instead of the detector, the best one-rule detectors with thresholds chosen on the labels",
        )
        parser.add_argument("--target-recall", type=float, default=0.8, help="with --ceiling (default 0.8)")
        parser.add_argument("--target-precision", type=float, default=0.6, help="with --ceiling (default 0.6)")
        parser.add_argument(
            "--synthetic-declines", action="store_true",
            help="instead of the labelled windows, many declines made by thinning the control files "
                 "(those without a window) from start hours spread over them",
        )
        parser.add_argument("--controls", help="with --synthetic-declines: comma-separated control files to use "
                                               "(default: every file without a window)")
        parser.add_argument("--keeps", default="0.3,0.5,0.65", help="with --synthetic-declines: shares kept")
        parser.add_argument("--levels", default="1,0.25,0.05",
                            help="with --synthetic-declines: each control first thinned to these shares")
        parser.add_argument("--every-hours", type=float, default=23.0,
                            help="with --synthetic-declines: hours between two start hours")
        parser.add_argument("--seed", type=int, default=0, help="with --synthetic-declines")

    def handle(self, *args: Any, **opts: Any) -> None:
        directory = Path(opts["directory"])
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a directory")
        labels = read_labels(Path(opts["labels"]) if opts["labels"] else directory / "labels.json")
        files = sorted(p for p in directory.glob("*.csv") if p.name in labels)
        if not files:
            raise CommandError(f"no CSV in {directory} is named in the labels")
        if opts["ceiling"]:
            self.handle_ceiling(files, labels, opts)
            return
        if opts["synthetic_declines"]:
            self.handle_synthetic(files, labels, opts)
            return
        scores: list[FileScore] = []
        started = time.perf_counter()
        for path in files:
            label = labels[path.name]
            stamps, values = read_series(path)
            step = infer_step_seconds(stamps)
            direction = opts["direction"] or label["direction"]
            alerts = detect(values, step_seconds=step, direction=direction,
                            sensitivity=opts["sensitivity"], timestamps=stamps)
            score = score_alerts(
                name=path.name, direction=label["direction"], points=len(values), windows=label["windows"],
                alerts=[(a.timestamp, a.direction) for a in alerts if a.direction is not None],
            )
            score.gaps = sum(a.kind == "collector_gap" for a in alerts)
            for record, alert in zip(score.alerts, sorted(
                (a for a in alerts if a.direction is not None), key=lambda a: (a.timestamp, a.direction or "")
            ), strict=True):
                record.update(observed=alert.observed, expected=round(alert.expected, 1),
                              relative_change=round(alert.relative_change, 3),
                              persisted_hours=alert.persisted_hours)
            scores.append(score)
        elapsed = time.perf_counter() - started
        per_file = [{"file": s.name, "direction": s.direction, **summarise([s]), "collector_gaps": s.gaps,
                     "alerts": s.alerts} for s in scores]
        names = [s.name for s in scores]
        groups = {g: summarise([s for s in scores if group_of(s.name) == g])
                  for g in sorted({group_of(n) for n in names})
                  if sum(group_of(n) == g for n in names) > 1}
        result = {**summarise(scores), "files": per_file, "groups": groups,
                  "sensitivity": opts["sensitivity"], "seconds": round(elapsed, 3)}
        if opts["json"]:
            self.stdout.write(json.dumps(result, indent=1, default=str))
            return
        header = (f"{'file':34} {'dir':4} {'win':>4} {'hits':>4} {'false':>5} {'recall':>6} {'prec':>6} "
                  f"{'fa/1k':>6} {'mean h':>7} {'med h':>6} {'gaps':>4}")
        self.stdout.write(header)
        rows = [(f["file"], f["direction"], f, f["collector_gaps"]) for f in per_file]
        rows += [(f"[{g}]", "", v, "") for g, v in groups.items()]
        rows.append(("OVERALL", "", result, ""))
        for name, direction, v, gaps in rows:
            self.stdout.write(
                f"{name:34} {direction:4} {v['windows']:>4} {v['hits']:>4} {v['false_alerts']:>5} "
                f"{fmt(v['recall']):>6} {fmt(v['precision']):>6} {fmt(v['false_alerts_per_1000_points'], '.2f'):>6} "
                f"{fmt(v['mean_delay_hours'], '.1f'):>7} {fmt(v['median_delay_hours'], '.1f'):>6} {gaps!s:>4}"
            )
        self.stdout.write(f"{len(scores)} files, {result['points']} points in {elapsed:.1f} s "
                          f"(sensitivity {opts['sensitivity']})")

    def handle_ceiling(self, files: list[Path], labels: dict[str, dict[str, Any]], opts: dict[str, Any]) -> None:
        if opts["direction"]:
            raise CommandError("--ceiling uses each file's labelled direction: drop --direction")
        targets = opts["target_recall"], opts["target_precision"]
        if not all(0 < t <= 1 for t in targets):
            raise CommandError("--target-recall and --target-precision must be in (0, 1]")
        started = time.perf_counter()
        series = []
        for path in files:
            stamps, values = read_series(path)
            label = labels[path.name]
            series.append(
                LabelledSeries(
                    path.name, label["direction"], stamps, values, label["windows"], infer_step_seconds(stamps)
                )
            )
        result = ceiling(series, target_recall=targets[0], target_precision=targets[1])
        elapsed = time.perf_counter() - started
        if opts["json"]:
            self.stdout.write(json.dumps({**result.to_dict(), "seconds": round(elapsed, 3)}, indent=1))
            return
        recall, precision = (format(t, ".2f") for t in targets)
        self.stdout.write("one threshold per rule for all files, chosen on the labels: an upper bound for each rule")
        self.stdout.write(
            f"{'rule':9} {'prec@rec>=' + recall:>14} {'threshold':>9} {'rec@prec>=' + precision:>14} {'threshold':>9}"
        )
        for r in result.rules:
            self.stdout.write(
                f"{r.rule:9} {fmt(r.best_precision_at_recall):>14} {fmt(r.threshold_for_precision):>9} "
                f"{fmt(r.best_recall_at_precision):>14} {fmt(r.threshold_for_recall):>9}"
            )
        if result.best:
            self.stdout.write(
                f"{result.best} per file: its peak in each labelled window | its largest value outside every window"
            )
            for f in result.files:
                inside = " ".join(fmt(v, ".2f") for v in f.window_peaks) or "(no window)"
                self.stdout.write(f"  {f.file:34} {inside} | {fmt(f.outside_peak, '.2f')} at {f.outside_peak_at}")
        self.stdout.write(f"{len(series)} files, {len(result.rules)} rules in {elapsed:.1f} s")
        best = next((r for r in result.rules if r.rule == result.best), None)
        if best is None:
            self.stdout.write("best rule: none reaches either target")
            return
        both = best.best_precision_at_recall is not None and best.best_precision_at_recall >= targets[1]
        self.stdout.write(
            f"best rule: {best.rule} (precision {fmt(best.best_precision_at_recall)} at recall >= {recall}, "
            f"recall {fmt(best.best_recall_at_precision)} at precision >= {precision}); recall >= {recall} "
            f"with precision >= {precision}: {'reachable' if both else 'not reachable by any rule'}"
        )

    def handle_synthetic(self, files: list[Path], labels: dict[str, dict[str, Any]], opts: dict[str, Any]) -> None:
        def shares(option: str) -> list[float]:
            try:
                values = [float(v) for v in opts[option].split(",") if v.strip()]
            except ValueError as exc:
                raise CommandError(f"--{option}: a comma-separated list of numbers, got {opts[option]!r}") from exc
            if not values or not all(0 < v <= 1 for v in values):
                raise CommandError(f"--{option}: shares in (0, 1], got {opts[option]!r}")
            return values

        keeps, levels = shares("keeps"), shares("levels")
        by_name = {p.name: p for p in files}
        if opts["controls"]:
            names = [n.strip() for n in opts["controls"].split(",") if n.strip()]
            unknown = [n for n in names if n not in by_name]
            if unknown:
                raise CommandError(f"--controls: not a labelled CSV here: {', '.join(unknown)}")
            with_window = [n for n in names if labels[n]["windows"]]
            if with_window:
                raise CommandError(f"--controls: these have labelled windows: {', '.join(with_window)}")
        else:
            names = [p.name for p in files if not labels[p.name]["windows"]]
        if not names:
            raise CommandError("no control file (a labelled CSV without windows) to make declines from")
        if opts["every_hours"] <= 0:
            raise CommandError("--every-hours must be positive")
        started = time.perf_counter()
        controls = []
        for name in names:
            stamps, values = read_series(by_name[name])
            controls.append((name, values, infer_step_seconds(stamps)))
        result = synthetic_declines(controls, keeps=keeps, levels=levels, every_hours=opts["every_hours"],
                                    sensitivity=opts["sensitivity"], seed=opts["seed"])
        elapsed = time.perf_counter() - started
        data = {**result.to_dict(), "sensitivity": opts["sensitivity"], "seconds": round(elapsed, 3)}
        if opts["json"]:
            self.stdout.write(json.dumps(data, indent=1))
            return
        self.stdout.write(f"declines made from {', '.join(names)}: found within 48 h (recall), median delay, "
                          "found only later")
        self.stdout.write(f"{'level':>6} " + " ".join(f"{'keep ' + format(k, 'g'):>24}" for k in keeps))
        for level in levels:
            cells = [c for c in result.cells if c.level == level]
            self.stdout.write(f"{level:>6g} " + " ".join(
                f"{fmt(c.recall, '.2f'):>5} of {c.declines:<4} {fmt(c.median_delay_hours, '.0f'):>4} h {c.late:>3} late"
                for c in cells))
        recall = result.recall_by_keep()
        self.stdout.write(f"{'all':>6} " + " ".join(f"{fmt(recall[k], '.2f'):>24}" for k in keeps))
        self.stdout.write("false alerts on the controls, by level: " + "; ".join(
            f"{c['file']} x{c['level']:g}: {c['false_alerts']}" for c in result.controls))
        self.stdout.write(f"median delay {fmt(data['median_delay_hours'], '.0f')} h; "
                          f"{sum(c.declines for c in result.cells)} declines in {elapsed:.1f} s "
                          f"(sensitivity {opts['sensitivity']}, seed {opts['seed']})")
