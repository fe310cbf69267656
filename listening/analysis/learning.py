"""A tenant's own model, learnt from its team's corrections, on top of the shipped engine.

Pure numpy (no ORM, no scikit-learn): the product trains it in a worker and applies it at
ingestion and on reclassification; ``evaluate_classifier --learn-from`` runs the same code.

For each corrected task (complaint, spam, sentiment) it is a logistic regression, trained with
L2 and class-balanced sample weights, over two kinds of columns:

- the text: hashed word uni- and bigrams and byte 3-5-grams (the engine's own hashing,
  ``engine/features.py``), as sub-linear TF-IDF rows of unit length;
- the engine's verdict on the same text: its decision and confidence (and for sentiment its
  score), so that a tenant's model starts from what the engine says.

The L2 penalty pulls the engine columns towards weights that reproduce the engine's decision
exactly and the text columns towards zero. With a handful of corrections the model is therefore
the engine; the more corrections there are, the more their vocabulary can outweigh it. The text
penalty is chosen by cross-validation inside the corrections, and the same folds give the
estimate shown to the team: macro-F1 and accuracy of the model and of the engine on corrections
each fold held back. A task whose model does not beat the engine on those rows is left to the
engine.

A trained model is data: ``to_bytes``/``from_bytes`` write and read an ``npz`` archive of
arrays and one JSON header (``allow_pickle`` stays off), never a pickle.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from listening.analysis.base import Analysis
from listening.analysis.engine import features
from listening.analysis.engine.classifier import complaint_strength, lexicon_sentiment
from listening.analysis.engine.lexicons import NEGATORS
from listening.analysis.engine.text import Tokens, tokenise
from listening.analysis.rules import with_label

FORMAT = 1

# The labels of each task, in the evaluation vocabulary of ``models/corrections.py``.
TASK_LABELS: dict[str, tuple[str, ...]] = {
    "complaint": ("complaint", "not_complaint"),
    "spam": ("spam", "ham"),
    "sentiment": ("positive", "neutral", "negative"),
}
# Fewer corrections than this in a task (or fewer than MIN_PER_LABEL of any two labels) and the
# task is left to the engine: there is nothing to estimate an accuracy on.
MIN_EXAMPLES = 20
MIN_PER_LABEL = 5
# The newest corrections a task is trained on: bounds the time and memory of a training run.
MAX_EXAMPLES = 5_000
FOLDS = 5
# Past this many examples, 3 folds: the estimate is steady enough, and training stays bounded.
FEWER_FOLDS_FROM = 2_000
# Text penalties tried by cross-validation (per unit of class-balanced sample weight).
TEXT_PENALTIES = (0.1, 0.3, 1.0)
# Penalty pulling the engine columns towards the engine's own decision; fixed, so that it weighs
# less against the data as corrections accumulate.
ENGINE_PENALTY = 1.0
SIGNAL_PENALTY = 1.0
ENGINE_LOGIT_CAP = 6.0
MAX_ITERATIONS = 150
# A bucket in fewer training texts than this gets no weight of its own (it still counts in the
# length of its text's row).
MIN_DF = 2


# --- features ------------------------------------------------------------------------------


def _signals(tk: Tokens) -> list[float]:
    """How the engine reads a text, beyond its verdict: the strength of its complaint cues and
    the strongest one, its word lists' sentiment, questions, exclamations, capitals, links,
    addressees, negation and length, each scaled to about 0..1. A team's corrections re-weigh
    them with few examples where the text's own words need many."""
    strength, evidence = complaint_strength(tk)
    lex, lex_hits = lexicon_sentiment(tk.words)
    return [
        min(strength, 4.0) / 4.0,
        evidence[0][0] if evidence else 0.0,
        min(len(evidence), 4) / 4.0,
        lex,
        min(lex_hits, 3) / 3.0,
        float(tk.n_question > 0),
        float(tk.n_question > 1),
        float(tk.n_exclaim > 0),
        float(tk.n_upper_words > 0),
        float(tk.n_links > 0),
        min(tk.n_mentions, 3) / 3.0,
        float(bool(NEGATORS.intersection(tk.words))),
        min(len(tk.words), 40) / 40.0,
    ]


N_SIGNALS = 13


@dataclass(frozen=True, slots=True)
class Featurised:
    counts: SparseRows  # hashed n-gram counts
    signals: np.ndarray  # texts x N_SIGNALS

    def take(self, rows: np.ndarray) -> Featurised:
        return Featurised(self.counts.take(rows), self.signals[rows])


