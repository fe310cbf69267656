"""Answering from Dengar through the mock source: the reply goes nowhere, under an id in the mock's
own shape that none of the mock's own deliveries has, so no poll stores it twice or rewrites it; a
configured marker in the text makes the platform refuse the reply, which changes nothing but the
attempt."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from listening.models import Mention, OutgoingReply, ReplyStatus
from listening.models.mentions import ComplaintStatus
from listening.scoping import tenant_scope
from listening.services.replies import mention_reply_send, reply_supported
from listening.services.sources import source_create, source_poll_once
from tests import factories
from workers.adapters.base import PermanentAdapterError, TransientAdapterError
from workers.adapters.mock import adapter as mock_module
from workers.adapters.mock.adapter import MockAdapter, clear_caches
from workers.adapters.mock.generator import PlannedReply, SlotGenerator
from workers.adapters.mock.scenarios import SLOT_SECONDS, max_reply_delay

NOW = datetime(2025, 6, 1, 12, 2, 30, tzinfo=UTC)
ANCHOR = "2025-06-01T12:00:00+00:00"
CONFIG: dict[str, Any] = {"seed": 7, "scenario": "steady", "anchor": ANCHOR, "rate_per_hour": 120.0,
                          "backfill_days": 0.25}


@pytest.fixture(autouse=True)
def _cold_caches() -> Any:
    clear_caches()
    yield
    clear_caches()


def make(clock: datetime = NOW, **config: Any) -> MockAdapter:
    return MockAdapter(MockAdapter.config_schema.validate({**CONFIG, **config}), clock=lambda: clock)


def planned_replies(adapter: MockAdapter, *, hours_back: float = 6) -> list[PlannedReply]:
    """The brand replies the mock plans for complaints of the last ``hours_back`` hours before NOW."""
    generator = SlotGenerator(
        seed=CONFIG["seed"], scenario=CONFIG["scenario"], brand="Acme", brand_handle=adapter.brand_handle,
        rate_per_hour=CONFIG["rate_per_hour"], anchor=datetime.fromisoformat(ANCHOR).timestamp(),
    )
    now_slot = int(NOW.timestamp()) // SLOT_SECONDS
    first = now_slot - int(hours_back * 3600) // SLOT_SECONDS
    return [p for slot in range(first, now_slot) for p in generator.skeleton(slot).replies]


def still_to_come(adapter: MockAdapter) -> PlannedReply:
    return next(p for p in planned_replies(adapter) if p.at > NOW.timestamp())


def test_the_mock_can_reply(no_network: None) -> None:
    assert reply_supported(kind="mock")


def test_a_reply_gets_an_id_in_the_mocks_shape_that_its_own_deliveries_never_have(no_network: None) -> None:
    adapter = make()
    planned = still_to_come(adapter)
    posted = adapter.reply(to_external_id=planned.complaint_id, thread_external_id="", text="Sorry, on it")
    assert posted.startswith(f"{planned.complaint_id}-r-")
    later = make(clock=datetime.fromtimestamp(planned.at, UTC) + timedelta(seconds=2 * SLOT_SECONDS))
    delivered = later.fetch(cursor={"slot": int(NOW.timestamp()) // SLOT_SECONDS}).mentions
    # The mock's own answer to that complaint still comes, under another id.
    assert f"{planned.complaint_id}-r" in {m.external_id for m in delivered}
    assert posted not in {m.external_id for m in delivered}


def test_the_same_text_to_the_same_mention_gets_the_same_id(no_network: None) -> None:
    adapter = make()
    posted = adapter.reply(to_external_id="7-5000-1", thread_external_id="", text="Anything else?")
    assert posted == make(seed=8).reply(to_external_id="7-5000-1", thread_external_id="7-5000-1",
                                        text="Anything else?")
    assert posted != adapter.reply(to_external_id="7-5000-1", thread_external_id="", text="Other text")
    assert posted != adapter.reply(to_external_id="7-5000-2", thread_external_id="", text="Anything else?")


def test_a_mention_without_an_id_cannot_be_answered(no_network: None) -> None:
    with pytest.raises(PermanentAdapterError):
        make().reply(to_external_id="", thread_external_id="", text="Hi")


def test_the_configured_marker_makes_the_platform_refuse_the_reply(no_network: None) -> None:
    adapter = make(reply_fail_marker="#FAIL")
    with pytest.raises(PermanentAdapterError, match="failure marker"):
        adapter.reply(to_external_id="7-5000-1", thread_external_id="", text="this one #fail please")
    assert adapter.reply(to_external_id="7-5000-1", thread_external_id="", text="this one goes out")
    assert make().reply(to_external_id="7-5000-1", thread_external_id="", text="this one #fail please")


def test_a_broken_collector_cannot_reply_either(no_network: None) -> None:
    with pytest.raises(TransientAdapterError):
        make(scenario="broken_collector").reply(to_external_id="7-5000-1", thread_external_id="", text="Hi")


def test_a_blank_marker_is_refused() -> None:
    with pytest.raises(ValueError, match="reply_fail_marker"):
        make(reply_fail_marker="  ")


# --- Through the reply service, with the mock source polled for real -------------------------------
@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """The mock platform's clock, which a test moves on."""
    now = [NOW]
    monkeypatch.setattr(mock_module, "_utcnow", lambda: now[0])
    return now


