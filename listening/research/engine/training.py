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
from typing import Any

import numpy as np

from listening.analysis.engine import features, spam
from listening.analysis.engine.model import FORMAT
from listening.analysis.engine.text import tokenise

SCALE = 1e-4  # weights are stored as integers of this unit


@dataclass
class TrainConfig:
    sentiment_csv: Path
    spam_csv: Path
    spam_exclude_groups: Sequence[str] = ()
    sentiment_c: float = 10.0  # NB-LR; chosen by 3-fold CV on the SmSA training split
    # Spam: C and the scale of the extra signals (a smaller scale regularises their weights more),
    # chosen by leave-one-video-out on the YouTube collection; see FIGURES.md (accuracy).
    spam_c: float = 10.0
    spam_dense_scale: float = 0.5
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


def spam_signals(texts: Iterable[str]) -> tuple[list[list[str]], np.ndarray]:
    """The spam model's inputs: each text's words, and its row of ``spam.DENSE`` signals."""
    from listening.analysis.engine.classifier import complaint_strength

    parsed = [tokenise(t)[1] for t in texts]
    signals = [spam.dense(tk, complaint_strength(tk)[0]) for tk in parsed]
    return [tk.words for tk in parsed], np.asarray(signals, dtype=float).reshape(-1, len(spam.DENSE))


def matrix(docs: list[list[str]], keep: np.ndarray | None = None):
    """The feature matrix the runtime sees (see ``LinearModels.logits``), optionally with only
    the columns in ``keep``."""
    from scipy import sparse

    doc_idx, buckets, counts = features.hashed(docs)
    values = 1.0 / np.sqrt(np.maximum(counts, 1))[doc_idx]
    x = sparse.csr_matrix((values, (doc_idx, buckets)), shape=(len(docs), 2**features.BITS))
    if keep is not None:
        x = x[:, keep]
    return x


def frequent_buckets(docs: list[list[str]], min_df: int) -> np.ndarray:
    """Buckets that occur in at least ``min_df`` documents."""
    doc_idx, buckets, _ = features.hashed(docs)
    pairs = np.unique(doc_idx.astype(np.int64) * 2**features.BITS + buckets)
    df = np.bincount(pairs % 2**features.BITS, minlength=2**features.BITS)
    return np.flatnonzero(df >= min_df)


def fit_logreg(x, y: list[str], c: float, seed: int = 0):
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(
        C=c, max_iter=2_000, class_weight="balanced", random_state=seed, solver="lbfgs"
    )
    model.fit(x, y)
    return model


@dataclass
class OneVsRest:
    """What the weight file needs of a multi-class linear model."""

    classes_: np.ndarray
    coef_: np.ndarray
    intercept_: np.ndarray


def fit_nblr(x, y: list[str], c: float, alpha: float = 1.0, seed: int = 0) -> OneVsRest:
    """One-vs-rest logistic regression over naive-Bayes-scaled features (NBSVM, Wang and
    Manning 2012). The scaling folds into the weights, so inference stays one linear layer."""
    from sklearn.linear_model import LogisticRegression

    labels = np.asarray(y)
    classes = np.unique(labels)
    present = x.copy()
    present.data[:] = 1.0
    coefs, biases = [], []
    for cls in classes:
        pos = labels == cls
        p = np.asarray(present[pos].sum(axis=0)).ravel() + alpha
        q = np.asarray(present[~pos].sum(axis=0)).ravel() + alpha
        r = np.log((p / p.sum()) / (q / q.sum()))
        model = LogisticRegression(C=c, max_iter=2_000, class_weight="balanced",
                                   random_state=seed)
        model.fit(x.multiply(r).tocsr(), pos)
        coefs.append(model.coef_[0] * r)
        biases.append(model.intercept_[0])
    return OneVsRest(classes, np.vstack(coefs), np.asarray(biases))


def train(config: TrainConfig) -> dict[str, Any]:
    """Fit both models and return the weight file's content."""
    sent_rows = read_rows(config.sentiment_csv)
    spam_rows = [
        r for r in read_rows(config.spam_csv) if r.get("group") not in config.spam_exclude_groups
    ]
    sent_docs = documents(r["text"] for r in sent_rows)
    spam_docs, spam_dense = spam_signals(r["text"] for r in spam_rows)
    sent_y = [r["label"] for r in sent_rows]
    spam_y = [r["label"] for r in spam_rows]

    keep_sent = frequent_buckets(sent_docs, config.min_df)
    keep_spam = frequent_buckets(spam_docs, config.min_df)
    config.log.append(
        f"sentiment: {len(sent_docs)} texts, {len(keep_sent)} buckets; "
        f"spam: {len(spam_docs)} texts, {len(keep_spam)} buckets"
    )
    sent_model = fit_nblr(matrix(sent_docs, keep_sent), sent_y, config.sentiment_c)
    from scipy import sparse

    scale = config.spam_dense_scale
    spam_x = sparse.hstack([matrix(spam_docs, keep_spam), sparse.csr_matrix(spam_dense * scale)]).tocsr()
    spam_model = fit_logreg(spam_x, spam_y, config.spam_c)
    n_dense = len(spam.DENSE)
    spam_coef, dense_coef = spam_model.coef_[0][:-n_dense], spam_model.coef_[0][-n_dense:]

    sign = 1.0 if spam_model.classes_[1] == "spam" else -1.0
    n_sent = len(sent_model.classes_)
    table = np.zeros((2**features.BITS, n_sent + 1))
    table[keep_sent, :n_sent] = sent_model.coef_.T
    table[keep_spam, n_sent] = sign * spam_coef
    # Keep each task's strongest buckets; the rest contribute little and cost file size.
    strongest_sent = np.argsort(-np.abs(table[:, :n_sent]).max(axis=1))[: config.sentiment_features]
    strongest_spam = np.argsort(-np.abs(table[:, n_sent]))[: config.spam_features]
    kept = np.union1d(strongest_sent, strongest_spam)
    kept = kept[np.abs(table[kept]).max(axis=1) > 0]
    weights = np.rint(table[kept] / SCALE).astype(np.int64)
    return {
        "format": FORMAT,
        "bits": features.BITS,
        "scale": SCALE,
        "buckets": kept.tolist(),
        "weights": weights.ravel().tolist(),
        "tasks": {
            "sentiment": {
                "classes": list(sent_model.classes_),
                "columns": [0, n_sent],
                "bias": [round(float(b), 6) for b in sent_model.intercept_],
            },
            "spam": {
                "classes": ["ham", "spam"],
                "columns": [n_sent, n_sent + 1],
                "bias": [round(sign * float(spam_model.intercept_[0]), 6)],
                "dense": {
                    "names": list(spam.DENSE),
                    "weights": [round(sign * scale * float(w), 6) for w in dense_coef],
                },
            },
        },
        "meta": {
            "sentiment_data": Path(config.sentiment_csv).name,
            "spam_data": Path(config.spam_csv).name,
            "spam_excluded_groups": list(config.spam_exclude_groups),
            "sentiment_model": "nb-logreg one-vs-rest",
            "sentiment_c": config.sentiment_c,
            "spam_c": config.spam_c,
            "spam_dense_scale": config.spam_dense_scale,
            "min_df": config.min_df,
            "licences": "SmSA: Apache-2.0 (IndoNLU); YouTube Spam Collection: CC BY 4.0",
        },
    }


def write(content: dict[str, Any], path: str | Path) -> int:
    text = json.dumps(content, separators=(",", ":"), ensure_ascii=False)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))
