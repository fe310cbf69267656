"""How much people write, and what about, at a given moment: rhythms and scenarios.

Everything here is a pure function of a slot index and the anchor (epoch seconds), so the same
slot always gets the same expectation however fetches are batched.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate

SLOT_SECONDS = 300
DAY = 86_400
# Asia/Jakarta has no daylight saving time: a fixed offset is exact and much cheaper than zoneinfo.
JAKARTA_OFFSET = 7 * 3600

SCENARIOS = ("steady", "dying", "complaint_storm", "spam_burst", "viral_spike", "broken_collector")
CATEGORIES = ("complaint", "question", "praise", "neutral", "spam")


def _normalised(weights: tuple[float, ...]) -> tuple[float, ...]:
    mean = sum(weights) / len(weights)
    return tuple(w / mean for w in weights)


# Local hour 0..23: quiet in the small hours, a lunch bump, the peak after dinner.
HOURLY = _normalised((
    0.45, 0.25, 0.15, 0.10, 0.12, 0.25, 0.50, 0.80, 1.00, 1.10, 1.15, 1.20,
    1.35, 1.25, 1.10, 1.05, 1.10, 1.20, 1.40, 1.75, 1.95, 1.90, 1.50, 0.90,
))
# Monday..Sunday: a little busier on weekdays, when people deal with their providers.
WEEKLY = _normalised((1.05, 1.05, 1.0, 1.0, 1.05, 0.95, 0.9))


def _cumulative(mix: tuple[float, ...]) -> tuple[float, ...]:
    return tuple(accumulate(mix))


NORMAL_MIX = _cumulative((0.15, 0.15, 0.20, 0.45, 0.05))
STORM_MIX = _cumulative((0.45, 0.12, 0.05, 0.33, 0.05))
SPAM_MIX = _cumulative((0.06, 0.06, 0.08, 0.20, 0.60))
VIRAL_MIX = _cumulative((0.07, 0.25, 0.45, 0.18, 0.05))

# The brand's care team: usually quick; overwhelmed during a complaint storm.
NORMAL_REPLY = (0.80, 30 * 60, 90 * 60)
STORM_REPLY = (0.25, 2 * 3600, 10 * 3600)


@dataclass(frozen=True, slots=True)
class SlotProfile:
    expected: float  # mean number of new mentions in the slot
    mix: tuple[float, ...]  # cumulative weights over CATEGORIES
    reply_probability: float  # of a complaint getting a brand reply
    reply_delay: tuple[int, int]  # seconds, min and max


def max_reply_delay(scenario: str) -> int:
    """The longest a reply can trail its complaint, for how far back a fetch must look."""
    return STORM_REPLY[2] if scenario == "complaint_storm" else NORMAL_REPLY[2]


def rhythm(slot: int) -> float:
    local = slot * SLOT_SECONDS + JAKARTA_OFFSET
    hour = (local // 3600) % 24
    weekday = (local // DAY + 3) % 7  # 1970-01-01 was a Thursday
    return HOURLY[hour] * WEEKLY[weekday]


def profile(*, slot: int, scenario: str, anchor: float, rate_per_hour: float) -> SlotProfile:
    t = slot * SLOT_SECONDS + SLOT_SECONDS / 2
    volume = 1.0
    mix = NORMAL_MIX
    reply = NORMAL_REPLY
    if scenario == "dying":
        start = anchor - 10 * DAY
        if t >= anchor:
            volume = 0.15
        elif t > start:
            volume = 0.15 ** ((t - start) / (10 * DAY))
    elif scenario == "complaint_storm":
        if t >= anchor - 3 * DAY:
            volume, mix, reply = 1.6, STORM_MIX, STORM_REPLY
    elif scenario == "spam_burst":
        if t >= anchor - 2 * DAY:
            # Spam comes on top: the organic conversation keeps its own volume.
            volume, mix = 2.5, SPAM_MIX
    elif scenario == "viral_spike" and anchor - DAY <= t < anchor + DAY:
        volume, mix = 6.0, VIRAL_MIX
    expected = rate_per_hour / (3600 / SLOT_SECONDS) * rhythm(slot) * volume
    return SlotProfile(expected, mix, reply[0], (reply[1], reply[2]))
