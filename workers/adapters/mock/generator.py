"""Turning one 5-minute slot into mentions, deterministically.

Each slot has two random streams seeded from (seed, slot). The *skeleton* stream decides how many
mentions the slot holds, their categories, and everything about its complaints that a later slot's
brand reply needs (time, language, author, whether and when the brand answers). The *text* stream
writes everything else. A fetch that only needs the replies an earlier slot causes (the look-back)
draws the skeleton alone, which is several times cheaper than writing the slot out.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import NamedTuple

from workers.adapters.base import RawMention
from workers.adapters.mock import compose, texts
from workers.adapters.mock.businesses import BUSINESSES
from workers.adapters.mock.scenarios import CATEGORIES, SLOT_SECONDS, profile

PLATFORM = "mock"
URL_PREFIX = "https://mock.example/"
COMPLAINT = CATEGORIES.index("complaint")
SPAM = CATEGORIES.index("spam")
_LANG_CUM = (0.55, 0.75, 1.0)  # id, ms, en: see texts.LANGUAGE_WEIGHTS
_BRAND_FORM_CUM = (0.4, 0.65, 0.9, 1.0)  # "@acme", "Acme", "acme", "@acme_care"


class PlannedReply(NamedTuple):
    at: int  # epoch seconds
    origin_slot: int
    complaint_id: str
    lang: str
    author: str
    variant: int


@dataclass(slots=True)
class Skeleton:
    categories: list[int]
    # index -> (offset seconds in slot, language, author) for the slot's complaints
    complaints: dict[int, tuple[int, str, str]]
    replies: list[PlannedReply]


def poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(rng.gauss(lam, math.sqrt(lam)) + 0.5))
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def handle(rng: random.Random) -> str:
    shape = rng.choice(texts.HANDLE_SHAPES)
    return shape.format(
        f=rng.choice(texts.FIRST_NAMES), l=rng.choice(texts.LAST_NAMES), n=rng.randrange(1, 100)
    )


def handle_of(bits: int) -> str:
    """A handle from random bits, without further draws."""
    shapes, first, last = texts.HANDLE_SHAPES, texts.FIRST_NAMES, texts.LAST_NAMES
    return shapes[bits % len(shapes)].format(
        f=first[(bits >> 4) % len(first)], l=last[(bits >> 10) % len(last)],
        n=1 + (bits >> 16) % 99,
    )


def _language_of(bits: int) -> str:
    x = (bits % 1000) / 1000
    return "id" if x < _LANG_CUM[0] else "ms" if x < _LANG_CUM[1] else "en"


def _language(rng: random.Random) -> str:
    x = rng.random()
    return "id" if x < _LANG_CUM[0] else "ms" if x < _LANG_CUM[1] else "en"


class SlotGenerator:
    """Writes the mentions of one configuration, slot by slot."""

    def __init__(
        self, *, seed: int, scenario: str, brand: str, brand_handle: str, rate_per_hour: float,
        anchor: float, business: str = "telco",
    ) -> None:
        self.seed = seed
        self.scenario = scenario
        self.brand = brand
        self.brand_handle = brand_handle
        self.rate_per_hour = rate_per_hour
        self.anchor = anchor
        self.business = BUSINESSES[business]
        tag = "".join(ch for ch in brand.lower() if ch.isalnum()) or "brand"
        self._brand_forms = (f"@{tag}", brand, brand.lower(), f"@{brand_handle}")
        self._order_prefix = (tag[:3] or "ord").upper()

    # The skeleton: cheap, and all a later slot's replies depend on.
    def skeleton(self, slot: int) -> Skeleton:
        prof = profile(
            slot=slot, scenario=self.scenario, anchor=self.anchor, rate_per_hour=self.rate_per_hour
        )
        rng = random.Random(f"{self.seed}:{slot}")
        n = poisson(rng, prof.expected)
        if n == 0:
            return Skeleton([], {}, [])
        categories = rng.choices(range(len(CATEGORIES)), cum_weights=prof.mix, k=n)
        complaints: dict[int, tuple[int, str, str]] = {}
        replies: list[PlannedReply] = []
        low, high = prof.reply_delay
        threshold = int(prof.reply_probability * 1024)
        base = slot * SLOT_SECONDS
        getrandbits = rng.getrandbits
        for i, category in enumerate(categories):
            if category != COMPLAINT:
                continue
            # One draw describes the complaint: the look-back replays thousands of these.
            bits = getrandbits(64)
            offset, lang, author = bits % SLOT_SECONDS, _language_of(bits >> 9), handle_of(bits >> 20)
            complaints[i] = (offset, lang, author)
            if (bits >> 54) < threshold:
                # Triangular: most replies near the low end, a tail of slow ones.
                delay = int(rng.triangular(low, high, low))
                replies.append(PlannedReply(
                    base + offset + delay, slot, f"{self.seed}-{slot}-{i}", lang, author,
                    (bits >> 40) & 0x3FFF,
                ))
        return Skeleton(categories, complaints, replies)

    def originals(self, slot: int, skeleton: Skeleton) -> list[RawMention]:
        """The slot's own mentions (not the replies landing in it)."""
        rng = random.Random(f"{self.seed}:{slot}:t")
        base = slot * SLOT_SECONDS
        out: list[RawMention] = []
        for i, category in enumerate(skeleton.categories):
            if category == COMPLAINT:
                offset, lang, author = skeleton.complaints[i]
            else:
                offset, lang = rng.randrange(SLOT_SECONDS), _language(rng)
                author = rng.choice(texts.SPAM_HANDLES) if category == SPAM else handle(rng)
            external_id = f"{self.seed}-{slot}-{i}"
            out.append(RawMention(
                external_id=external_id,
                text=self._text(rng, CATEGORIES[category], lang),
                published_at=datetime.fromtimestamp(base + offset, UTC),
                author_handle=author,
                url=URL_PREFIX + external_id,
                platform=PLATFORM,
            ))
        return out

    def reply(self, planned: PlannedReply) -> RawMention:
        external_id = f"{planned.complaint_id}-r"
        agents = texts.AGENTS
        return RawMention(
            external_id=external_id,
            text=compose.reply(
                random.Random(f"{self.seed}:{planned.complaint_id}:{planned.variant}"),
                lang=planned.lang, author=planned.author,
                agent=agents[(planned.variant >> 6) % len(agents)],
            ),
            published_at=datetime.fromtimestamp(planned.at, UTC),
            author_handle=self.brand_handle,
            url=URL_PREFIX + external_id,
            platform=PLATFORM,
            parent_external_id=planned.complaint_id,
            thread_external_id=planned.complaint_id,
        )

    def _text(self, rng: random.Random, category: str, lang: str) -> str:
        return compose.compose(
            rng, category=category, lang=lang, business=self.business,
            fill=lambda name: self._fill(rng, name, lang),
        )

    def _fill(self, rng: random.Random, name: str, lang: str) -> str:
        if name == "b":
            x = rng.random()
            forms = self._brand_forms
            cum = _BRAND_FORM_CUM
            return forms[0] if x < cum[0] else forms[1] if x < cum[1] else (
                forms[2] if x < cum[2] else forms[3]
            )
        if name == "brand":
            return self.brand
        if name == "order":
            return f"{self._order_prefix}{rng.randrange(10_000_000, 99_999_999)}"
        if name == "item":
            return rng.choice(self.business["item"][lang])
        fill = _FILLS.get(name)
        if fill is None:
            raise KeyError(name)
        return fill(rng, lang)


