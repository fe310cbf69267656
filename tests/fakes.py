"""Stand-ins used by several suites."""

from __future__ import annotations

from listening.analysis.base import Analysis

FAKE = "tests.fakes.FakeClassifier"


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
