"""The classifier interface: what Dengar understands of one mention's text."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from typing import Protocol

from django.conf import settings


@dataclass(frozen=True, slots=True)
class Analysis:
    lang: str  # en, id, ms or other
    sentiment_score: float  # -1 .. 1
    sentiment: str  # positive, neutral, negative
    intent: str  # complaint, question, praise, other
    is_complaint: bool
    complaint_confidence: float  # 0 .. 1
    is_spam: bool
    normalised_text: str = ""
    # The words that drove the complaint decision, for the explanation shown to users.
    evidence: tuple[str, ...] = field(default=())
    # How sure the engine is of ``lang``, 0 .. 1 (kept here only: mentions have no column for it).
    lang_confidence: float = 1.0


class Classifier(Protocol):
    def classify(self, text: str) -> Analysis: ...

    def classify_many(self, texts: list[str]) -> list[Analysis]: ...


@cache
def get_classifier() -> Classifier:
    """The backend named by ``DENGAR["CLASSIFIER"]``, built once per process."""
    module, _, name = settings.DENGAR["CLASSIFIER"].rpartition(".")
    return getattr(import_module(module), name)()
