"""Feedback on alerts: stored with who and when, in the history, and the rule that makes a
brand's alerts less eager after "not useful" or "wrong" answers (and back after "useful")."""

from __future__ import annotations

from datetime import timedelta

import pytest

from listening.models import Alert, AlertEvent, Source
from listening.models.alerts import AlertFeedback, AlertStatus
from listening.scoping import TenantScopeMissing, tenant_scope
from listening.services.alert_feedback import (
    alert_feedback_give,
    feedback_steps,
    sensitivity_adjusted,
)
from listening.services.alert_sweep import flags_sweep
from tests.alerts.conftest import add_rollups, rhythm

pytestmark = pytest.mark.django_db

BASE = "/api/v1/tenants/acme"


def make_alert(tenant, key="decline:tenant", kind="decline", **kw):
    return Alert.all_tenants.create(tenant=tenant, kind=kind, key=key, title=f"About {key}",
                                    explanation="Fell a lot.", **kw)


# --- the API ---------------------------------------------------------------------------------


def test_an_analyst_gives_feedback_and_it_is_kept_with_who_and_when(world, api_client_for):
    alert = make_alert(world.acme)
    client = api_client_for(world.agency_user)  # an analyst of the agency
    answer = client.post(f"{BASE}/alerts/{alert.pk}/feedback/",
                         {"verdict": "wrong", "note": "a holiday, not a fall"}, format="json")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    [given] = body["feedback"]
    assert given["user"] == "agency"
    assert given["verdict"] == "wrong"
    assert given["note"] == "a holiday, not a fall"
    assert given["created_at"]
    assert body["history"][-1]["action"] == "feedback"
    assert body["history"][-1]["by"] == "agency"
    assert body["history"][-1]["note"] == "Wrong: a holiday, not a fall"

    # A second answer replaces the first verdict; the history keeps both.
    body = client.post(f"{BASE}/alerts/{alert.pk}/feedback/", {"verdict": "useful"},
                       format="json").json()
    assert [f["verdict"] for f in body["feedback"]] == ["useful"]
    assert [e["note"] for e in body["history"] if e["action"] == "feedback"] == [
        "Wrong: a holiday, not a fall", "Useful"]
    assert AlertFeedback.all_tenants.filter(alert=alert).count() == 1
    # The detail read by a viewer shows it too.
    detail = api_client_for(world.viewer).get(f"{BASE}/alerts/{alert.pk}/").json()
    assert detail["feedback"][0]["user"] == "agency"


def test_feedback_is_taken_on_a_resolved_alert_too(world, api_client_for):
    alert = make_alert(world.acme, status=AlertStatus.RESOLVED)
    answer = api_client_for(world.owner).post(f"{BASE}/alerts/{alert.pk}/feedback/",
                                              {"verdict": "not_useful"}, format="json")
    assert answer.status_code == 200
    assert AlertFeedback.all_tenants.get(alert=alert).verdict == "not_useful"


@pytest.mark.parametrize("payload", [
    {}, {"verdict": "meh"}, {"verdict": 1}, {"verdict": "useful", "note": "x" * 201},
    {"verdict": "useful", "note": 5}, {"verdict": None},
])
def test_bad_feedback_is_a_400_and_stores_nothing(world, api_client_for, payload):
    alert = make_alert(world.acme)
    answer = api_client_for(world.owner).post(f"{BASE}/alerts/{alert.pk}/feedback/", payload,
                                              format="json")
    assert answer.status_code == 400
    assert not AlertFeedback.all_tenants.exists()
    assert not AlertEvent.all_tenants.filter(action="feedback").exists()


def test_feedback_is_recorded_only_in_the_alerts_own_tenants_scope(world):
    alert = make_alert(world.acme)
    with tenant_scope(world.globex), pytest.raises(TenantScopeMissing):
        alert_feedback_give(alert=alert, user=world.owner, verdict="wrong")
    assert not AlertFeedback.all_tenants.exists()
    assert not AlertEvent.all_tenants.filter(action="feedback").exists()


def test_a_viewer_may_not_give_feedback_and_another_tenant_gets_404(world, api_client_for):
    alert = make_alert(world.acme)
    viewer = api_client_for(world.viewer)
    assert viewer.post(f"{BASE}/alerts/{alert.pk}/feedback/", {"verdict": "wrong"},
                       format="json").status_code == 403
    outsider = api_client_for(world.outsider)
    assert outsider.post(f"{BASE}/alerts/{alert.pk}/feedback/", {"verdict": "wrong"},
                         format="json").status_code == 404
    assert outsider.post(f"/api/v1/tenants/initech/alerts/{alert.pk}/feedback/",
                         {"verdict": "wrong"}, format="json").status_code == 404
    assert not AlertFeedback.all_tenants.exists()


# --- the rule --------------------------------------------------------------------------------


def answers(tenant, user_factory, key, verdicts, *, at):
    """One alert of ``key`` per verdict, each answered by a different person at ``at``."""
    kind = key.split(":", 1)[0]
    for verdict in verdicts:
        alert = make_alert(tenant, key=key, kind=kind, status=AlertStatus.RESOLVED)
        user = user_factory(username=f"person{AlertFeedback.all_tenants.count()}-{tenant.slug}")
        with tenant_scope(tenant):
            alert_feedback_give(alert=alert, user=user, verdict=verdict, now=at)


