"""evaluate_classifier --learn-from: a fresh tenant's model learnt from N corrections, scored."""

from __future__ import annotations

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.learning.conftest import pulsa_texts


def write(path: Path, rows: list[tuple[str, str]]) -> str:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(("text", "label"))
        writer.writerows(rows)
    return str(path)


def evaluate(*args: str) -> dict:
    out = StringIO()
    call_command("evaluate_classifier", *args, "--task", "complaint", "--json",
                 "--backend", "tests.fakes.FakeClassifier", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def files(tmp_path: Path) -> tuple[str, str]:
    # The fake engine calls none of the "pulsa" complaints a complaint.
    return (write(tmp_path / "test.csv", pulsa_texts(40, seed=7)),
            write(tmp_path / "train.csv", pulsa_texts(60, seed=3)))


def test_the_tenant_model_learns_what_the_engine_misses(files):
    test, train = files
    engine = evaluate(test, "--learn-from", train, "--corrections", "0")
    learnt = evaluate(test, "--learn-from", train, "--corrections", "all", "--seed", "2")
    assert engine["corrections"] == 0
    assert learnt["corrections"] == 60
    assert engine["macro_f1"] < 0.5 < 0.9 < learnt["macro_f1"]
    assert "corrections" not in evaluate(test)


@pytest.mark.parametrize(("args", "message"), [
    (["--corrections", "10"], "go together"),
    (["--learn-from", "TRAIN"], "go together"),
    (["--learn-from", "TRAIN", "--corrections", "61"], "0 to 60"),
    (["--learn-from", "TRAIN", "--corrections", "-1"], "0 to 60"),
    (["--learn-from", "TRAIN", "--corrections", "many"], "a number or all"),
])
def test_bad_learning_options_are_refused_clearly(files, args, message):
    test, train = files
    with pytest.raises(CommandError, match=message):
        evaluate(test, *[train if a == "TRAIN" else a for a in args])
