from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from listening.analysis.lexicon import LexiconClassifier
from listening.models import Mention
from listening.scoping import tenant_scope
from listening.services.mention_validation import Rejected, mention_validate
from listening.services.sources import source_poll_once
from tests import factories
from workers.adapters import registry
from workers.adapters.base import (
    ConfigError,
    ConfigSchema,
    FetchResult,
    PermanentAdapterError,
    RawMention,
    TransientAdapterError,
)
from workers.adapters.mock import adapter as mock_module
from workers.adapters.mock import texts
from workers.adapters.mock.adapter import MockAdapter, clear_caches
from workers.adapters.mock.generator import SlotGenerator
from workers.adapters.mock.scenarios import CATEGORIES

NOW = datetime(2025, 6, 1, 12, 2, 30, tzinfo=UTC)
ANCHOR = "2025-06-01T12:00:00+00:00"
SLOT = 300
NOW_SLOT = int(NOW.timestamp()) // SLOT


@pytest.fixture(autouse=True)
def _cold_caches():
    clear_caches()
    yield
    clear_caches()


class WideMockAdapter(MockAdapter):
    """The generator without the limits a tenant's source has (tests/api/test_limits.py), so a
    test can read weeks of it in one fetch."""

    config_schema = ConfigSchema({
        **MockAdapter.config_schema.fields,
        **{name: replace(MockAdapter.config_schema.fields[name], max_value=None)
           for name in ("max_items", "rate_per_hour", "backfill_days")},
    })


def make(clock: datetime = NOW, **config) -> MockAdapter:
    config.setdefault("anchor", ANCHOR)
    return WideMockAdapter(config, clock=lambda: clock)


def drain(adapter: MockAdapter, cursor=None, *, limit_polls: int = 10_000) -> tuple[list, object]:
    items: list[RawMention] = []
    for _ in range(limit_polls):
        result = adapter.fetch(cursor=cursor)
        items.extend(result.mentions)
        cursor = result.next_cursor
        if not result.has_more:
            return items, cursor
    raise AssertionError("the adapter never stopped saying has_more")


def as_tuples(items: list[RawMention]) -> list[tuple]:
    return [(m.external_id, m.text, m.published_at, m.author_handle, m.parent_external_id)
            for m in items]


def slot_of(item: RawMention) -> int:
    return int(item.published_at.timestamp()) // SLOT


def is_reply(item: RawMention) -> bool:
    return bool(item.parent_external_id)


def test_it_is_the_registered_mock_kind():
    assert registry.adapter_class("mock") is MockAdapter
    assert MockAdapter.kind == "mock"
    assert MockAdapter.platform == "mock"


def test_it_fills_defaults_and_derives_the_brand_handle():
    adapter = MockAdapter({"brand": "Kopi Kenangan"})
    assert adapter.config["seed"] == 1
    assert adapter.config["scenario"] == "steady"
    assert adapter.config["rate_per_hour"] == 12.0
    assert adapter.brand_handle == "kopikenangan_care"


def test_it_refuses_an_unknown_scenario_with_a_field_error():
    with pytest.raises(ConfigError) as exc:
        MockAdapter({"scenario": "apocalypse"})
    assert "scenario" in exc.value.errors


def test_it_refuses_bad_values_field_by_field():
    with pytest.raises(ConfigError) as exc:
        registry.validate_config("mock", {
            "rate_per_hour": -1, "max_items": 0, "malformed_rate": 2, "anchor": "last tuesday",
            "brand_handle": "@acme care", "colour": "blue",
        })
    assert set(exc.value.errors) == {
        "rate_per_hour", "max_items", "malformed_rate", "anchor", "brand_handle", "colour",
    }


def test_it_returns_the_same_items_for_the_same_cursor_and_clock():
    first = make(seed=5).fetch(cursor=None)
    clear_caches()
    second = make(seed=5).fetch(cursor=None)
    assert as_tuples(first.mentions) == as_tuples(second.mentions)
    assert first.next_cursor == second.next_cursor
    assert first.mentions, "35 days at 12 an hour should say something"


