"""The demo's own scenarios, through the real pipeline (mock adapter, classifier, rollups, sweep):
Telko Nusantara's complaint storm raises a complaint-storm alert, a broken collector is flagged
from its first failed poll, and a steady tenant raises no storm."""

from __future__ import annotations

import pytest
from django.utils import timezone

from listening.models import Alert, Source
from listening.scoping import tenant_scope
from listening.services.alert_sweep import flags_sweep
from listening.services.sources import source_poll_once
from tests import factories
from workers.adapters import registry

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def mock_source(tenant, brand, *, scenario: str, seed: int, rate: float, anchor: str) -> Source:
    config = registry.validate_config("mock", {
        "seed": seed, "scenario": scenario, "brand": brand.name, "brand_handle": "brand_care",
        "rate_per_hour": rate, "anchor": anchor, "backfill_days": 35, "max_items": 5000,
    })
    return factories.SourceFactory.create(tenant=tenant, brand=brand, name=f"{scenario} (mock)",
                                          kind="mock", config=config)


def poll_until_caught_up(source: Source) -> None:
    with tenant_scope(source.tenant):
        for _ in range(50):
            outcome = source_poll_once(source=source)
            source.refresh_from_db()
            if outcome.error or source.claimed_until is None:
                return


def test_the_demo_storm_and_broken_collector_are_flagged_and_a_steady_tenant_is_not(world):
    anchor = timezone.now().replace(microsecond=0).isoformat()
    storm = mock_source(world.acme, world.acme_brand, scenario="complaint_storm", seed=11, rate=14.0,
                        anchor=anchor)
    broken = mock_source(world.acme, world.acme_brand, scenario="broken_collector", seed=35, rate=4.0,
                         anchor=anchor)
    steady = mock_source(world.globex, world.globex_brand, scenario="steady", seed=33, rate=10.0,
                         anchor=anchor)
    for source in (storm, broken, steady):
        poll_until_caught_up(source)

    flags_sweep(now=timezone.now())

    live = {a.key: a for a in Alert.all_tenants.filter(tenant=world.acme, status="open")}
    assert "complaint_storm:tenant" in live, live
    text = live["complaint_storm:tenant"].explanation
    assert "complaints in the last 24 h against usually about" in text
    assert live[f"source_health:source:{broken.pk}"].title == (
        "Source broken_collector (mock) has never collected anything")
    assert not Alert.all_tenants.filter(tenant=world.globex, kind="complaint_storm").exists()
