"""Classification figures without scikit-learn: macro-F1, accuracy, per label, confusion."""

from __future__ import annotations

from collections.abc import Sequence


def report(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, object]:
    confusion = {g: {p: 0 for p in labels} for g in labels}
    for g, p in zip(gold, pred, strict=True):
        confusion[g][p] += 1
    per_label: dict[str, dict[str, float]] = {}
    for lab in labels:
        tp = confusion[lab][lab]
        predicted = sum(confusion[g][lab] for g in labels)
        actual = sum(confusion[lab].values())
        precision = tp / predicted if predicted else 0.0
        recall = tp / actual if actual else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[lab] = {
            "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "support": actual,
        }
    n = len(gold)
    correct = sum(confusion[lab][lab] for lab in labels)
    return {
        "macro_f1": round(sum(v["f1"] for v in per_label.values()) / len(labels), 4),
        "accuracy": round(correct / n, 4) if n else 0.0,
        "per_label": per_label,
        "confusion": confusion,
        "n": n,
    }
