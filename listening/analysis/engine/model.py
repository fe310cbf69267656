"""The shipped linear models: one shared feature vocabulary, one weight column per output.

Inference is numpy only. The weight file is JSON (so that it travels as package data like the
project's other JSON files): ``features`` (the vocabulary), ``weights`` (one row of integers per
feature, ``scale`` per unit), and per task its ``columns``, ``classes`` and ``bias``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from listening.analysis.engine.features import extract

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
DEFAULT_WEIGHTS = WEIGHTS_DIR / "engine.json"
FORMAT = 1


@dataclass(frozen=True, slots=True)
class Task:
    classes: tuple[str, ...]
    columns: slice
    bias: np.ndarray


class LinearModels:
    def __init__(self, path: str | Path = DEFAULT_WEIGHTS) -> None:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        if data.get("format") != FORMAT:
            raise ValueError(f"{path}: weight format {data.get('format')!r}, expected {FORMAT}")
        # Row 0 is all zeros: every text gets it, so no text has an empty feature list.
        self.vocab: dict[str, int] = {f: i + 1 for i, f in enumerate(data["features"])}
        w = np.asarray(data["weights"], dtype=np.float32).reshape(len(data["features"]), -1)
        self.weights = np.vstack([np.zeros((1, w.shape[1]), np.float32), w * data["scale"]])
        self.tasks: dict[str, Task] = {}
        for name, spec in data["tasks"].items():
            start, stop = spec["columns"]
            self.tasks[name] = Task(
                classes=tuple(spec["classes"]),
                columns=slice(start, stop),
                bias=np.asarray(spec["bias"], dtype=np.float32),
            )
        self.meta: dict[str, object] = data.get("meta", {})

    def logits(self, docs: list[list[str]]) -> np.ndarray:
        """Raw scores for every column, one row per document (its normalised words)."""
        get = self.vocab.get
        flat: list[int] = []
        starts: list[int] = []
        norms: list[float] = []
        for words in docs:
            feats = set(extract(words))
            starts.append(len(flat))
            flat.append(0)
            flat.extend([i for i in map(get, feats) if i])
            norms.append(1.0 / len(feats) ** 0.5 if feats else 0.0)
        if not docs:
            return np.zeros((0, self.weights.shape[1]), np.float32)
        sums = np.add.reduceat(self.weights[flat], starts, axis=0)
        return sums * np.asarray(norms, np.float32)[:, None]

    def probabilities(self, task: str, logits: np.ndarray) -> np.ndarray:
        spec = self.tasks[task]
        z = logits[:, spec.columns] + spec.bias
        if len(spec.classes) == 2 and z.shape[1] == 1:
            p = 1.0 / (1.0 + np.exp(-z[:, 0]))
            return np.stack([1.0 - p, p], axis=1)
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)
