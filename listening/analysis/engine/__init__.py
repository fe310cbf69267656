"""The analysis engine: language, normalisation, sentiment, complaints, intent and spam.

Inference is pure Python + numpy over a small JSON weight file (``weights/engine.json``) made by
``python manage.py train_classifier``; training alone needs scikit-learn.
"""

from __future__ import annotations

from listening.analysis.engine.classifier import EngineClassifier

__all__ = ["EngineClassifier"]
