"""evaluate_needs_reply: precision and recall of "asks the brand something" on labelled text."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command


def run(*args: str) -> dict[str, float]:
    out = io.StringIO()
    call_command("evaluate_needs_reply", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_it_scores_a_text_and_label_file(tmp_path):
    path = tmp_path / "sample.csv"
    path.write_text("label,text\nquestion,gmn caranya?\nrequest,can you DM me\n"
                    "none,how good is this cake\nnone,who else loves it?\nquestion,ok then\n")
    figures = run(str(path))
    assert (figures["n"], figures["asking"], figures["true_pos"]) == (5, 3, 2)
    assert (figures["false_pos"], figures["false_neg"]) == (0, 1)
    assert (figures["precision"], figures["recall"]) == (1.0, 0.667)


def test_it_joins_labelled_ids_to_the_corpus_texts(tmp_path):
    labels, texts = tmp_path / "labels.csv", tmp_path / "twcs.csv"
    labels.write_text("tweet_id,label\n2,request\n1,none\n")
    texts.write_text("tweet_id,text\n1,love it\n2,@brand please check my DM\n3,unused\n")
    figures = run(str(labels), "--texts", str(texts))
    assert (figures["n"], figures["true_pos"], figures["kind_right"]) == (2, 1, 1)


def test_it_refuses_an_unknown_label_a_missing_id_and_a_missing_file(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("label,text\nmaybe,hello\n")
    with pytest.raises(CommandError, match="every label must be one of"):
        run(str(bad))
    labels, texts = tmp_path / "labels.csv", tmp_path / "twcs.csv"
    labels.write_text("tweet_id,label\n9,none\n")
    texts.write_text("tweet_id,text\n1,hi\n")
    with pytest.raises(CommandError, match="1 labelled ids are not in"):
        run(str(labels), "--texts", str(texts))
    with pytest.raises(CommandError, match="No such file"):
        run(str(tmp_path / "nope.csv"))
    with pytest.raises(CommandError, match="no text column"):
        run(str(labels))
