"""The shipped linear models: one shared feature vocabulary, one weight column per output.

Inference is numpy only. The weight file is JSON (so that it travels as package data like the
project's other JSON files): ``bits`` (hash size), ``buckets`` (the hash buckets that carry
weight), ``weights`` (one row of integers per bucket, ``scale`` per unit), and per task its
``columns``, ``classes`` and ``bias``, and optionally ``dense``: the names and weights of extra
columns computed from the text outside the hashing (see ``engine/spam.py``). Buckets not listed
weigh zero.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from listening.analysis.engine import features

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
DEFAULT_WEIGHTS = WEIGHTS_DIR / "engine.json"
FORMAT = 1


@dataclass(frozen=True, slots=True)
class Task:
    classes: tuple[str, ...]
    columns: slice
    bias: np.ndarray
    dense_names: tuple[str, ...]
    dense_weights: np.ndarray


class LinearModels:
    def __init__(self, path: str | Path = DEFAULT_WEIGHTS) -> None:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        if data.get("format") != FORMAT:
            raise ValueError(f"{path}: weight format {data.get('format')!r}, expected {FORMAT}")
        if data["bits"] != features.BITS:
            raise ValueError(f"{path}: {data['bits']}-bit hashing, code has {features.BITS}")
        rows = np.asarray(data["weights"], dtype=np.float32).reshape(len(data["buckets"]), -1)
        self.weights = np.zeros((2 ** data["bits"], rows.shape[1]), np.float32)
        self.weights[np.asarray(data["buckets"], np.int64)] = rows * data["scale"]
        self.tasks: dict[str, Task] = {}
        for name, spec in data["tasks"].items():
            start, stop = spec["columns"]
            self.tasks[name] = Task(
                classes=tuple(spec["classes"]),
                columns=slice(start, stop),
                bias=np.asarray(spec["bias"], dtype=np.float32),
                dense_names=tuple(spec.get("dense", {}).get("names", ())),
                dense_weights=np.asarray(spec.get("dense", {}).get("weights", ()), np.float64),
            )
        self.meta: dict[str, object] = data.get("meta", {})

    def logits(self, docs: list[list[str]]) -> np.ndarray:
        """Raw scores for every column, one row per document (its normalised words)."""
        doc_idx, buckets, counts = features.hashed(docs)
        n_docs, n_cols = len(docs), self.weights.shape[1]
        out = np.zeros((n_docs, n_cols), np.float64)
        if len(buckets):
            # ``take`` along an axis is several times faster than fancy indexing of rows.
            gathered = self.weights.take(buckets, axis=0)
            # ``hashed`` emits its features in runs, each run ordered by document, so one
            # reduceat over the run boundaries sums contiguous rows (far cheaper than a
            # bincount per column); the few partial sums then go to their documents.
            starts = np.concatenate(([0], np.flatnonzero(doc_idx[1:] != doc_idx[:-1]) + 1))
            sums = np.add.reduceat(gathered, starts, axis=0)
            owner = doc_idx[starts]
            for c in range(n_cols):
                out[:, c] = np.bincount(owner, weights=sums[:, c], minlength=n_docs)
        return out / np.sqrt(np.maximum(counts, 1))[:, None]

    def probabilities(self, task: str, logits: np.ndarray) -> np.ndarray:
        spec = self.tasks[task]
        z = logits[:, spec.columns] + spec.bias
        if len(spec.classes) == 2 and z.shape[1] == 1:
            p = 1.0 / (1.0 + np.exp(-z[:, 0]))
            return np.stack([1.0 - p, p], axis=1)
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)
