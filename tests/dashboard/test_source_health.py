"""A source's health on the tenant page says in words what its adapter noticed about the feed."""

from __future__ import annotations

import pytest

from listening.models import Source

pytestmark = pytest.mark.django_db


def test_the_tenant_page_shows_a_feeds_health_in_words(world, client_for):
    Source.all_tenants.filter(pk=world.acme_source.pk).update(
        cursor={"seen": [], "health": {"items": 20, "undated": 12, "without_id": 1}})
    body = client_for(world.viewer).get("/t/acme/").content.decode()
    assert "12 items had no date: each is dated when Dengar first saw it." in body
    assert "1 item had neither an id nor a link: Dengar recognises it by its content." in body


def test_a_source_whose_adapter_noticed_nothing_shows_no_note(world, client_for):
    body = client_for(world.viewer).get("/t/acme/").content.decode()
    assert "data-feed-note" not in body
