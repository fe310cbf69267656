"""What a newcomer reads first: the demo tenants' oldest unanswered complaints, as the shipped
engine finds them in the mock's month, are complaints; and what is not a complaint is not
flagged as one."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from functools import cache

import pytest

from listening.analysis.base import Analysis
from listening.analysis.engine import EngineClassifier
from listening.management.commands.seed_demo import DEMO_TENANTS
from workers.adapters.base import RawMention
from workers.adapters.mock.generator import SlotGenerator
from workers.adapters.mock.scenarios import CATEGORIES, SLOT_SECONDS

ANCHOR = datetime(2025, 6, 1, 12, tzinfo=UTC)
FIRST_SCREEN = 25


def demo_sources() -> list[tuple[str, str, str, str, int, float]]:
    return [
        (brand, handle, business, scenario, seed, rate)
        for _tenant, brand, _keywords, handle, business, sources in DEMO_TENANTS
        for _name, scenario, seed, rate in sources
        if scenario != "broken_collector"
    ]


@cache
def engine() -> EngineClassifier:
    return EngineClassifier()


Reading = tuple[datetime, str, Analysis, bool]


@cache
def month_as_read(
    brand: str, handle: str, business: str, scenario: str, seed: int, rate: float,
) -> list[Reading]:
    """(time, the generator's category, the engine's reading, answered?) of every mention of
    the 35 days before the anchor (both tests read the same month)."""
    generator = SlotGenerator(seed=seed, scenario=scenario, brand=brand, brand_handle=handle,
                              rate_per_hour=rate, anchor=ANCHOR.timestamp(), business=business)
    end = int(ANCHOR.timestamp()) // SLOT_SECONDS
    mentions: list[tuple[RawMention, str]] = []
    answered: set[str] = set()
    for slot in range(end - 35 * 288, end):
        skeleton = generator.skeleton(slot)
        answered.update(r.complaint_id for r in skeleton.replies if r.at < ANCHOR.timestamp())
        for i, m in enumerate(generator.originals(slot, skeleton)):
            mentions.append((m, CATEGORIES[skeleton.categories[i]]))
    readings = engine().classify_many([m.text for m, _ in mentions])
    return [(m.published_at, category, a, m.external_id in answered)
            for (m, category), a in zip(mentions, readings, strict=True)]


@pytest.mark.slow  # writes and reads a month of each demo source
@pytest.mark.parametrize("source", demo_sources(), ids=lambda s: f"{s[0]}-{s[3]}")
def test_the_oldest_unanswered_complaints_of_a_demo_tenant_are_complaints(source):
    month = month_as_read(*source)
    waiting = sorted((at, category) for at, category, a, answered in month
                     if a.is_complaint and not a.is_spam and not answered)
    first_screen = [category for _, category in waiting[:FIRST_SCREEN]]
    assert len(first_screen) == FIRST_SCREEN
    assert Counter(first_screen) == {"complaint": FIRST_SCREEN}


@pytest.mark.slow  # writes and reads a month of each demo source
@pytest.mark.parametrize("source", demo_sources(), ids=lambda s: f"{s[0]}-{s[3]}")
def test_a_demo_tenants_chat_questions_and_praise_are_rarely_read_as_complaints(source):
    month = month_as_read(*source)
    for category in ("question", "praise", "neutral"):
        readings = [a for _, c, a, _ in month if c == category]
        flagged = sum(a.is_complaint for a in readings) / len(readings)
        assert flagged < 0.01, (category, flagged)
    complaints = [a for _, c, a, _ in month if c == "complaint"]
    assert sum(a.is_complaint for a in complaints) / len(complaints) > 0.75
