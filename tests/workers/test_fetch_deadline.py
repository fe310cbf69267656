"""A feed that trickles its answer fails within the fetch's deadline, as a transient error shown on
the source's health: it never holds a worker for longer than that."""

from __future__ import annotations

import time

import pytest

from listening.services.sources import source_poll_once
from tests import factories
from tests.slowdrip import slow_drip_server
from workers.adapters.base import TransientAdapterError
from workers.adapters.rss.adapter import RssAdapter


@pytest.mark.parametrize("mode", ["body", "headers"])
def test_a_feed_sending_a_byte_a_second_fails_within_the_fetch_deadline(mode):
    with slow_drip_server(mode=mode, every=0.5) as drip:
        # A per-read timeout of 5 s is never tripped: a byte comes every half second.
        adapter = RssAdapter({"url": drip.url, "timeout_seconds": 5}, allow_private=True, deadline_seconds=2)
        started = time.monotonic()
        with pytest.raises(TransientAdapterError, match="did not arrive in full within 2 s"):
            adapter.fetch(cursor=None)
        took = time.monotonic() - started
    print(f"slow-drip feed ({mode}, a byte every 0.5 s): the fetch failed after {took:.2f} s (deadline 2 s)")
    assert drip.connections == 1
    assert took < 2 + 5  # the deadline, not a per-read timeout, nor the feed's end


def test_a_slow_drip_feed_is_a_transient_failure_on_the_sources_health(world, settings):
    settings.DENGAR = {**settings.DENGAR, "FEEDS_ALLOW_PRIVATE": True, "FEED_FETCH_DEADLINE_SECONDS": 1.5}
    with slow_drip_server(every=0.3) as drip:
        source = factories.SourceFactory(tenant=world.acme, name="Trickle", kind="rss", config={"url": drip.url})
        outcome = source_poll_once(source=source)
    source.refresh_from_db()
    assert "did not arrive in full within 1.5 s" in outcome.error
    assert (source.consecutive_failures, source.paused, source.claimed_until) == (1, False, None)
    assert "TransientAdapterError" in source.last_error
    assert source.next_poll_at > source.last_error_at
