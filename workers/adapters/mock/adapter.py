"""A source that makes up a realistic, reproducible conversation about a brand.

Time is cut into 5-minute slots (``slot = epoch_seconds // 300``). A slot's mentions depend only
on the config and the slot, never on when or in which batches it is fetched: each slot draws from
its own random streams seeded with (seed, slot). The cursor ``{"slot": N}`` means every slot
before N was delivered; ``{"slot": N, "offset": k}`` also the first k items of slot N (a slot
holding more than ``max_items``). A fetch never delivers a slot still in progress.

A brand reply is delivered in the slot its timestamp falls in, not with its complaint, as a real
source would: a fetch therefore replays the skeletons of the slots up to the longest reply delay
before its first slot, to find the replies that land in the slots it delivers.

Scenarios are relative to ``anchor``. Without one, the anchor is the start of the slot in progress
when ``fetch`` runs, so the scenario is always "happening now" but a slot's content may differ
between fetches made at different times; pass an anchor (as the seeding command does) for fully
reproducible data.

A reply posted through the mock (``reply``) goes nowhere and gets an id in the mock's own shape,
``<mention>-r-<digest of the text>``: never the id of a brand reply the mock delivers itself
(``<complaint>-r``), since a poll delivering an id stored already with another text would revise
the posted reply's text into the mock's. Where the mock's brand account answers the complaint later
anyway, that answer arrives as a second reply, as a colleague's on a real platform would. A
configured ``reply_fail_marker`` found in a reply's text makes the platform refuse it, to show how
a failed reply looks.
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar, Generic, TypeVar

from workers.adapters.base import (
    ConfigField,
    ConfigSchema,
    FetchResult,
    PermanentAdapterError,
    RawMention,
    SourceAdapter,
    TransientAdapterError,
)
from workers.adapters.mock.businesses import BUSINESSES
from workers.adapters.mock.generator import PlannedReply, SlotGenerator, broken
from workers.adapters.mock.scenarios import SCENARIOS, SLOT_SECONDS, max_reply_delay

Clock = Callable[[], datetime]
V = TypeVar("V")


def _utcnow() -> datetime:
    return datetime.now(UTC)


def parse_anchor(value: str) -> datetime:
    """An ISO 8601 date-time; a naive one is taken as UTC. Raises ValueError."""
    parsed = datetime.fromisoformat(value.strip())
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def default_brand_handle(brand: str) -> str:
    return ("".join(ch for ch in brand.lower() if ch.isalnum()) or "brand") + "_care"


def _anchor_problem(value: str) -> str | None:
    try:
        parse_anchor(value)
    except ValueError:
        return "Must be an ISO 8601 date-time, e.g. 2025-06-01T12:00:00+00:00."
    return None


def _blank_problem(value: str) -> str | None:
    return None if value.strip() else "This field may not be blank."


def _handle_problem(value: str) -> str | None:
    if 0 < len(value) <= 50 and all(ch.isalnum() or ch in "_." for ch in value):
        return None
    return "Use 1 to 50 letters, digits, underscores or dots, without the @."


# Bounds on what one fetch costs a worker (the registry offers the kind only where the
# deployment enables it, but a demo open to the public is still shared).
MAX_ITEMS = 5_000
MAX_BACKFILL_DAYS = 60
MAX_RATE_PER_HOUR = 20_000


class MockAdapter(SourceAdapter):
    kind = "mock"
    label = "Simulated conversation (demo and tests)"
    platform = "mock"
    can_reply: ClassVar[bool] = True
    config_schema = ConfigSchema({
        "seed": ConfigField(int, default=1, help="Same seed, same conversation."),
        "scenario": ConfigField(str, default="steady", choices=SCENARIOS,
                                help="The story the data tells, relative to the anchor."),
        "brand": ConfigField(str, default="Acme", check=_blank_problem, help="The brand name people write about."),
        "business": ConfigField(str, default="telco", choices=tuple(BUSINESSES),
                                help="What the brand sells, which is what its people write about."),
        "brand_handle": ConfigField(str, check=_handle_problem, help="The brand's own account that replies; "
                                              "default: the brand name + '_care'."),
        "rate_per_hour": ConfigField(float, default=12.0, min_value=0, max_value=MAX_RATE_PER_HOUR,
                                     help="Average new mentions per hour before rhythm and scenario."),
        "anchor": ConfigField(str, check=_anchor_problem, help="ISO date-time the scenario is relative to; "
                                        "default: now, at each fetch."),
        "backfill_days": ConfigField(float, default=35.0, min_value=0, max_value=MAX_BACKFILL_DAYS,
                                     help="How much history the first fetch starts with."),
        "max_items": ConfigField(int, default=2000, min_value=1, max_value=MAX_ITEMS,
                                 help="At most this many mentions per fetch."),
        "malformed_rate": ConfigField(float, default=0.0, min_value=0, max_value=1,
                                      help="Share of deliberately broken items."),
        "latency_seconds": ConfigField(float, default=0.0, min_value=0, max_value=60,
                                       help="How long each fetch waits, as a slow network would."),
        "reply_fail_marker": ConfigField(str, check=_blank_problem,
                                         help="A reply whose text contains this (any case) is refused, "
                                              "to show a failed reply; default: none is."),
    })

    def __init__(self, config: Mapping[str, Any], *, clock: Clock | None = None) -> None:
        super().__init__(config)
        self.clock: Clock = clock or _utcnow
        self.brand_handle: str = self.config.get("brand_handle") or default_brand_handle(
            self.config["brand"]
        )
        anchor = self.config.get("anchor")
        self.anchor: datetime | None = parse_anchor(anchor) if anchor else None

    def fetch(self, *, cursor: Any) -> FetchResult:
        cfg = self.config
        if cfg["scenario"] == "broken_collector":
            raise TransientAdapterError(
                "collector unreachable: connection reset by the mock collector", retry_after=60
            )
        if self.config["latency_seconds"]:
            time.sleep(self.config["latency_seconds"])
        now = self.clock()
        if now.tzinfo is None:
            raise ValueError("the clock must return an aware datetime")
        end = int(now.timestamp()) // SLOT_SECONDS  # the slot in progress: not delivered yet
        if cursor is None:
            start = int(now.timestamp() - cfg["backfill_days"] * 86_400) // SLOT_SECONDS
            skip = 0
        else:
            start, skip = _read_cursor(cursor)
        if start >= end:
            return FetchResult(mentions=[], next_cursor=_cursor(start, skip), has_more=False)

        anchor = self.anchor.timestamp() if self.anchor else float(end * SLOT_SECONDS)
        generator = SlotGenerator(
            seed=cfg["seed"], scenario=cfg["scenario"], brand=cfg["brand"],
            brand_handle=self.brand_handle, rate_per_hour=cfg["rate_per_hour"], anchor=anchor,
            business=cfg["business"],
        )
        key = (tuple(sorted((k, str(v)) for k, v in cfg.items())), self.brand_handle, anchor)
        limit = cfg["max_items"]
        out: list[RawMention] = []
        slot = start
        items: list[RawMention] | None = None
        split = _SPLIT.get((key, start)) if skip else None
        if split is not None:
            items, after = split
            pending = {target: list(planned) for target, planned in after.items()}
        else:
            pending = _pending_replies(generator, key, start)
        while slot < end:
            if items is None:
                items = self._slot_items(generator, slot, pending)
            room = limit - len(out)
            if len(items) - skip > room:
                out.extend(items[skip : skip + room])
                # The next fetch resumes inside this slot: spare it writing the slot again.
                _SPLIT.put((key, slot), (items, pending))
                return FetchResult(out, _cursor(slot, skip + room), has_more=True)
            out.extend(items[skip:])
            skip, items = 0, None
            slot += 1
            if len(out) == limit and slot < end:
                break
        # Keep what the next fetch from here needs, so it need not look back again.
        _CARRY.put((key, slot), [planned for target in pending.values() for planned in target])
        return FetchResult(out, _cursor(slot, 0), has_more=slot < end)

    def reply(self, *, to_external_id: str, thread_external_id: str, text: str) -> str:
        """Post ``text`` as the brand's reply to ``to_external_id``; return the reply's id. Nothing
        leaves the process; the same text posted to the same mention gets the same id."""
        cfg = self.config
        if cfg["scenario"] == "broken_collector":
            raise TransientAdapterError("mock platform unreachable: connection reset", retry_after=60)
        if not to_external_id:
            raise PermanentAdapterError("the mock platform has no mention without an id to reply to")
        marker = cfg.get("reply_fail_marker")
        if marker and marker.casefold() in text.casefold():
            raise PermanentAdapterError(
                "the mock platform refused the reply (it contains the configured failure marker)"
            )
        if cfg["latency_seconds"]:
            time.sleep(cfg["latency_seconds"])
        digest = hashlib.sha256(f"{to_external_id}\n{text}".encode()).hexdigest()[:10]
        return f"{to_external_id}-r-{digest}"

    def _slot_items(
        self, generator: SlotGenerator, slot: int, pending: dict[int, list[PlannedReply]]
    ) -> list[RawMention]:
        """The slot's mentions and the replies landing in it, in order; books its own replies."""
        skeleton = generator.skeleton(slot)
        for planned in skeleton.replies:
            pending.setdefault(planned.at // SLOT_SECONDS, []).append(planned)
        landing = pending.pop(slot, [])
        keyed = [(_order(i), i) for i in generator.originals(slot, skeleton)]
        malformed = self.config["malformed_rate"]
        if malformed:
            # Broken after keying, so a defect (a missing date) doesn't move an item.
            rng = random.Random(f"{self.config['seed']}:{slot}:x")
            keyed = [(k, broken(i, rng) if rng.random() < malformed else i) for k, i in keyed]
        keyed.extend((_order(r), r) for r in map(generator.reply, landing))
        keyed.sort(key=lambda pair: pair[0])
        return [item for _, item in keyed]


def _order(item: RawMention) -> tuple[datetime, str]:
    return (item.published_at, item.external_id)


def _cursor(slot: int, offset: int) -> dict[str, int]:
    return {"slot": slot, "offset": offset} if offset else {"slot": slot}


def _read_cursor(cursor: Any) -> tuple[int, int]:
    if isinstance(cursor, Mapping):
        slot, offset = cursor.get("slot"), cursor.get("offset", 0)
        if (
            set(cursor) <= {"slot", "offset"}
            and isinstance(slot, int) and not isinstance(slot, bool) and slot >= 0
            and isinstance(offset, int) and not isinstance(offset, bool) and offset >= 0
        ):
            return slot, offset
    raise PermanentAdapterError(f"unreadable cursor {cursor!r}: expected {{'slot': N}}")


class _LRU(Generic[V]):
    """A small, thread-safe least-recently-used map."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[Any, V] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, key: Any, value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def get(self, key: Any) -> V | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


# A poll that stopped at ``max_items`` is usually followed at once by one starting where it
# stopped. What it hands over is exactly what the next one would compute, so a miss (another
# worker process, an evicted entry) costs time, never correctness:
# - the replies still to land, by (config, first slot of the next fetch);
_CARRY: _LRU[list[PlannedReply]] = _LRU(64)
# - a slot cut in two by max_items (thousands of items at high rates), and the replies after it.
_SPLIT: _LRU[tuple[list[RawMention], dict[int, list[PlannedReply]]]] = _LRU(2)


def clear_caches() -> None:
    _CARRY.clear()
    _SPLIT.clear()


def _pending_replies(
    generator: SlotGenerator, key: Any, start: int
) -> dict[int, list[PlannedReply]]:
    """Replies from slots before ``start`` that land at or after it, by landing slot."""
    carried = _CARRY.get((key, start))
    if carried is None:
        lookback = -(-max_reply_delay(generator.scenario) // SLOT_SECONDS)
        carried = [
            planned
            for origin in range(start - lookback, start)
            for planned in generator.skeleton(origin).replies
            if planned.at // SLOT_SECONDS >= start
        ]
    pending: dict[int, list[PlannedReply]] = {}
    for planned in carried:
        pending.setdefault(planned.at // SLOT_SECONDS, []).append(planned)
    return pending
