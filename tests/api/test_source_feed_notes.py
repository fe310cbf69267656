"""The sources API says what a feed's adapter noticed, in the same words as the tenant page."""

from __future__ import annotations

import pytest

from listening.models import Source

pytestmark = pytest.mark.django_db

URL = "/api/v1/tenants/acme/sources/"


def test_a_sources_feed_notes_are_in_the_api(world, api_client_for):
    Source.all_tenants.filter(pk=world.acme_source.pk).update(
        cursor={"seen": [], "health": {"items": 4, "zoneless": 4, "undated": 1}})
    body = api_client_for(world.viewer).get(f"{URL}{world.acme_source.pk}/").json()
    assert body["feed_notes"] == [
        "This feed's dates have no time zone: Dengar reads them as UTC.",
        "1 item had no date: it is dated when Dengar first saw it.",
    ]
    assert "cursor" not in body


def test_a_source_with_nothing_noticed_has_no_notes(world, api_client_for):
    assert api_client_for(world.viewer).get(f"{URL}{world.acme_source.pk}/").json()["feed_notes"] == []
