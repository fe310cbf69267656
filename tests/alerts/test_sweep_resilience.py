"""The sweep survives what it finds: a surge from nothing (an infinite relative change) is stored
and sent as JSON, and one tenant's failure costs only that tenant's alerts."""

from __future__ import annotations

import json
import math
from datetime import timedelta

import numpy as np
import pytest

from listening.jsonsafe import json_dumps, json_safe
from listening.models import Alert, AlertChannel
from listening.models.alerts import AlertStatus
from listening.services.alert_sweep import flags_sweep
from listening.services.alerts import Condition, alerts_sync
from tests import factories
from tests.alerts.conftest import HOURS, add_rollups, rhythm
from workers.tasks.alerts import alerts_sweep

pytestmark = pytest.mark.django_db


def numbers_in(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from numbers_in(v)
    elif isinstance(value, list):
        for v in value:
            yield from numbers_in(v)
    elif isinstance(value, float):
        yield value


def strict_loads(text):
    """json.loads that refuses Infinity and NaN, as PostgreSQL and most receivers do."""
    def refuse(constant):
        raise ValueError(f"{constant} is not JSON")
    return json.loads(text, parse_constant=refuse)


def live(tenant):
    return list(Alert.all_tenants.filter(tenant=tenant).exclude(status=AlertStatus.RESOLVED))


def test_a_surge_where_nothing_was_expected_opens_an_alert_with_finite_figures(world, now):
    # 35 quiet days, then a burst: the expected count is 0, so the relative change is infinite.
    counts = np.r_[np.zeros(HOURS - 3), [30, 30, 30]]
    add_rollups(source=world.acme_source, brand=world.acme_brand, counts=counts, now=now)
    add_rollups(source=world.globex_source, brand=world.globex_brand, counts=rhythm(9, seed=3), now=now)

    flags_sweep(now=now)  # PostgreSQL refused the whole sweep here: Token "Infinity" is invalid

    [alert] = live(world.acme)
    alert.refresh_from_db()
    assert alert.kind == "surge"
    assert alert.data["expected"] == 0
    assert alert.data["relative_change"] is None
    # Whatever the database accepts (SQLite takes Infinity), no non-finite number is stored.
    assert all(math.isfinite(n) for n in numbers_in(alert.data))
    assert "inf" not in alert.explanation
    assert "where none were expected: from none to 30." in alert.explanation


def test_a_webhook_never_carries_a_non_finite_number(world, now, eager, receiver,
                                                     django_capture_on_commit_callbacks):
    AlertChannel.all_tenants.create(tenant=world.acme, name="hook", kind="webhook", target=receiver.url)
    surge = Condition(key="surge:tenant", kind="surge", title="Mentions of Acme are surging",
                      explanation="90 mentions where none were expected.",
                      data={"observed": 90.0, "expected": 0.0, "relative_change": math.inf,
                            "top_source": {"expected": math.nan}})
    with django_capture_on_commit_callbacks(execute=True):
        alerts_sync(conditions={world.acme.pk: [surge]}, tenants=[world.acme], kinds=["surge"], now=now)

    [request] = receiver.requests
    payload = strict_loads(request["body"])
    assert payload["alert"]["data"]["relative_change"] is None
    assert payload["alert"]["data"]["top_source"] == {"expected": None}


def test_one_tenants_failure_leaves_the_others_their_alerts(world, now, monkeypatch, caplog):
    from listening.services import alert_sweep

    for source, brand in ((world.acme_source, world.acme_brand), (world.globex_source, world.globex_brand),
                          (world.initech_source, world.initech_brand)):
        factories.MentionFactory(source=source, brand=brand, is_complaint=True,
                                 published_at=now - timedelta(days=10))
    real = alert_sweep.overdue_cutoff

    def broken_for_globex(*, tenant, now):
        if tenant.slug == "globex":
            raise RuntimeError("globex's business hours are corrupt")
        return real(tenant=tenant, now=now)

    monkeypatch.setattr(alert_sweep, "overdue_cutoff", broken_for_globex)

    report = flags_sweep(now=now)

    assert [a.key for a in live(world.acme)] == ["unanswered:tenant"]
    assert [a.key for a in live(world.initech)] == ["unanswered:tenant"]
    assert live(world.globex) == []
    assert report.failed == ["globex"]
    assert "globex" in caplog.text
    assert "globex's business hours are corrupt" in caplog.text


def test_the_beat_task_reports_the_tenants_that_failed(world, now, monkeypatch):
    from listening.services import alert_sweep

    def broken(*, tenant, now):
        raise RuntimeError("broken")

    monkeypatch.setattr(alert_sweep, "overdue_cutoff", broken)
    result = alerts_sweep.run()
    assert result["failed"] == 3


def test_json_safe_turns_every_non_finite_number_into_null():
    value = {"a": math.inf, "b": [-math.inf, np.float64("nan"), np.int64(3)], 4: (1.5, np.array([2.0, np.inf]))}
    assert json_safe(value) == {"a": None, "b": [None, None, 3], "4": [1.5, [2.0, None]]}
    assert strict_loads(json_dumps(value)) == json_safe(value)
