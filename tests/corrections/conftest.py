"""Corrections tests: a classifier whose answers the tests choose, and a few acme mentions."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from listening.analysis.engine.needs_reply import reply_kind
from tests import factories, fakes


def stored(text: str, world, **fields):
    """A mention stored as the fake classifier would have stored it."""
    a = fakes.FakeClassifier().classify(text)
    values = {
        "lang": a.lang, "sentiment_score": a.sentiment_score, "sentiment": a.sentiment,
        "intent": a.intent, "is_complaint": a.is_complaint,
        "complaint_confidence": a.complaint_confidence, "is_spam": a.is_spam,
    }
    values = {"source": world.acme_source, "brand": world.acme_brand, **values, **fields}
    values.setdefault("reply_kind", reply_kind(
        text, is_complaint=bool(values["is_complaint"]), is_spam=bool(values["is_spam"])).value)
    return factories.MentionFactory(text=text, **values)


@pytest.fixture
def acme_mentions(world) -> SimpleNamespace:
    return SimpleNamespace(
        broken=stored("My Acme order arrived broken", world),
        fine=stored("Acme delivered today", world),
        spam=stored("BUY NOW cheap acme followers", world),
        love=stored("I love Acme", world),
    )


