"""Every list page costs the same number of queries for 3 mentions as for 30."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db

# Measured ceilings; raise them only with a reason.
# The mention list went from 12 to 15 as the complaint queue's workbench: the platforms and the
# tenant's members for the filters, the person's saved views, and the bulk action to undo.
MAX_QUERIES = {"/t/acme/": 16, "/t/acme/mentions/": 15, "/": 14}
# The portfolio runs the flags selector once per tenant; this is its price.
PORTFOLIO_QUERIES_PER_TENANT = 3


def add_mentions(world, n):
    for i in range(n):
        factories.MentionFactory(
            source=world.acme_source, brand=world.acme_brand, is_complaint=i % 2 == 0,
            published_at=timezone.now() - timedelta(hours=3 + i), lang="en",
        )


def count_queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", ["/t/acme/", "/t/acme/mentions/", "/"])
def test_list_pages_cost_the_same_for_3_and_30_mentions(
    client_for, world, django_assert_max_num_queries, path
):
    client = client_for(world.agency_user)
    add_mentions(world, 3)
    with django_assert_max_num_queries(MAX_QUERIES[path]):
        client.get(path)
    few = count_queries(client, path)
    add_mentions(world, 27)
    with django_assert_max_num_queries(MAX_QUERIES[path]):
        client.get(path)
    assert count_queries(client, path) == few


def test_the_portfolio_costs_a_constant_per_tenant(client_for, world):
    client = client_for(world.agency_user)
    two = count_queries(client, "/")
    factories.TenantFactory(agency=world.agency, name="Hooli", slug="hooli")
    assert count_queries(client, "/") == two + PORTFOLIO_QUERIES_PER_TENANT