def poll(source: Any) -> None:
    with tenant_scope(source.tenant):
        while True:
            outcome = source_poll_once(source=source)
            assert outcome.error == ""
            source.refresh_from_db()
            if not outcome.has_more:
                return


def send(mention: Mention, actor: Any, text: str, key: str) -> OutgoingReply:
    """The service as a request calls it: in the tenant's scope."""
    with tenant_scope(mention.tenant):
        return mention_reply_send(mention=mention, actor=actor, text=text, idempotency_key=key)


def mock_source(world: Any, **config: Any) -> Any:
    factories.BrandAccountFactory.create(brand=world.acme_brand, handle="acme_care")
    return source_create(tenant=world.acme, name="Demo", kind="mock", brand=world.acme_brand,
                         config={**CONFIG, **config})


def open_complaint_answered_later(source: Any) -> Mention:
    """A stored open complaint that the mock's brand account answers after NOW."""
    adapter = make()
    later = {p.complaint_id for p in planned_replies(adapter) if p.at > NOW.timestamp()}
    return Mention.all_tenants.filter(source=source, external_id__in=later, is_complaint=True,
                                      complaint_status=ComplaintStatus.OPEN).earliest("published_at")


@pytest.mark.django_db
def test_a_reply_is_posted_once_answers_the_complaint_and_later_polls_leave_it_alone(
    world: Any, clock: list[datetime], no_network: None
) -> None:
    source = mock_source(world)
    poll(source)
    complaint = open_complaint_answered_later(source)
    sent = send(complaint, world.owner, "Sorry! A technician is on the way.", "k-mock-01")
    again = send(complaint, world.owner, "Sorry! A technician is on the way.", "k-mock-01")
    assert sent.status == ReplyStatus.SENT, sent.error
    assert again.pk == sent.pk
    assert OutgoingReply.all_tenants.filter(mention=complaint).count() == 1
    complaint.refresh_from_db()
    assert complaint.complaint_status == ComplaintStatus.ANSWERED

    # Every reply the mock planned for what is stored has landed.
    clock[0] = NOW + timedelta(seconds=max_reply_delay("steady") + 2 * SLOT_SECONDS)
    poll(source)
    replies = Mention.all_tenants.filter(source=source, parent_external_id=complaint.external_id,
                                         is_brand_reply=True).order_by("external_id")
    # The mock's own answer came as well, as another reply: the one sent was neither doubled nor rewritten.
    assert [(r.external_id, r.text, r.replied_by, r.edited_at) for r in replies] == [
        (f"{complaint.external_id}-r", replies[0].text, None, None),
        (sent.external_id, "Sorry! A technician is on the way.", world.owner, None),
    ]
    complaint.refresh_from_db()
    assert complaint.complaint_status == ComplaintStatus.ANSWERED


@pytest.mark.django_db
def test_a_refused_reply_changes_nothing_but_the_attempt(
    world: Any, clock: list[datetime], no_network: None
) -> None:
    source = mock_source(world, reply_fail_marker="[fail]")
    poll(source)
    complaint = open_complaint_answered_later(source)
    stored = Mention.all_tenants.filter(source=source).count()
    failed = send(complaint, world.owner, "We are on it [FAIL]", "k-mock-02")
    assert failed.status == ReplyStatus.FAILED
    assert "failure marker" in failed.error
    complaint.refresh_from_db()
    assert complaint.complaint_status == ComplaintStatus.OPEN
    assert Mention.all_tenants.filter(source=source).count() == stored

    retried = send(complaint, world.owner, "We are on it", "k-mock-03")
    assert retried.status == ReplyStatus.SENT, retried.error
    complaint.refresh_from_db()
    assert complaint.complaint_status == ComplaintStatus.ANSWERED
