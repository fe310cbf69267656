"""The learner alone (listening.analysis.learning): pure, no database."""

from __future__ import annotations

import io
import random
import zipfile

import numpy as np
import pytest

from listening.analysis import learning
from listening.analysis.base import Analysis
from listening.analysis.learning import TenantModel, learn, learn_task

FILLERS = ["today", "again", "this morning", "at the mall", "since monday", "in bandung",
           "for my mum", "after lunch", "on the app", "last night", "near the office", "twice"]


def engine_says(text: str, *, complaint: bool = False, spam: bool = False,
                sentiment: str = "neutral") -> Analysis:
    return Analysis(lang="en", sentiment_score={"negative": -0.6, "positive": 0.6}.get(sentiment, 0.0),
                    sentiment=sentiment, intent="complaint" if complaint else "other",
                    is_complaint=complaint, complaint_confidence=0.8, is_spam=spam,
                    evidence=("broken",) if complaint else ())


def corpus(n: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """A tenant whose complaints are about "pulsa" vanishing, in words the engine does not read as
    complaints, beside chatter about the brand."""
    rng = random.Random(seed)
    texts, labels = [], []
    for i in range(n):
        filler = rng.choice(FILLERS)
        if i % 2:
            texts.append(f"@telko pulsa ilang {filler} {rng.choice(['lagi', 'terus', 'mulu'])}")
            labels.append("complaint")
        else:
            texts.append(f"@telko watching the match {filler} {rng.choice(['haha', 'wow', 'nice'])}")
            labels.append("not_complaint")
    return texts, labels


def test_with_a_handful_of_corrections_the_engine_decides():
    texts, labels = corpus(learning.MIN_EXAMPLES - 1)
    model, estimate = learn_task("complaint", texts, [engine_says(t) for t in texts], labels)
    assert model is None
    assert estimate is None
    tenant_model, estimates = learn({"complaint": (texts, [engine_says(t) for t in texts], labels)})
    assert tenant_model.tasks == {}
    assert estimates == {}
    fresh = [engine_says("@telko pulsa ilang lagi")]
    assert tenant_model.apply(["@telko pulsa ilang lagi"], fresh) == fresh


def test_it_learns_the_tenants_own_vocabulary():
    texts, labels = corpus(80)
    model, estimates = learn({"complaint": (texts, [engine_says(t) for t in texts], labels)})
    estimate = estimates["complaint"]
    assert estimate.examples == 80
    assert estimate.model_macro_f1 > 0.9 > estimate.engine_macro_f1
    assert "complaint" in model.tasks

    unseen = ["@telko pulsa ilang pas lagi di kereta", "@telko watching the final with friends"]
    out = model.apply(unseen, [engine_says(t) for t in unseen])
    assert [a.is_complaint for a in out] == [True, False]
    assert out[0].intent == "complaint"
    assert out[0].complaint_confidence > 0.5
    assert out[1].intent != "complaint"


def test_where_the_engine_is_right_the_engine_keeps_the_task():
    texts, labels = corpus(80)
    engine = [engine_says(t, complaint=lab == "complaint") for t, lab in zip(texts, labels, strict=True)]
    model, estimate = learn_task("complaint", texts, engine, labels)
    assert model is None
    assert estimate is not None
    assert estimate.engine_macro_f1 == 1.0


def test_sentiment_and_spam_are_learnt_from_their_own_corrections():
    rng = random.Random(1)
    texts, sentiments, spam = [], [], []
    for i in range(90):
        kind = i % 3
        filler = rng.choice(FILLERS)
        texts.append([f"kopinya mantul {filler}", f"kopinya zonk {filler}",
                      f"kopi senja buka {filler}"][kind])
        sentiments.append(["positive", "negative", "neutral"][kind])
        spam.append("spam" if kind == 2 and i % 2 else "ham")
    engine = [engine_says(t) for t in texts]
    model, estimates = learn({"sentiment": (texts, engine, sentiments)})
    assert set(estimates) == {"sentiment"}
    assert "sentiment" in model.tasks
    out = model.apply(["kopinya zonk banget", "kopinya mantul banget"],
                      [engine_says("a"), engine_says("b")])
    assert [a.sentiment for a in out] == ["negative", "positive"]
    assert out[0].sentiment_score < 0 < out[1].sentiment_score


def test_a_model_is_stored_as_arrays_not_a_pickle_and_reads_back_the_same():
    texts, labels = corpus(60)
    engine = [engine_says(t) for t in texts]
    model, _ = learn({"complaint": (texts, engine, labels)})
    data = model.to_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            array = np.load(io.BytesIO(archive.read(name)), allow_pickle=False)
            assert array.dtype != object
    again = TenantModel.from_bytes(data)
    probe, probe_engine = texts[:10], engine[:10]
    assert again.apply(probe, probe_engine) == model.apply(probe, probe_engine)


def test_training_twice_on_the_same_corrections_gives_the_same_model():
    texts, labels = corpus(60)
    engine = [engine_says(t) for t in texts]
    first, _ = learn({"complaint": (texts, engine, labels)})
    second, _ = learn({"complaint": (texts, engine, labels)})
    assert first.to_bytes() == second.to_bytes()


@pytest.mark.parametrize("data", [b"", b"not an archive", b"PK\x03\x04broken"])
def test_bytes_that_are_not_a_model_are_refused(data):
    with pytest.raises(ValueError, match="not a tenant model"):
        TenantModel.from_bytes(data)


def test_a_model_never_hides_a_complaint_as_spam():
    texts, labels = corpus(80)
    model, _ = learn({"complaint": (texts, [engine_says(t) for t in texts], labels)})
    out = model.apply(["@telko pulsa ilang lagi"], [engine_says("x", spam=True)])
    assert out[0].is_complaint
    assert not out[0].is_spam


def test_a_spam_model_never_hides_what_the_engine_calls_a_complaint():
    rng = random.Random(2)
    texts, labels = [], []
    for i in range(80):
        filler = rng.choice(FILLERS)
        texts.append(f"promo pulsa murah wa 0812 {filler}" if i % 2 else f"kopi senja buka {filler}")
        labels.append("spam" if i % 2 else "ham")
    model, _ = learn({"spam": (texts, [engine_says(t) for t in texts], labels)})
    assert "spam" in model.tasks
    probe = "promo pulsa murah wa 0812 lagi"
    assert model.apply([probe], [engine_says(probe)])[0].is_spam
    complaint = model.apply([probe], [engine_says(probe, complaint=True)])[0]
    assert complaint.is_complaint
    assert not complaint.is_spam
