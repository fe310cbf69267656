"""Synthetic declines made from control series: thinning, hit counting, and the command's option."""

from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from listening.research.volume.synthetic import synthetic_declines, thin
from tests.research.test_evaluate_volume import series, stamp, write_series

HOURLY = 3600


def test_thinning_keeps_each_mention_with_the_given_probability_and_leaves_gaps_alone() -> None:
    values = np.array([1000.0] * 200 + [np.nan, 0.0])
    thinned = thin(values, 0.3, np.random.default_rng(1))
    assert np.isnan(thinned[200])
    assert thinned[201] == 0
    assert (thinned[:200] <= 1000).all()
    assert abs(thinned[:200].mean() - 300) < 5  # binomial(1000, 0.3): sd of the mean ~1


def test_a_steady_series_loses_a_deep_fall_quickly_and_no_fall_is_never_found() -> None:
    steady = series(3)  # 4 weeks of hourly counts with a daily and weekly rhythm, no news
    result = synthetic_declines([("steady", steady, HOURLY)], keeps=(0.3, 1.0), levels=(1.0,), every_hours=23)
    deep, none = sorted(result.cells, key=lambda c: c.keep)
    # Starts from the end of the warm-up plus a window, every 23 h, while a whole window still fits.
    assert deep.declines == none.declines == len(range(7 * 24 + 48, len(steady) - 48, 23))
    assert deep.recall is not None
    assert deep.recall >= 0.9
    assert deep.median_delay_hours is not None
    assert deep.median_delay_hours <= 12
    # Keeping everything is no fall: a "hit" there could only be a false alert inside the window.
    assert none.recall == 0.0
    assert none.late == 0
    assert result.controls == [{"file": "steady", "level": 1.0, "false_alerts": 0}]


def test_the_same_seed_gives_the_same_figures() -> None:
    values = series(4)
    one, two = (synthetic_declines([("s", values, HOURLY)], levels=(0.05,), seed=7).to_dict() for _ in range(2))
    assert one == two


def labelled_dir(tmp_path: Path) -> Path:
    drop = 20 * 24
    write_series(tmp_path / "a_control.csv", series(1))
    write_series(tmp_path / "a_keep30.csv", series(2, drop))
    (tmp_path / "labels.json").write_text(json.dumps({
        "a_control.csv": {"direction": "down", "windows": []},
        "a_keep30.csv": {"direction": "down", "windows": [[stamp(drop), stamp(drop + 48)]]},
    }))
    return tmp_path


def test_the_command_makes_declines_from_the_controls_only(tmp_path: Path) -> None:
    directory = labelled_dir(tmp_path)
    out = StringIO()
    call_command("evaluate_volume", str(directory), "--synthetic-declines", "--keeps", "0.3,0.65",
                 "--levels", "1", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert [c["file"] for c in data["controls"]] == ["a_control.csv"]
    assert [(c["level"], c["keep"]) for c in data["cells"]] == [(1.0, 0.3), (1.0, 0.65)]
    assert set(data) >= {"recall_by_keep", "median_delay_hours", "false_alerts", "seconds"}
    assert data["recall_by_keep"]["0.3"] >= 0.9


@pytest.mark.parametrize(("args", "message"), [
    (["--controls", "a_keep30.csv"], "have labelled windows"),
    (["--controls", "missing.csv"], "not a labelled CSV"),
    (["--keeps", "0.3,1.5"], "shares in (0, 1]"),
    (["--levels", "half"], "comma-separated list of numbers"),
])
def test_the_command_refuses_what_it_cannot_use(tmp_path: Path, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("evaluate_volume", str(labelled_dir(tmp_path)), "--synthetic-declines", *args, stdout=StringIO())