def _phone(rng: random.Random, lang: str) -> str:
    if lang == "ms":
        return f"01{rng.randint(1, 9)}-{rng.randrange(100, 999)} {rng.randrange(1000, 9999)}"
    return f"08{rng.randint(11, 99)}-{rng.randrange(1000, 9999)}-{rng.randrange(1000, 9999)}"


# The placeholders that need neither the brand nor its business: (rng, lang).
_FILLS: dict[str, Callable[[random.Random, str], str]] = {
    "n": lambda rng, lang: str(rng.randint(2, 5)),
    "mins": lambda rng, lang: str(rng.randrange(25, 95, 5)),
    "days": lambda rng, lang: str(rng.randint(2, 14)),
    "hours": lambda rng, lang: str(rng.randint(2, 12)),
    "city": lambda rng, lang: rng.choice(texts.CITIES),
    "phone": lambda rng, lang: _phone(rng, lang),
    "link": lambda rng, lang: rng.choice(texts.LINKS),
}


def broken(item: RawMention, rng: random.Random) -> RawMention:
    """The item with one defect, as a misbehaving collector would deliver it."""
    defect = rng.randrange(4)
    text = item.text if isinstance(item.text, str) else ""
    if defect == 0:
        return replace(item, external_id="")
    if defect == 1:
        return replace(item, published_at=rng.choice(texts.BAD_DATES))
    if defect == 2:
        return replace(item, text=(text + " ") * (10_050 // (len(text) + 1) + 1))
    return replace(item, text=text.encode("utf-8")[:40] + b"\xff\xfe\xc3\x28 " + b"\xe2\x82")