def featurise(texts: Sequence[str]) -> Featurised:
    """Per text, its hashed n-grams (sub-linear counts) and the engine's signals."""
    docs = []
    signals = []
    for text in texts:
        _, tk = tokenise(text)
        # The words as written (lower-cased, stretches collapsed): a team's own vocabulary,
        # spelling included, is what the engine's normalisation would blur. "?" and "!" are
        # not words to the engine, but repeated questions and exclamations are part of how a
        # complaint reads.
        words = list(tk.raw)
        words += ["qmark"] * min(tk.n_question, 2) + ["xmark"] * min(tk.n_exclaim, 2)
        docs.append(words)
        signals.append(_signals(tk))
    return Featurised(_hashed_counts(docs), np.array(signals, float).reshape(-1, N_SIGNALS))


@dataclass(frozen=True, slots=True)
class SparseRows:
    """A CSR matrix over hashed buckets: row ``i`` has ``buckets[indptr[i]:indptr[i+1]]``."""

    indptr: np.ndarray
    buckets: np.ndarray
    values: np.ndarray

    @property
    def n_rows(self) -> int:
        return len(self.indptr) - 1

    def take(self, rows: np.ndarray) -> SparseRows:
        starts, stops = self.indptr[rows], self.indptr[rows + 1]
        lengths = stops - starts
        indptr = np.concatenate(([0], np.cumsum(lengths)))
        pick = np.repeat(starts - indptr[:-1], lengths) + np.arange(indptr[-1])
        return SparseRows(indptr, self.buckets[pick], self.values[pick])


def _hashed_counts(docs: list[list[str]]) -> SparseRows:
    """Per document, its hashed n-gram buckets with their sub-linear counts (1 + log count)."""
    n = len(docs)
    doc_idx, buckets, _ = features.hashed(docs)
    if not len(buckets):
        return SparseRows(np.zeros(n + 1, np.int64), np.zeros(0, np.int64), np.zeros(0))
    key = doc_idx.astype(np.int64) << np.int64(features.BITS) | buckets
    key, counts = np.unique(key, return_counts=True)
    rows = key >> np.int64(features.BITS)
    cols = key & np.int64(2**features.BITS - 1)
    indptr = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=n))))
    return SparseRows(indptr, cols, 1.0 + np.log(counts))


def _weighted(rows: SparseRows, vocabulary: np.ndarray, idf: np.ndarray,
              default_idf: float) -> SparseRows:
    """``rows`` as TF-IDF rows of unit length, over the columns of ``vocabulary`` (a sorted
    array of buckets): a bucket outside it weighs ``default_idf`` in a row's length and is then
    left out, so a row has the same length whatever the vocabulary."""
    n = rows.n_rows
    if len(vocabulary):
        pos = np.minimum(np.searchsorted(vocabulary, rows.buckets), len(vocabulary) - 1)
        known = vocabulary[pos] == rows.buckets
        values = rows.values * np.where(known, idf[pos], default_idf)
    else:
        pos = np.zeros(len(rows.buckets), np.int64)
        known = np.zeros(len(rows.buckets), bool)
        values = rows.values * default_idf
    lengths = np.diff(rows.indptr)
    row_of = np.repeat(np.arange(n), lengths)
    norm = np.sqrt(np.maximum(np.bincount(row_of, weights=values**2, minlength=n), 1e-12))
    values = values / norm[row_of]
    kept = np.concatenate(([0], np.cumsum(np.bincount(row_of[known], minlength=n))))
    return SparseRows(kept, pos[known], values[known])


def _idf(rows: SparseRows) -> tuple[np.ndarray, np.ndarray, float]:
    """The buckets seen in at least MIN_DF rows, their IDF, and the IDF of any other bucket."""
    buckets, df = np.unique(rows.buckets, return_counts=True)
    keep = df >= MIN_DF
    idf = np.log((1.0 + rows.n_rows) / (1.0 + df)) + 1.0
    default = float(np.log((1.0 + rows.n_rows) / 2.0) + 1.0)
    return buckets[keep], idf[keep], default


def _engine_logit(a: Analysis) -> float:
    """The engine's complaint decision as a signed logit: its sign is the decision."""
    c = min(max(a.complaint_confidence, 1e-4), 1 - 1e-4)
    z = max(abs(math.log(c / (1 - c))), 0.1)
    return min(z, ENGINE_LOGIT_CAP) * (1 if a.is_complaint else -1)


