"""Every figure is defined once (listening.figures): durations in the units that fit their size,
times in the tenant's zone with the zone, and the clock a response time is counted on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dashboard.templatetags.dengar import humanise
from listening import figures
from listening.analysis.volume.detector import VolumeAlert


@pytest.mark.parametrize(("seconds", "said"), [
    (None, "—"), (-5, "< 1 min"), (0, "< 1 min"), (59, "< 1 min"), (45 * 60, "45 min"),
    (3600, "1 h"), (200 * 60, "3 h 20 min"), (86400, "1 d"), (86400 + 250 * 60, "1 d 4 h"),
    # The alert that said "waited 839.4 h" beside a page saying "34 d 23 h": now both say this.
    (839.4 * 3600, "34 d 23 h"),
])
def test_a_duration_is_said_in_the_units_that_fit_its_size(seconds, said):
    assert figures.duration(seconds) == said


def test_the_pages_and_the_figures_use_the_same_duration():
    for minutes in (0, 7, 61, 1500, 50_000):
        assert humanise(timedelta(minutes=minutes)) == figures.duration(minutes * 60)


def test_a_time_is_shown_in_the_tenants_zone_with_the_zone():
    at = datetime(2026, 11, 27, 7, 5, tzinfo=UTC)
    assert figures.local_time(at, "Asia/Jakarta") == "27 Nov 2026 14:05 WIB"
    assert figures.local_time(at, "Asia/Jakarta", with_date=False) == "14:05 WIB"
    assert figures.local_time(at, "Asia/Kuala_Lumpur") == "27 Nov 2026 15:05 +08"


def test_an_unknown_zone_falls_back_to_utc_and_says_so():
    at = datetime(2026, 11, 27, 7, 5, tzinfo=UTC)
    assert figures.local_time(at, "Mars/Olympus") == "27 Nov 2026 07:05 UTC"
    assert figures.local_time(at, "") == "27 Nov 2026 07:05 UTC"


def test_each_clock_is_named():
    assert figures.clock_label(figures.BUSINESS_HOURS) == "in business hours"
    assert figures.clock_label(figures.WALL_CLOCK) == "wall-clock"


def test_a_volume_alert_states_its_window_as_a_duration():
    alert = VolumeAlert(kind="decline", direction="down", index=0, timestamp=None, observed=70,
                        expected=100, low=80, high=120, relative_change=-0.3,
                        persisted_hours=38.0, score=5.0)
    assert "over the last 1 d 14 h against 100 expected" in alert.explanation