def test_three_negative_answers_on_a_brands_declines_raise_it_one_step(world, django_user_model, now):
    key = f"decline:brand:{world.acme_brand.pk}"
    make_user = django_user_model.objects.create
    answers(world.acme, make_user, key, ["wrong", "not_useful"], at=now)
    assert feedback_steps(tenant_ids=[world.acme.pk], now=now) == {}
    answers(world.acme, make_user, key, ["wrong"], at=now)
    assert feedback_steps(tenant_ids=[world.acme.pk], now=now) == {(world.acme.pk, key): 1}
    answers(world.acme, make_user, key, ["wrong"] * 3, at=now)
    assert feedback_steps(tenant_ids=[world.acme.pk], now=now) == {(world.acme.pk, key): 2}
    # Capped at two steps.
    answers(world.acme, make_user, key, ["wrong"] * 6, at=now)
    assert feedback_steps(tenant_ids=[world.acme.pk], now=now) == {(world.acme.pk, key): 2}


def test_useful_answers_take_the_step_back(world, django_user_model, now):
    key = "decline:tenant"
    make_user = django_user_model.objects.create
    answers(world.acme, make_user, key, ["wrong"] * 3, at=now)
    assert feedback_steps(tenant_ids=[world.acme.pk], now=now) == {(world.acme.pk, key): 1}
    answers(world.acme, make_user, key, ["useful"], at=now)
    assert feedback_steps(tenant_ids=[world.acme.pk], now=now) == {}


def test_only_the_last_30_days_of_answers_count(world, django_user_model, now):
    make_user = django_user_model.objects.create
    answers(world.acme, make_user, "decline:tenant", ["wrong"] * 3, at=now - timedelta(days=31))
    assert feedback_steps(tenant_ids=[world.acme.pk], now=now) == {}
    assert feedback_steps(tenant_ids=[world.acme.pk], now=now - timedelta(days=2)) == {
        (world.acme.pk, "decline:tenant"): 1}


def test_the_rule_keeps_kinds_and_tenants_apart(world, django_user_model, now):
    make_user = django_user_model.objects.create
    answers(world.acme, make_user, "unanswered:tenant", ["wrong"] * 3, at=now)
    answers(world.acme, make_user, "source_health:source:1", ["wrong"] * 3, at=now)
    answers(world.globex, make_user, "surge:tenant", ["not_useful"] * 3, at=now)
    answers(world.acme, make_user, "complaint_storm:tenant", ["wrong"] * 3, at=now)
    assert feedback_steps(tenant_ids=[world.acme.pk, world.globex.pk], now=now) == {
        (world.globex.pk, "surge:tenant"): 1, (world.acme.pk, "complaint_storm:tenant"): 1}


def test_a_step_moves_one_preset_and_never_past_low():
    assert sensitivity_adjusted("normal", 0) == "normal"
    assert sensitivity_adjusted("high", 1) == "normal"
    assert sensitivity_adjusted("high", 2) == "low"
    assert sensitivity_adjusted("normal", 2) == "low"
    assert sensitivity_adjusted("low", 1) == "low"


# --- the sweep follows the rule --------------------------------------------------------------


@pytest.fixture
def moderate_fall(world, now):
    """Acme's mentions a third down for the last 12 hours: a decline at the normal preset and
    at high, not at low."""
    Source.all_tenants.filter(pk=world.acme_source.pk).update(last_success_at=now)
    add_rollups(source=world.acme_source, brand=world.acme_brand,
                counts=rhythm(30, seed=3, drop_last=12, drop_to=0.65), now=now)


def decline_live(tenant):
    return Alert.all_tenants.filter(tenant=tenant, key="decline:tenant",
                                    status__in=("open", "acknowledged")).first()


def test_the_sweep_reads_a_brand_at_the_preset_its_feedback_gives(world, moderate_fall, now,
                                                                  django_user_model):
    make_user = django_user_model.objects.create
    world.acme.alert_cooldown_minutes = 0
    world.acme.save()
    flags_sweep(now=now)
    alert = decline_live(world.acme)
    assert alert is not None
    assert alert.data["sensitivity"] == "normal"

    # The team says three times that these declines were wrong: one step less sensitive (low),
    # at which this fall is not a decline; the alert clears.
    answers(world.acme, make_user, "decline:tenant", ["wrong"] * 3, at=now)
    flags_sweep(now=now + timedelta(minutes=5))
    alert.refresh_from_db()
    assert alert.status == "resolved"
    assert decline_live(world.acme) is None

    # A "useful" takes the step back: the same fall opens a decline again.
    answers(world.acme, make_user, "decline:tenant", ["useful"], at=now)
    flags_sweep(now=now + timedelta(minutes=10))
    again = decline_live(world.acme)
    assert again is not None
    assert again.data["feedback_steps"] == 0


def test_feedback_on_surges_leaves_the_declines_alone(world, moderate_fall, now, django_user_model):
    answers(world.acme, django_user_model.objects.create, "surge:tenant", ["wrong"] * 6, at=now)
    flags_sweep(now=now)
    assert decline_live(world.acme) is not None


def test_an_adjusted_alert_says_so(world, moderate_fall, now, django_user_model):
    world.acme.alert_sensitivity = "high"
    world.acme.save()
    answers(world.acme, django_user_model.objects.create, "decline:tenant", ["wrong"] * 3, at=now)
    flags_sweep(now=now)
    alert = decline_live(world.acme)
    assert alert is not None  # high, one step less: normal, which still finds this fall
    assert alert.data["sensitivity"] == "normal"
    assert alert.data["feedback_steps"] == 1
    assert "1 step(s) less sensitive" in alert.explanation
