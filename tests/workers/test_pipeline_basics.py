from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from listening.models import Mention, VolumeHourly
from listening.services.ingestion import StaleCursor, mentions_ingest
from workers.adapters.base import RawMention


def raw(i: int, text: str = "acme still broken, refund please??", **kw) -> RawMention:
    base = dict(external_id=f"x{i}", text=text, published_at=timezone.now() - timedelta(hours=3),
                author_handle=f"cust{i}", platform="mock")
    base.update(kw)
    return RawMention(**base)


def test_it_stores_a_batch_and_moves_the_cursor(world):
    report = mentions_ingest(source=world.acme_source, batch=[raw(1), raw(2)],
                             expected_cursor=None, next_cursor={"n": 2})
    assert report.stored == 2
    world.acme_source.refresh_from_db()
    assert world.acme_source.cursor == {"n": 2}
    assert Mention.all_tenants.filter(tenant=world.acme).count() == 2
    assert VolumeHourly.all_tenants.get(tenant=world.acme).mentions == 2


def test_it_stores_nothing_twice(world):
    mentions_ingest(source=world.acme_source, batch=[raw(1)], expected_cursor=None, next_cursor=1)
    with pytest.raises(StaleCursor):
        mentions_ingest(source=world.acme_source, batch=[raw(1)], expected_cursor=None, next_cursor=1)
    report = mentions_ingest(source=world.acme_source, batch=[raw(1), raw(2)], expected_cursor=1,
                             next_cursor=2)
    assert (report.stored, report.duplicates) == (1, 1)
    assert Mention.all_tenants.filter(tenant=world.acme).count() == 2


def test_it_drops_malformed_items_with_reasons_and_keeps_the_rest(world):
    batch = [
        raw(1),
        raw(2, external_id=""),
        raw(3, published_at="yesterday-ish"),
        raw(4, text="x" * 20_000),
        raw(5, text=b"\xff\xfe broken"),
        raw(6, text="bad \udcff surrogate"),
        raw(7, published_at=datetime(2020, 1, 1, tzinfo=UTC)),
    ]
    report = mentions_ingest(source=world.acme_source, batch=batch, expected_cursor=None,
                             next_cursor=1)
    assert report.stored == 2
    assert report.rejected == 5
    world.acme_source.refresh_from_db()
    assert world.acme_source.items_rejected == 5
    assert "external_id is missing" in world.acme_source.last_rejection