def engine_columns(task: str, analyses: Sequence[Analysis],
                   signals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The engine's verdict and signals as dense columns, and the weights (columns x labels)
    with which they reproduce the engine's own decision: its verdict alone."""
    labels = TASK_LABELS[task]
    if task == "complaint":
        x = np.array([[_engine_logit(a)] for a in analyses]).reshape(-1, 1)
        prior = np.array([[0.5, -0.5]])
    elif task == "spam":
        x = np.array([[1.0 if a.is_spam else -1.0] for a in analyses]).reshape(-1, 1)
        prior = np.array([[1.5, -1.5]])
    else:
        x = np.array([[float(a.sentiment == lab) for lab in labels] + [a.sentiment_score]
                      for a in analyses]).reshape(-1, len(labels) + 1)
        prior = np.vstack([3.0 * np.eye(len(labels)), np.zeros((1, len(labels)))])
    x = np.hstack([x, signals])
    prior = np.vstack([prior, np.zeros((signals.shape[1], len(labels)))])
    return x, prior


# --- training ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Design:
    text: SparseRows  # TF-IDF rows over the columns 0..n_cols-1
    n_cols: int
    dense: np.ndarray
    row_of: np.ndarray  # the row of each stored entry of ``text``

    @classmethod
    def of(cls, text: SparseRows, n_cols: int, dense: np.ndarray) -> _Design:
        return cls(text, n_cols, dense, np.repeat(np.arange(text.n_rows), np.diff(text.indptr)))

    def times(self, w_text: np.ndarray, w_dense: np.ndarray, bias: np.ndarray) -> np.ndarray:
        """The linear scores: text @ w_text + dense @ w_dense + bias, one column per label."""
        rows = self.text
        out = self.dense @ w_dense + bias
        if len(rows.buckets):
            contrib = rows.values[:, None] * w_text[rows.buckets]
            for k in range(out.shape[1]):
                out[:, k] += np.bincount(self.row_of, weights=contrib[:, k],
                                         minlength=rows.n_rows)
        return out

    def gradient(self, g: np.ndarray) -> np.ndarray:
        """text.T @ g: the text columns' share of a gradient given per row and label."""
        rows = self.text
        out = np.zeros((self.n_cols, g.shape[1]))
        if len(rows.buckets):
            contrib = rows.values[:, None] * g[self.row_of]
            for k in range(g.shape[1]):
                out[:, k] = np.bincount(rows.buckets, weights=contrib[:, k],
                                        minlength=self.n_cols)
        return out


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _train(d: _Design, y: np.ndarray, k: int, sample_w: np.ndarray, prior: np.ndarray,
           text_penalty: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Logistic regression by L-BFGS: weighted log-loss, L2 on the text columns towards zero
    and on the engine columns and the bias towards ``prior`` (and zero bias). Two labels take
    one column of scores (the first label's log-odds), more take one per label (softmax)."""
    cols = 1 if k == 2 else k
    if k == 2:
        prior = prior[:, :1] - prior[:, 1:]
    n_text, n_dense = d.n_cols, d.dense.shape[1]
    sizes = (n_text * cols, n_dense * cols, cols)
    # The engine's verdict is held near its own weights, its signals near zero (more loosely).
    dense_penalty = np.full((n_dense, 1), SIGNAL_PENALTY)
    dense_penalty[: n_dense - N_SIGNALS] = ENGINE_PENALTY
    target = (y == 0).astype(float)[:, None] if k == 2 else np.eye(k)[y]

    def unpack(theta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        a, b = sizes[0], sizes[0] + sizes[1]
        return (theta[:a].reshape(n_text, cols), theta[a:b].reshape(n_dense, cols), theta[b:])

    def loss_grad(theta: np.ndarray) -> tuple[float, np.ndarray]:
        wt, wd, bias = unpack(theta)
        z = d.times(wt, wd, bias)
        if k == 2:
            # log(1 + e^z) - t z, stably; its gradient is sigmoid(z) - t.
            loss_rows = np.logaddexp(0.0, z[:, 0]) - target[:, 0] * z[:, 0]
            p = 0.5 * (1.0 + np.tanh(0.5 * z))
        else:
            z -= z.max(axis=1, keepdims=True)
            logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
            loss_rows = -(target * logp).sum(axis=1)
            p = np.exp(logp)
        loss = float(sample_w @ loss_rows)
        g = (p - target) * sample_w[:, None]
        dd = wd - prior
        loss += 0.5 * text_penalty * float((wt**2).sum())
        loss += 0.5 * float((dense_penalty * dd**2).sum()) + 0.5 * ENGINE_PENALTY * float(
            (bias**2).sum())
        return loss, np.concatenate([
            (d.gradient(g) + text_penalty * wt).ravel(),
            (d.dense.T @ g + dense_penalty * dd).ravel(),
            g.sum(axis=0) + ENGINE_PENALTY * bias,
        ])

    theta0 = np.concatenate([np.zeros(sizes[0]), prior.ravel(), np.zeros(cols)])
    return unpack(_lbfgs(loss_grad, theta0))


def _lbfgs(fun: Callable[[np.ndarray], tuple[float, np.ndarray]], x: np.ndarray,
           memory: int = 10) -> np.ndarray:
    """Minimise a smooth convex function given as ``f(x) -> (value, gradient)``."""
    value, grad = fun(x)
    s_list: list[np.ndarray] = []
    y_list: list[np.ndarray] = []
    for _ in range(MAX_ITERATIONS):
        q = grad.copy()
        alphas = []
        for s, yv in zip(reversed(s_list), reversed(y_list), strict=True):
            a = float(s @ q) / float(yv @ s)
            alphas.append(a)
            q -= a * yv
        if y_list:
            q *= float(s_list[-1] @ y_list[-1]) / float(y_list[-1] @ y_list[-1])
        for (s, yv), a in zip(zip(s_list, y_list, strict=True), reversed(alphas), strict=True):
            b = float(yv @ q) / float(yv @ s)
            q += (a - b) * s
        direction = -q
        slope = float(grad @ direction)
        if slope >= 0:
            direction, slope = -grad, -float(grad @ grad)
        step = 1.0 if y_list else 1.0 / max(1.0, float(np.abs(grad).max()))
        for _ in range(30):
            new_x = x + step * direction
            new_value, new_grad = fun(new_x)
            if new_value <= value + 1e-4 * step * slope:
                break
            step *= 0.5
        else:
            break
        s, yv = new_x - x, new_grad - grad
        if float(s @ yv) > 1e-10:
            s_list.append(s)
            y_list.append(yv)
            if len(s_list) > memory:
                s_list.pop(0)
                y_list.pop(0)
        x, grad = new_x, new_grad
        done = abs(value - new_value) <= 1e-6 * max(1.0, abs(value))
        value = new_value
        if done or float(np.abs(grad).max()) < 1e-5:
            break
    return x


# --- a task's model ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TaskModel:
    task: str
    labels: tuple[str, ...]
    buckets: np.ndarray  # sorted hashed buckets the model weighs
    idf: np.ndarray  # per bucket
    default_idf: float  # of any other bucket
    text_weights: np.ndarray  # buckets x score columns
    engine_weights: np.ndarray  # engine columns x score columns
    bias: np.ndarray  # score columns

    def probabilities(self, feats: Featurised, analyses: Sequence[Analysis]) -> np.ndarray:
        """One row per text, one column per label."""
        design = _Design.of(_weighted(feats.counts, self.buckets, self.idf, self.default_idf),
                            len(self.buckets),
                            engine_columns(self.task, analyses, feats.signals)[0])
        z = design.times(self.text_weights, self.engine_weights, self.bias)
        if z.shape[1] == 1:
            p = 0.5 * (1.0 + np.tanh(0.5 * z[:, 0]))
            return np.stack([p, 1.0 - p], axis=1)
        return _softmax(z)


@dataclass(frozen=True, slots=True)
class Estimate:
    """How a task's model and the engine did on the corrections cross-validation held back."""

    examples: int
    model_macro_f1: float
    model_accuracy: float
    engine_macro_f1: float
    engine_accuracy: float
    text_penalty: float


def macro_f1(gold: np.ndarray, pred: np.ndarray, k: int) -> float:
    f1s = []
    for c in range(k):
        if not (gold == c).any():
            continue
        tp = float(((gold == c) & (pred == c)).sum())
        p = tp / max(float((pred == c).sum()), 1.0)
        r = tp / float((gold == c).sum())
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    return float(np.mean(f1s)) if f1s else 0.0


def _folds(y: np.ndarray, n_folds: int, seed: int) -> np.ndarray:
    """A stratified fold number per row, seeded."""
    rng = np.random.default_rng(seed)
    fold = np.zeros(len(y), np.int64)
    for c in np.unique(y):
        idx = np.flatnonzero(y == c)
        rng.shuffle(idx)
        fold[idx] = np.arange(len(idx)) % n_folds
    return fold


def _balanced(y: np.ndarray, k: int) -> np.ndarray:
    counts = np.bincount(y, minlength=k).astype(float)
    present = counts > 0
    w = np.zeros(k)
    w[present] = len(y) / (present.sum() * counts[present])
    return w[y]


def _fit_task(task: str, feats: Featurised, analyses: Sequence[Analysis], y: np.ndarray,
              text_penalty: float) -> TaskModel:
    labels = TASK_LABELS[task]
    k = len(labels)
    vocabulary, idf, default_idf = _idf(feats.counts)
    dense, prior = engine_columns(task, analyses, feats.signals)
    design = _Design.of(_weighted(feats.counts, vocabulary, idf, default_idf), len(vocabulary),
                        dense)
    wt, wd, bias = _train(design, y, k, _balanced(y, k), prior, text_penalty)
    return TaskModel(task=task, labels=labels, buckets=vocabulary, idf=idf,
                     default_idf=default_idf, text_weights=wt, engine_weights=wd, bias=bias)


def _engine_pred(task: str, analyses: Sequence[Analysis]) -> np.ndarray:
    labels = TASK_LABELS[task]
    return np.array([labels.index(_label_of(task, a)) for a in analyses], np.int64)


def _label_of(task: str, a: Analysis) -> str:
    if task == "complaint":
        return "complaint" if a.is_complaint else "not_complaint"
    if task == "spam":
        return "spam" if a.is_spam else "ham"
    return a.sentiment


def learn_task(task: str, texts: Sequence[str], analyses: Sequence[Analysis],
               labels: Sequence[str], *, seed: int = 0) -> tuple[TaskModel | None, Estimate | None]:
    """Cross-validate, then train on every example. ``analyses`` are the engine's (before any
    correction) of ``texts``; ``labels`` the team's. The model is None when there are too few
    examples or when it did not beat the engine on the held-back rows; the estimate is None only
    when there are too few examples to estimate anything."""
    names = TASK_LABELS[task]
    k = len(names)
    texts, analyses, labels = (list(texts[-MAX_EXAMPLES:]), list(analyses[-MAX_EXAMPLES:]),
                               list(labels[-MAX_EXAMPLES:]))
    y = np.array([names.index(lab) for lab in labels], np.int64)
    per_label = np.bincount(y, minlength=k)
    if len(y) < MIN_EXAMPLES or (per_label >= MIN_PER_LABEL).sum() < 2:
        return None, None
    feats = featurise(texts)
    n_folds = int(min(FOLDS if len(y) < FEWER_FOLDS_FROM else 3, per_label[per_label > 0].min()))
    fold = _folds(y, max(n_folds, 2), seed)
    engine = _engine_pred(task, analyses)
    best: tuple[float, float, np.ndarray] | None = None
    for penalty in TEXT_PENALTIES:
        pred = np.zeros(len(y), np.int64)
        for f in range(fold.max() + 1):
            train, held = np.flatnonzero(fold != f), np.flatnonzero(fold == f)
            model = _fit_task(task, feats.take(train), [analyses[i] for i in train], y[train],
                              penalty)
            pred[held] = model.probabilities(feats.take(held),
                                             [analyses[i] for i in held]).argmax(1)
        score = macro_f1(y, pred, k)
        if best is None or score > best[0] + 1e-9:
            best = (score, penalty, pred)
    assert best is not None
    score, penalty, pred = best
    estimate = Estimate(
        examples=len(y), model_macro_f1=round(score, 4),
        model_accuracy=round(float((pred == y).mean()), 4),
        engine_macro_f1=round(macro_f1(y, engine, k), 4),
        engine_accuracy=round(float((engine == y).mean()), 4), text_penalty=penalty,
    )
    # Put to use only when it beats the engine on the held-back rows by more than chance: of
    # the rows where the two disagree, the model must be right on more, by at least one
    # standard deviation of that count (a sign test), and its macro-F1 must be higher too.
    wins = int(((pred == y) & (engine != y)).sum())
    losses = int(((pred != y) & (engine == y)).sum())
    if wins - losses < math.sqrt(wins + losses) or estimate.model_macro_f1 <= estimate.engine_macro_f1:
        return None, estimate
    return _fit_task(task, feats, analyses, y, penalty), estimate


# --- the tenant's model --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TenantModel:
    """A tenant's task models; a task without one is left to the engine."""

    tasks: dict[str, TaskModel] = field(default_factory=dict)

    def apply(self, texts: Sequence[str], analyses: Sequence[Analysis]) -> list[Analysis]:
        """The engine's ``analyses`` of ``texts`` with this tenant's decisions."""
        out = list(analyses)
        if not self.tasks or not texts:
            return out
        feats = featurise(texts)
        for task in ("sentiment", "spam", "complaint"):  # complaint last: it sets the intent
            model = self.tasks.get(task)
            if model is None:
                continue
            p = model.probabilities(feats, analyses)
            for i, row in enumerate(p):
                label = model.labels[int(row.argmax())]
                before = out[i]
                out[i] = with_label(before, field=task, label=label, text=texts[i])
                if task == "complaint":
                    out[i] = _complaint_detail(before, out[i], float(row[0]))
                elif task == "sentiment":
                    score = float(row[model.labels.index("positive")]
                                  - row[model.labels.index("negative")])
                    out[i] = replace(out[i], sentiment_score=round(score, 3))
        # A complaint is never hidden as spam (the engine's own rule), whichever task moved.
        return [replace(a, is_spam=False) if a.is_complaint and a.is_spam else a for a in out]

    def to_bytes(self) -> bytes:
        arrays: dict[str, np.ndarray] = {}
        header: dict[str, object] = {"format": FORMAT, "bits": features.BITS, "tasks": {}}
        for name, m in self.tasks.items():
            header["tasks"][name] = {"labels": list(m.labels)}  # type: ignore[index]
            arrays[f"{name}.buckets"] = m.buckets.astype(np.int64)
            arrays[f"{name}.idf"] = m.idf.astype(np.float32)
            arrays[f"{name}.default_idf"] = np.array([m.default_idf])
            arrays[f"{name}.text_weights"] = m.text_weights.astype(np.float32)
            arrays[f"{name}.engine_weights"] = m.engine_weights.astype(np.float64)
            arrays[f"{name}.bias"] = m.bias.astype(np.float64)
        arrays["header"] = np.frombuffer(json.dumps(header).encode(), np.uint8)
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> TenantModel:
        """Raises ValueError for anything but a model this code wrote."""
        try:
            return cls._read(data)
        except (OSError, KeyError, EOFError, ValueError, zipfile.BadZipFile) as exc:
            raise ValueError(f"not a tenant model: {exc}") from exc

    @classmethod
    def _read(cls, data: bytes) -> TenantModel:
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            header = json.loads(archive["header"].tobytes())
            if header.get("format") != FORMAT or header.get("bits") != features.BITS:
                raise ValueError("a tenant model in another format: retrain it")
            tasks = {}
            for name, spec in header["tasks"].items():
                if name not in TASK_LABELS or tuple(spec["labels"]) != TASK_LABELS[name]:
                    raise ValueError(f"a tenant model with unknown task {name!r}")
                tasks[name] = TaskModel(
                    task=name, labels=TASK_LABELS[name],
                    buckets=archive[f"{name}.buckets"], idf=archive[f"{name}.idf"].astype(float),
                    default_idf=float(archive[f"{name}.default_idf"][0]),
                    text_weights=archive[f"{name}.text_weights"].astype(float),
                    engine_weights=archive[f"{name}.engine_weights"],
                    bias=archive[f"{name}.bias"],
                )
        return cls(tasks=tasks)


def _complaint_detail(before: Analysis, after: Analysis, p_complaint: float) -> Analysis:
    """Confidence from the tenant's model; the engine's evidence words only where both agree."""
    confidence = p_complaint if after.is_complaint else 1.0 - p_complaint
    evidence = before.evidence if after.is_complaint and before.is_complaint else ()
    if after.is_complaint and after.is_spam:
        after = replace(after, is_spam=False)  # a complaint is never hidden as spam
    return replace(after, complaint_confidence=round(confidence, 3), evidence=evidence)


def learn(examples: Mapping[str, tuple[Sequence[str], Sequence[Analysis], Sequence[str]]], *,
          seed: int = 0) -> tuple[TenantModel, dict[str, Estimate]]:
    """A tenant model from task -> (texts, the engine's analyses, the team's labels)."""
    tasks: dict[str, TaskModel] = {}
    estimates: dict[str, Estimate] = {}
    for task, (texts, analyses, labels) in examples.items():
        model, estimate = learn_task(task, texts, analyses, labels, seed=seed)
        if model is not None:
            tasks[task] = model
        if estimate is not None:
            estimates[task] = estimate
    return TenantModel(tasks=tasks), estimates