def test_it_writes_a_different_conversation_for_another_seed():
    a = make(seed=1, backfill_days=1).fetch(cursor=None).mentions
    b = make(seed=2, backfill_days=1).fetch(cursor=None).mentions
    assert [m.text for m in a] != [m.text for m in b]


def test_it_gives_the_same_items_however_the_fetches_are_batched():
    start = {"slot": NOW_SLOT - 3 * 288}
    whole = make(max_items=100_000).fetch(cursor=start)
    assert not whole.has_more
    clear_caches()
    small, cursor = drain(make(max_items=7), start)
    assert cursor == whole.next_cursor
    assert as_tuples(small) == as_tuples(whole.mentions)


def test_it_gives_the_same_items_when_the_clock_moves_between_fetches():
    start = {"slot": NOW_SLOT - 2 * 288}
    whole = make(max_items=100_000).fetch(cursor=start).mentions
    clear_caches()
    middle = NOW - timedelta(hours=20)
    first = make(clock=middle, max_items=100_000).fetch(cursor=start)
    second = make(max_items=100_000).fetch(cursor=first.next_cursor)
    assert first.next_cursor == {"slot": int(middle.timestamp()) // SLOT}
    assert as_tuples(list(first.mentions) + list(second.mentions)) == as_tuples(whole)


@pytest.mark.slow  # generates weeks of mentions
def test_it_answers_the_same_with_warm_and_cold_caches():
    start = {"slot": NOW_SLOT - 72}
    warm, _ = drain(make(rate_per_hour=600, max_items=97, scenario="complaint_storm"), start)
    clear_caches()
    cold = []
    cursor: object = start
    while True:
        clear_caches()
        result = make(rate_per_hour=600, max_items=97, scenario="complaint_storm").fetch(
            cursor=cursor
        )
        cold.extend(result.mentions)
        cursor = result.next_cursor
        if not result.has_more:
            break
    assert as_tuples(warm) == as_tuples(cold)


def test_it_never_skips_or_repeats_a_slot_and_never_delivers_the_slot_in_progress():
    items, cursor = drain(make(max_items=50, backfill_days=3))
    ids = [m.external_id for m in items]
    assert len(ids) == len(set(ids))
    assert cursor == {"slot": NOW_SLOT}
    assert all(m.published_at < datetime.fromtimestamp(NOW_SLOT * SLOT, UTC) for m in items)
    first_slot = int((NOW - timedelta(days=3)).timestamp()) // SLOT
    assert min(slot_of(m) for m in items) >= first_slot
    times = [m.published_at for m in items]
    assert times == sorted(times)
    # The cursor moves on exactly to the slot in progress; nothing new until a slot completes.
    later = make(clock=NOW + timedelta(minutes=2)).fetch(cursor=cursor)
    assert (later.mentions, later.next_cursor, later.has_more) == ([], cursor, False)
    next_slot = make(clock=NOW + timedelta(minutes=5)).fetch(cursor=cursor)
    assert next_slot.next_cursor == {"slot": NOW_SLOT + 1}
    assert all(slot_of(m) == NOW_SLOT for m in next_slot.mentions)


def test_it_stops_at_max_items_and_says_there_is_more():
    result = make(max_items=10, backfill_days=2).fetch(cursor=None)
    assert isinstance(result, FetchResult)
    assert len(result.mentions) == 10
    assert result.has_more
    rest = make(max_items=100_000).fetch(cursor=result.next_cursor)
    assert not rest.has_more
    assert rest.next_cursor == {"slot": NOW_SLOT}


def test_it_splits_a_slot_bigger_than_max_items_with_an_offset():
    start = {"slot": NOW_SLOT - 1}
    whole = make(rate_per_hour=20_000, max_items=100_000).fetch(cursor=start).mentions
    assert len(whole) > 100
    first = make(rate_per_hour=20_000, max_items=100).fetch(cursor=start)
    assert first.next_cursor == {"slot": NOW_SLOT - 1, "offset": 100}
    assert first.has_more
    rest, _ = drain(make(rate_per_hour=20_000, max_items=100), first.next_cursor)
    assert as_tuples(list(first.mentions) + rest) == as_tuples(whole)


def test_it_refuses_a_cursor_it_did_not_write():
    with pytest.raises(PermanentAdapterError):
        make().fetch(cursor={"page": 3})
    with pytest.raises(PermanentAdapterError):
        make().fetch(cursor="yesterday")


def test_it_backfills_the_configured_history_on_the_first_poll():
    items, _ = drain(make(backfill_days=10))
    oldest = min(m.published_at for m in items)
    assert NOW - timedelta(days=10, minutes=5) <= oldest < NOW - timedelta(days=9)
    nothing = make(backfill_days=0).fetch(cursor=None)
    assert nothing.mentions == []
    assert nothing.next_cursor == {"slot": NOW_SLOT}


def test_it_gives_each_mention_a_stable_id_a_url_and_an_aware_time_in_its_slot():
    items = make(backfill_days=1).fetch(cursor=None).mentions
    for m in items:
        assert m.platform == "mock"
        assert m.url == f"https://mock.example/{m.external_id}"
        assert m.published_at.tzinfo is not None
        assert m.author_handle
        assert m.external_id.startswith("1-")
        if not is_reply(m):
            assert m.external_id.split("-")[1] == str(slot_of(m))


def test_it_writes_in_indonesian_malay_and_english_about_the_brand():
    items = make(rate_per_hour=100, backfill_days=3, brand="Telkomsel",
                 max_items=100_000).fetch(cursor=None).mentions
    langs = Counter(LexiconClassifier().classify(m.text).lang for m in items)
    assert {"id", "ms", "en"} <= set(langs)
    organic = [m for m in items if not is_reply(m)]
    brand_share = sum("telkomsel" in m.text.lower() for m in organic) / len(organic)
    assert brand_share > 0.7


def organic_by_category(**config) -> dict[str, list[str]]:
    """The texts of the configuration's own mentions (no replies), by the category the
    generator meant."""
    config.setdefault("rate_per_hour", 60)
    config.setdefault("backfill_days", 3)
    items = [m for m in make(max_items=100_000, **config).fetch(cursor=None).mentions
             if not is_reply(m)]
    generator = SlotGenerator(
        seed=config.get("seed", 1), scenario="steady", brand=config.get("brand", "Acme"),
        brand_handle="acme_care", rate_per_hour=config["rate_per_hour"],
        anchor=datetime.fromisoformat(ANCHOR).timestamp(),
    )
    out: dict[str, list[str]] = {category: [] for category in CATEGORIES}
    for m in items:
        _, slot, index = m.external_id.split("-")
        out[CATEGORIES[generator.skeleton(int(slot)).categories[int(index)]]].append(m.text)
    return out


def test_it_rarely_writes_the_same_mention_twice():
    for business in ("telco", "coffee", "restaurant"):
        by_category = organic_by_category(business=business)
        for category, found in by_category.items():
            assert len(found) > 100, (business, category)
            # Chat is the bulk of a conversation, and some of it is short ("ngopi di … sambil
            # nugas"): it may repeat more than what people write to the brand.
            floor = 0.6 if category == "neutral" else 0.85
            assert len(set(found)) / len(found) > floor, (business, category)


TELCO_WORDS = ("sinyal", "signal", "pulsa", "kuota", "prabayar", "prepaid", "data plan", "5g",
               "line hilang", "fiber", "modem", "router")
COFFEE_WORDS = ("kopi", "coffee", "latte", "barista", "americano", "matcha", "cold brew")


def test_each_business_people_write_about_that_business():
    coffee = organic_by_category(business="coffee", brand="Kopi Senja")
    telco = organic_by_category(business="telco", brand="Telko")
    coffee_talk = [t.lower() for c in ("complaint", "question", "praise") for t in coffee[c]]
    telco_talk = [t.lower() for c in ("complaint", "question", "praise") for t in telco[c]]
    # A coffee chain's customers never write about SIM cards and signal, nor a telco's about
    # lattes (the brand's own name aside).
    assert not [t for t in coffee_talk if any(w in t for w in TELCO_WORDS)]
    assert not [t for t in telco_talk if any(w in t.replace("kopi senja", "") for w in COFFEE_WORDS)]
    assert sum(any(w in t for w in COFFEE_WORDS) for t in coffee_talk) > 0.3 * len(coffee_talk)
    assert sum(any(w in t for w in TELCO_WORDS) for t in telco_talk) > 0.3 * len(telco_talk)


def test_it_refuses_an_unknown_business():
    with pytest.raises(ConfigError) as exc:
        MockAdapter({"business": "casino"})
    assert "business" in exc.value.errors


@pytest.mark.slow  # generates weeks of mentions
def test_it_has_a_daily_rhythm_quiet_at_night_in_jakarta():
    items, _ = drain(make(rate_per_hour=60, backfill_days=28, max_items=100_000))
    by_hour = Counter((m.published_at.hour + 7) % 24 for m in items if not is_reply(m))
    assert by_hour[20] > 4 * by_hour[3]


def test_it_replies_to_most_complaints_within_minutes_when_steady():
    adapter = make(scenario="steady", brand="Acme", rate_per_hour=60, backfill_days=7,
                   max_items=100_000)
    items = adapter.fetch(cursor=None).mentions
    replies = [m for m in items if is_reply(m)]
    by_id = {m.external_id: m for m in items}
    assert replies
    delays = []
    for reply in replies:
        assert reply.author_handle == "acme_care"
        assert reply.thread_external_id == reply.parent_external_id
        parent = by_id.get(reply.parent_external_id)
        if parent is not None:
            delays.append(reply.published_at - parent.published_at)
    assert delays
    assert all(timedelta(minutes=30) <= d <= timedelta(minutes=90) for d in delays)
    complaints = {i for i in by_id if i.count("-") == 2} & {r.parent_external_id for r in replies}
    assert complaints


def test_it_delivers_a_reply_only_in_its_own_slot_after_its_complaint():
    items, _ = drain(make(scenario="complaint_storm", rate_per_hour=60, backfill_days=6,
                          max_items=37))
    first_slot = min(slot_of(m) for m in items)
    seen: dict[str, RawMention] = {}
    replies = 0
    for m in items:
        if is_reply(m) and int(m.parent_external_id.split("-")[1]) >= first_slot:
            replies += 1
            parent = seen.get(m.parent_external_id)
            # The complaint came first in the stream, and earlier in time.
            assert parent is not None, "a reply arrived before its complaint"
            assert parent.published_at < m.published_at
        seen[m.external_id] = m
    assert replies


def test_it_delivers_a_reply_in_the_fetch_covering_its_time_not_the_complaints():
    # Stop just after a complaint that gets answered: its reply must wait for a later fetch.
    items = make(rate_per_hour=60, max_items=100_000).fetch(
        cursor={"slot": NOW_SLOT - 288}).mentions
    by_id = {m.external_id: m for m in items}
    reply = next(m for m in items if is_reply(m) and m.parent_external_id in by_id)
    parent = by_id[reply.parent_external_id]
    cut = slot_of(parent) + 1
    clock = datetime.fromtimestamp(cut * SLOT + 10, UTC)
    early = make(clock=clock, rate_per_hour=60, max_items=100_000).fetch(
        cursor={"slot": NOW_SLOT - 288})
    assert parent.external_id in {m.external_id for m in early.mentions}
    assert reply.external_id not in {m.external_id for m in early.mentions}
    late = make(rate_per_hour=60, max_items=100_000).fetch(cursor=early.next_cursor).mentions
    assert [m.external_id for m in late].count(reply.external_id) == 1


def window(items, start: datetime, end: datetime) -> list[RawMention]:
    return [m for m in items if start <= m.published_at < end and not is_reply(m)]


def truth(items: list[RawMention], *, scenario: str, anchor: str, rate: float = 30) -> list[str]:
    """Each item's category as the generator meant it (not as a classifier would guess it)."""
    generator = SlotGenerator(seed=1, scenario=scenario, brand="Acme", brand_handle="acme_care",
                              rate_per_hour=rate, anchor=datetime.fromisoformat(anchor).timestamp())
    skeletons: dict[int, list[int]] = {}
    out = []
    for m in items:
        _, slot, index = m.external_id.split("-")
        if int(slot) not in skeletons:
            skeletons[int(slot)] = generator.skeleton(int(slot)).categories
        out.append(CATEGORIES[skeletons[int(slot)][int(index)]])
    return out


def share(categories: list[str], category: str) -> float:
    return categories.count(category) / max(1, len(categories))


def spam_share(items: list[RawMention]) -> float:
    return sum(m.author_handle in texts.SPAM_HANDLES for m in items) / max(1, len(items))


def all_items(**config) -> list[RawMention]:
    config.setdefault("rate_per_hour", 30)
    config.setdefault("max_items", 100_000)
    items, _ = drain(make(**config))
    return items


@pytest.mark.slow  # generates weeks of mentions
def test_it_dies_down_over_the_last_days_when_dying():
    anchor = datetime.fromisoformat(ANCHOR)
    items = all_items(scenario="dying")
    last_week = len(window(items, anchor - timedelta(days=7), anchor))
    before = len(window(items, anchor - timedelta(days=35), anchor - timedelta(days=7))) / 4
    assert last_week < 0.5 * before
    steady = all_items(scenario="steady")
    assert len(window(steady, anchor - timedelta(days=7), anchor)) > 0.8 * before


def test_it_fills_up_with_complaints_that_go_unanswered_in_a_complaint_storm():
    anchor = datetime.fromisoformat(ANCHOR)
    items = all_items(scenario="complaint_storm")
    replied = {m.parent_external_id for m in items if is_reply(m)}

    def shares(start: datetime, end: datetime) -> tuple[float, float]:
        organic = window(items, start, end)
        kinds = truth(organic, scenario="complaint_storm", anchor=ANCHOR)
        complaints = [m.external_id for m, k in zip(organic, kinds, strict=True) if k == "complaint"]
        return share(kinds, "complaint"), sum(c in replied for c in complaints) / len(complaints)

    storm_share, storm_answered = shares(anchor - timedelta(days=3), anchor - timedelta(hours=10))
    calm_share, calm_answered = shares(anchor - timedelta(days=30), anchor - timedelta(days=4))
    assert 0.35 < storm_share < 0.55
    assert 0.1 < calm_share < 0.2
    assert 0.15 < storm_answered < 0.35
    assert calm_answered > 0.7


def test_it_floods_with_ads_in_a_spam_burst():
    anchor = datetime.fromisoformat(ANCHOR)
    items = all_items(scenario="spam_burst")
    burst = window(items, anchor - timedelta(days=2), anchor)
    calm = window(items, anchor - timedelta(days=30), anchor - timedelta(days=3))
    assert 0.5 < share(truth(burst, scenario="spam_burst", anchor=ANCHOR), "spam") < 0.7
    assert share(truth(calm, scenario="spam_burst", anchor=ANCHOR), "spam") < 0.1
    # The ads look like ads: posted by spam accounts.
    assert spam_share(burst) > 0.5


def test_it_spikes_with_praise_and_questions_when_going_viral():
    anchor = datetime.fromisoformat(ANCHOR) - timedelta(hours=12)
    items = all_items(scenario="viral_spike", anchor=anchor.isoformat())
    spike = window(items, anchor - timedelta(days=1), anchor + timedelta(hours=12))
    calm = window(items, anchor - timedelta(days=15), anchor - timedelta(days=2))
    per_day_spike = len(spike) / 1.5
    per_day_calm = len(calm) / 13
    assert per_day_spike > 3 * per_day_calm
    spike_kinds = truth(spike, scenario="viral_spike", anchor=anchor.isoformat())
    assert share(spike_kinds, "praise") + share(spike_kinds, "question") > 0.6
    assert share(spike_kinds, "complaint") < 0.1


def test_it_reports_the_broken_collector_as_a_transient_error():
    with pytest.raises(TransientAdapterError) as exc:
        make(scenario="broken_collector").fetch(cursor=None)
    assert exc.value.retry_after == 60
    assert "collector unreachable" in str(exc.value)


def test_it_breaks_the_configured_share_of_items_in_ways_ingestion_rejects():
    items = make(malformed_rate=0.2, rate_per_hour=60, backfill_days=5,
                 max_items=100_000).fetch(cursor=None).mentions
    reasons: Counter[str] = Counter()
    for m in items:
        try:
            mention_validate(m, now=NOW)
        except Rejected as exc:
            reason = str(exc)
            kind = next(k for k in ("external_id is missing", "published_at", "text is too long",
                                    "text is not valid UTF-8") if reason.startswith(k))
            reasons[kind] += 1
    assert 0.12 < sum(reasons.values()) / len(items) < 0.28
    assert len(reasons) == 4


def test_it_delivers_only_valid_items_by_default():
    items = make(rate_per_hour=60, backfill_days=5, max_items=100_000).fetch(cursor=None).mentions
    for m in items:
        mention_validate(m, now=NOW)


def test_it_breaks_the_same_items_every_time():
    a = make(malformed_rate=0.3, backfill_days=1).fetch(cursor=None).mentions
    clear_caches()
    b = make(malformed_rate=0.3, backfill_days=1).fetch(cursor=None).mentions
    assert [repr(m) for m in a] == [repr(m) for m in b]


def test_it_stays_pure():
    # No ORM, no Django settings: a third party could ship an adapter shaped like this one. In a
    # fresh interpreter where Django, Celery and Dengar's apps cannot be imported at all, the
    # adapter (without the Celery app of `workers/__init__`) still imports and fetches.
    code = textwrap.dedent(f"""
        import json, sys, types
        from importlib.abc import MetaPathFinder

        class Forbidden(MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in {{"django", "listening", "celery", "dashboard"}}:
                    raise ImportError(f"{{name}} may not be imported here")
                return None

        sys.meta_path.insert(0, Forbidden())
        package = types.ModuleType("workers")
        package.__path__ = [{str(Path(mock_module.__file__).parents[2])!r}]
        sys.modules["workers"] = package
        from datetime import UTC, datetime
        from workers.adapters.mock.adapter import MockAdapter
        adapter = MockAdapter({{"seed": 3, "backfill_days": 1, "rate_per_hour": 30,
                               "business": "coffee"}},
                              clock=lambda: datetime(2025, 6, 1, 12, tzinfo=UTC))
        fetched = adapter.fetch(cursor=None).mentions
        print(json.dumps({{"fetched": len(fetched)}}))
    """)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["fetched"] > 0


def test_the_import_guard_of_the_purity_test_can_fail():
    # The canary: the same guard does stop an import of Django.
    code = textwrap.dedent("""
        import sys
        from importlib.abc import MetaPathFinder

        class Forbidden(MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] == "django":
                    raise ImportError(name)
                return None

        sys.meta_path.insert(0, Forbidden())
        import django.conf
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "ImportError" in result.stderr


def test_it_feeds_the_pipeline_with_threads_the_brand_answered(world):
    factories.BrandAccountFactory(brand=world.acme_brand, handle="acme_care")
    source = world.acme_source
    source.config = {"seed": 7, "scenario": "steady", "backfill_days": 2, "rate_per_hour": 30}
    source.save(update_fields=["config"])
    with tenant_scope(world.acme):
        outcome = source_poll_once(source=source)
    assert outcome.error == ""
    assert outcome.report is not None
    assert outcome.report.stored > 500
    assert outcome.report.rejected == 0
    stored = Mention.all_tenants.filter(tenant=world.acme, source=source)
    replies = stored.filter(is_brand_reply=True)
    assert replies.exists()
    assert not replies.exclude(author_handle="acme_care").exists()
    assert stored.filter(is_complaint=True, answered_at__isnull=False).exists()
