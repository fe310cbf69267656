"""Corrections tests: a classifier whose answers the tests choose, and a few acme mentions."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pytest

from listening.analysis.base import Analysis, get_classifier
from tests import factories

FAKE = "tests.corrections.conftest.FakeClassifier"


class FakeClassifier:
    """"broken" is a negative complaint, "buy now" is spam, "love" is praise, else neutral."""

    def classify(self, text: str) -> Analysis:
        lowered = text.lower()
        complaint = "broken" in lowered
        spam = "buy now" in lowered
        positive = "love" in lowered
        sentiment = "negative" if complaint else "positive" if positive else "neutral"
        return Analysis(
            lang="en", sentiment_score={"negative": -0.8, "positive": 0.8}.get(sentiment, 0.0),
            sentiment=sentiment,
            intent="complaint" if complaint else "praise" if positive else "other",
            is_complaint=complaint, complaint_confidence=0.9 if complaint else 0.1, is_spam=spam,
        )

    def classify_many(self, texts: list[str]) -> list[Analysis]:
        return [self.classify(t) for t in texts]


@pytest.fixture
def fake_classifier(settings) -> Iterator[None]:
    settings.DENGAR = {**settings.DENGAR, "CLASSIFIER": FAKE}
    get_classifier.cache_clear()
    yield
    get_classifier.cache_clear()


def stored(text: str, world, **fields):
    """A mention stored as the fake classifier would have stored it."""
    a = FakeClassifier().classify(text)
    values = {
        "lang": a.lang, "sentiment_score": a.sentiment_score, "sentiment": a.sentiment,
        "intent": a.intent, "is_complaint": a.is_complaint,
        "complaint_confidence": a.complaint_confidence, "is_spam": a.is_spam,
    }
    values = {"source": world.acme_source, "brand": world.acme_brand, **values, **fields}
    return factories.MentionFactory(text=text, **values)


@pytest.fixture
def acme_mentions(world) -> SimpleNamespace:
    return SimpleNamespace(
        broken=stored("My Acme order arrived broken", world),
        fine=stored("Acme delivered today", world),
        spam=stored("BUY NOW cheap acme followers", world),
        love=stored("I love Acme", world),
    )


