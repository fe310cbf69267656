"""Fitting the shipped weights. Needs scikit-learn and scipy; inference needs neither.

Only data whose licence lets a model ship may come in here: SmSA (Apache-2.0) for sentiment and
the YouTube spam collection (CC BY 4.0) for spam. See NOTICE.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from listening.analysis.engine.features import extract
from listening.analysis.engine.model import FORMAT
from listening.analysis.engine.text import tokenise

SCALE = 1e-4  # weights are stored as integers of this unit
SHIPPABLE = ("id_smsa_train.csv", "youtube_comments_dev.csv")


@dataclass
class TrainConfig:
    sentiment_csv: Path
    spam_csv: Path
    spam_exclude_groups: Sequence[str] = ()
    sentiment_c: float = 3.0
    spam_c: float = 10.0
    sentiment_features: int = 60_000
    spam_features: int = 20_000
    min_df: int = 2
    seed: int = 0
    log: list[str] = field(default_factory=list)


def read_rows(path: str | Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def documents(texts: Iterable[str]) -> list[list[str]]:
    return [tokenise(t)[1].words for t in texts]


def _matrix(docs: list[list[str]], vocab: dict[str, int]):  # type: ignore[no-untyped-def]
    from scipy import sparse

    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for words in docs:
        feats = set(extract(words))
        cols = sorted(vocab[f] for f in feats if f in vocab)
        value = 1.0 / len(feats) ** 0.5 if feats else 0.0
        indices.extend(cols)
        data.extend([value] * len(cols))
        indptr.append(len(indices))
    return sparse.csr_matrix(
        (np.asarray(data, np.float64), np.asarray(indices), np.asarray(indptr)),
        shape=(len(docs), len(vocab)),
    )


def _vocabulary(docs: list[list[str]], min_df: int) -> dict[str, int]:
    df: dict[str, int] = {}
    for words in docs:
        for f in set(extract(words)):
            df[f] = df.get(f, 0) + 1
    kept = sorted(f for f, n in df.items() if n >= min_df)
    return {f: i for i, f in enumerate(kept)}


def fit_logreg(x, y: list[str], c: float, seed: int = 0):  # type: ignore[no-untyped-def]
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(
        C=c, max_iter=2_000, class_weight="balanced", random_state=seed, solver="lbfgs"
    )
    model.fit(x, y)
    return model


def train(config: TrainConfig) -> dict[str, object]:
    """Fit both models and return the weight file's content."""
    sent_rows = read_rows(config.sentiment_csv)
    spam_rows = [
        r for r in read_rows(config.spam_csv) if r.get("group") not in config.spam_exclude_groups
    ]
    sent_docs = documents(r["text"] for r in sent_rows)
    spam_docs = documents(r["text"] for r in spam_rows)
    sent_y = [r["label"] for r in sent_rows]
    spam_y = [r["label"] for r in spam_rows]

    vocab_sent = _vocabulary(sent_docs, config.min_df)
    vocab_spam = _vocabulary(spam_docs, config.min_df)
    config.log.append(
        f"sentiment: {len(sent_docs)} texts, {len(vocab_sent)} features; "
        f"spam: {len(spam_docs)} texts, {len(vocab_spam)} features"
    )
    sent_model = fit_logreg(_matrix(sent_docs, vocab_sent), sent_y, config.sentiment_c)
    spam_model = fit_logreg(_matrix(spam_docs, vocab_spam), spam_y, config.spam_c)

    # Keep each task's strongest features; the rest contribute little and cost memory.
    sent_w = sent_model.coef_  # (3, n)
    spam_w = spam_model.coef_[0] * (1 if spam_model.classes_[1] == "spam" else -1)
    sent_names = sorted(vocab_sent, key=vocab_sent.__getitem__)
    spam_names = sorted(vocab_spam, key=vocab_spam.__getitem__)
    keep_sent = np.argsort(-np.abs(sent_w).max(axis=0))[: config.sentiment_features]
    keep_spam = np.argsort(-np.abs(spam_w))[: config.spam_features]
    rows: dict[str, list[float]] = {}
    n_sent = len(sent_model.classes_)
    for j in keep_sent:
        rows.setdefault(sent_names[j], [0.0] * (n_sent + 1))[:n_sent] = sent_w[:, j].tolist()
    for j in keep_spam:
        rows.setdefault(spam_names[j], [0.0] * (n_sent + 1))[n_sent] = float(spam_w[j])
    features = sorted(rows)
    weights = [round(v / SCALE) for f in features for v in rows[f]]
    spam_bias = float(spam_model.intercept_[0]) * (1 if spam_model.classes_[1] == "spam" else -1)
    return {
        "format": FORMAT,
        "scale": SCALE,
        "features": features,
        "weights": weights,
        "tasks": {
            "sentiment": {
                "classes": list(sent_model.classes_),
                "columns": [0, n_sent],
                "bias": [round(float(b), 6) for b in sent_model.intercept_],
            },
            "spam": {
                "classes": ["ham", "spam"],
                "columns": [n_sent, n_sent + 1],
                "bias": [round(spam_bias, 6)],
            },
        },
        "meta": {
            "sentiment_data": Path(config.sentiment_csv).name,
            "spam_data": Path(config.spam_csv).name,
            "spam_excluded_groups": list(config.spam_exclude_groups),
            "sentiment_c": config.sentiment_c,
            "spam_c": config.spam_c,
            "min_df": config.min_df,
            "licences": "SmSA: Apache-2.0 (IndoNLU); YouTube Spam Collection: CC BY 4.0",
        },
    }


def write(content: dict[str, object], path: str | Path) -> int:
    text = json.dumps(content, separators=(",", ":"), ensure_ascii=False)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


def cross_validate(
    texts: list[str], labels: list[str], c: float, folds: int = 5, seed: int = 0,
    groups: list[str] | None = None,
) -> tuple[float, float]:
    """Macro-F1 and accuracy of this feature set + logistic regression under k-fold CV
    (or leave-one-group-out with ``groups``). For reporting only: nothing here is shipped."""
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import LeaveOneGroupOut, StratifiedKFold

    docs = documents(texts)
    y = np.asarray(labels)
    if groups is not None:
        splits = LeaveOneGroupOut().split(docs, y, groups)
    else:
        splits = StratifiedKFold(folds, shuffle=True, random_state=seed).split(docs, y)
    pred = np.empty_like(y)
    for train_idx, test_idx in splits:
        train_docs = [docs[i] for i in train_idx]
        vocab = _vocabulary(train_docs, 2)
        model = fit_logreg(_matrix(train_docs, vocab), list(y[train_idx]), c, seed)
        pred[test_idx] = model.predict(_matrix([docs[i] for i in test_idx], vocab))
    return float(f1_score(y, pred, average="macro")), float(accuracy_score(y, pred))
