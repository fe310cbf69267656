"""response_metrics on a small set whose answers are worked out by hand."""

from __future__ import annotations

from datetime import timedelta

import pytest

from listening.models.mentions import ComplaintStatus as S
from listening.scoping import tenant_scope
from listening.selectors.response import percentile, response_metrics
from tests import factories
from tests.complaints.conftest import complaint, jakarta, office_hours

MIN = 60
MON = (2026, 11, 23)  # a Monday


def reply(world, parent, at):
    return factories.MentionFactory(source=world.acme_source, is_brand_reply=True, published_at=at,
                                    parent_external_id=parent.external_id, author_handle="acme_care")


@pytest.fixture
def hand_made(world):
    """Four complaints in Jakarta office hours, target 60 min:
    a: Mon 10:00, brand reply 10:30 (plain 30 min, business 30 min, within target)
    b: Mon 17:30, reply Tue 09:30 (plain 16 h, business 60 min, within target)
    c: Mon 11:00, reply 14:00 (plain 180 min, business 180 min, late); answered_at also set
    d: Mon 12:00, never answered
    plus noise: spam, a dismissed one, a brand reply, a non-complaint, one outside the window.
    """
    office_hours(world.acme, target=60)
    other = factories.SourceFactory(tenant=world.acme, name="Second")
    a = complaint(world, published_at=jakarta(*MON, 10))
    reply(world, a, jakarta(*MON, 10, 30))
    b = complaint(world, published_at=jakarta(*MON, 17, 30), source=other, brand=None)
    reply(world, b, jakarta(2026, 11, 24, 9, 30))
    c = complaint(world, published_at=jakarta(*MON, 11), answered_at=jakarta(*MON, 14))
    reply(world, c, jakarta(*MON, 14))
    reply(world, c, jakarta(*MON, 15))  # a second reply is not the first response
    complaint(world, published_at=jakarta(*MON, 12))
    complaint(world, published_at=jakarta(*MON, 12), is_spam=True)
    complaint(world, published_at=jakarta(*MON, 12), status=S.DISMISSED, is_complaint=False)
    factories.MentionFactory(source=world.acme_source, published_at=jakarta(*MON, 13))
    complaint(world, published_at=jakarta(2026, 11, 20, 12))
    return world


def metrics(*, tenant, **kwargs):
    """response_metrics as a request or a task calls it: inside the tenant's scope."""
    with tenant_scope(tenant):
        return response_metrics(tenant=tenant, **kwargs)


def window():
    return {"since": jakarta(*MON), "until": jakarta(2026, 11, 25)}


def test_percentiles_interpolate_between_ranks():
    assert percentile([], 0.5) is None
    assert percentile([3.0], 0.9) == 3.0
    assert percentile([1, 2, 3, 4], 0.5) == 2.5
    assert percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9) == pytest.approx(91)


def test_complaint_metrics_match_the_hand_count(hand_made):
    m = metrics(tenant=hand_made.acme, **window()).overall
    assert (m.count, m.answered) == (4, 3)
    assert m.response_rate == pytest.approx(3 / 4)
    # plain: 30 min, 180 min, 16 h -> median 180 min, p90 = 180 + 0.8 * (960 - 180) min
    assert m.median_seconds == 180 * MIN
    assert m.p90_seconds == pytest.approx((180 + 0.8 * 780) * MIN)
    # business: 30, 60, 180 min
    assert m.median_business_seconds == 60 * MIN
    assert m.p90_business_seconds == pytest.approx((60 + 0.8 * 120) * MIN)
    assert (m.within_target, m.within_target_share) == (2, pytest.approx(2 / 4))


def test_it_groups_by_source_and_by_brand(hand_made):
    by_source = metrics(tenant=hand_made.acme, group_by="source", **window()).groups
    assert [(g.label, g.count, g.answered) for g in by_source] == [("Acme mock", 3, 2), ("Second", 1, 1)]
    by_brand = metrics(tenant=hand_made.acme, group_by="brand", **window()).groups
    assert [(g.label, g.count) for g in by_brand] == [("Acme", 3), ("No brand", 1)]


def test_scope_all_covers_every_conversation_starter_and_its_first_brand_reply(hand_made):
    m = metrics(tenant=hand_made.acme, scope="all", **window()).overall
    # The four complaints, the spam one, the dismissed one and the plain mention; not the replies.
    assert (m.count, m.answered) == (7, 3)
    assert m.median_seconds == 180 * MIN


def test_a_manual_mark_counts_as_the_first_response_for_complaints(world):
    office_hours(world.acme, target=60)
    complaint(world, published_at=jakarta(*MON, 10), status=S.ANSWERED,
              answered_at=jakarta(*MON, 10, 20))
    m = metrics(tenant=world.acme, **window()).overall
    assert (m.answered, m.median_seconds) == (1, 20 * MIN)


def test_no_data_gives_counts_of_zero_and_no_figures(world):
    m = metrics(tenant=world.acme, since=jakarta(*MON), until=jakarta(*MON) + timedelta(days=1)).overall
    assert (m.count, m.response_rate, m.median_seconds, m.within_target_share) == (0, None, None, None)


def test_metrics_cost_two_queries_whatever_the_size(hand_made, django_assert_num_queries):
    with django_assert_num_queries(2):
        metrics(tenant=hand_made.acme, group_by="brand", **window())
