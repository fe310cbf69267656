"""Delivery: signed webhooks to a real local server, Slack payloads, retries, email."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

import pytest
from django.core import mail

from listening.models import Alert, AlertChannel, AlertDelivery
from listening.scoping import current_tenant_or_none, tenant_scope
from listening.services import alert_delivery
from listening.services.alert_delivery import alert_delivery_attempt, deliveries_requeue_lost
from listening.services.alerts import Condition, alert_resolve, alerts_sync

pytestmark = pytest.mark.django_db

DECLINE = Condition(key="decline:tenant", kind="decline", title="Mentions of Acme are falling",
                    explanation="120 mentions over the last 8.0 h against 300 expected.",
                    severity="critical", data={"observed": 120.0})


def open_decline(world, now, captured):
    with captured(execute=True):
        alerts_sync(conditions={world.acme.pk: [DECLINE]}, tenants=[world.acme],
                    kinds=["decline"], now=now)
    return Alert.all_tenants.get(tenant=world.acme, key="decline:tenant")


def webhook(world, receiver, **kw):
    return AlertChannel.all_tenants.create(tenant=world.acme, name=kw.pop("name", "hook"),
                                           kind="webhook", target=receiver.url, **kw)


def test_the_receiver_verifies_the_webhook_signature(
    world, now, eager, receiver, django_capture_on_commit_callbacks
):
    webhook(world, receiver, secret="s3cret")
    alert = open_decline(world, now, django_capture_on_commit_callbacks)

    [request] = receiver.requests
    timestamp = request["headers"]["X-Dengar-Timestamp"]
    expected = "sha256=" + hmac.new(b"s3cret", f"{timestamp}.{request['body']}".encode(),
                                    hashlib.sha256).hexdigest()
    assert hmac.compare_digest(request["headers"]["X-Dengar-Signature"], expected)
    assert request["json"]["event"] == "alert.opened"
    assert request["json"]["tenant"] == "acme"
    assert request["json"]["alert"]["id"] == alert.pk
    assert request["json"]["alert"]["explanation"] == DECLINE.explanation
    delivery = AlertDelivery.all_tenants.get(alert=alert)
    assert (delivery.status, delivery.attempts, delivery.event) == ("sent", 1, "opened")


def test_a_tampered_body_fails_verification(world, now, eager, receiver,
                                            django_capture_on_commit_callbacks):
    webhook(world, receiver, secret="s3cret")
    open_decline(world, now, django_capture_on_commit_callbacks)
    [request] = receiver.requests
    timestamp = request["headers"]["X-Dengar-Timestamp"]
    forged = "sha256=" + hmac.new(b"s3cret", f"{timestamp}.{request['body']} ".encode(),
                                  hashlib.sha256).hexdigest()
    assert request["headers"]["X-Dengar-Signature"] != forged


def test_the_slack_payload_has_text_and_blocks(world, now, eager, receiver,
                                               django_capture_on_commit_callbacks):
    webhook(world, receiver, payload_format="slack")
    open_decline(world, now, django_capture_on_commit_callbacks)
    [request] = receiver.requests
    payload = request["json"]
    assert set(payload) == {"text", "blocks"}
    assert "Mentions of Acme are falling" in payload["text"]
    assert [b["type"] for b in payload["blocks"]] == ["header", "section", "context"]
    assert payload["blocks"][1]["text"] == {"type": "mrkdwn", "text": DECLINE.explanation}
    assert "X-Dengar-Signature" not in request["headers"]  # no secret, no signature


def test_a_500_is_retried_and_then_delivered(world, now, eager, receiver,
                                             django_capture_on_commit_callbacks):
    receiver.script = [(500, {})]
    webhook(world, receiver, secret="s")
    alert = open_decline(world, now, django_capture_on_commit_callbacks)
    assert len(receiver.requests) == 2
    delivery = AlertDelivery.all_tenants.get(alert=alert)
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 2, "")


def test_a_delivery_is_attempted_in_its_alerts_tenants_scope(world, now, receiver, monkeypatch,
                                                             django_capture_on_commit_callbacks):
    webhook(world, receiver)
    alert = open_decline(world, now, django_capture_on_commit_callbacks)  # not eager: queued only
    delivery = AlertDelivery.all_tenants.get(alert=alert)
    scopes = []
    monkeypatch.setattr(alert_delivery, "deliver", lambda **kw: scopes.append(current_tenant_or_none()))
    assert current_tenant_or_none() is None
    assert alert_delivery_attempt(delivery_id=delivery.pk, now=now).status == "sent"
    assert scopes == [world.acme]
    assert current_tenant_or_none() is None


def test_backoff_doubles_honours_retry_after_and_gives_up(world, now, receiver, settings,
                                                          django_capture_on_commit_callbacks):
    settings.DENGAR = {**settings.DENGAR, "ALERT_DELIVERY_MAX_ATTEMPTS": 3}
    webhook(world, receiver)
    alert = open_decline(world, now, django_capture_on_commit_callbacks)  # not eager: queued only
    delivery = AlertDelivery.all_tenants.get(alert=alert)
    receiver.script = [(503, {}), (429, {"Retry-After": "120"}), (502, {})]

    first = alert_delivery_attempt(delivery_id=delivery.pk, now=now)
    assert (first.status, first.retry_in) == ("pending", 30)
    second = alert_delivery_attempt(delivery_id=delivery.pk, now=now)
    assert second.retry_in == 120
    third = alert_delivery_attempt(delivery_id=delivery.pk, now=now)
    assert third.status == "failed"
    assert third.retry_in is None
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    assert "HTTP 502" in delivery.last_error
    # A failed delivery is not tried again.
    assert alert_delivery_attempt(delivery_id=delivery.pk, now=now).status == "failed"
    assert len(receiver.requests) == 3


def test_a_4xx_other_than_429_is_not_retried(world, now, receiver,
                                             django_capture_on_commit_callbacks):
    webhook(world, receiver)
    alert = open_decline(world, now, django_capture_on_commit_callbacks)
    receiver.script = [(404, {})]
    delivery = AlertDelivery.all_tenants.get(alert=alert)
    assert alert_delivery_attempt(delivery_id=delivery.pk, now=now).status == "failed"


def test_an_unreachable_webhook_is_retried(world, now, django_capture_on_commit_callbacks):
    AlertChannel.all_tenants.create(tenant=world.acme, name="down", kind="webhook",
                                    target="http://127.0.0.1:9/nothing-listens")
    alert = open_decline(world, now, django_capture_on_commit_callbacks)
    delivery = AlertDelivery.all_tenants.get(alert=alert)
    outcome = alert_delivery_attempt(delivery_id=delivery.pk, now=now)
    assert outcome.status == "pending"
    assert outcome.retry_in == 30


def test_email_is_sent_on_opening_and_on_resolution(world, now, eager, settings,
                                                    django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    AlertChannel.all_tenants.create(tenant=world.acme, name="ops", kind="email",
                                    target="ops@acme.example, boss@acme.example")
    alert = open_decline(world, now, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.to == ["ops@acme.example", "boss@acme.example"]
    assert "Mentions of Acme are falling" in message.subject
    assert DECLINE.explanation in message.body

    with django_capture_on_commit_callbacks(execute=True), tenant_scope(world.acme):
        alert_resolve(alert=alert, user=world.owner)
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject.startswith("[Dengar · Acme] Resolved")
    assert sorted(AlertDelivery.all_tenants.values_list("event", "status")) == [
        ("opened", "sent"), ("resolved", "sent")]


def test_a_channel_gets_only_the_kinds_it_asked_for(world, now, eager, receiver,
                                                    django_capture_on_commit_callbacks):
    webhook(world, receiver, events=["unanswered"])
    webhook(world, receiver, name="inactive", active=False)
    open_decline(world, now, django_capture_on_commit_callbacks)
    assert receiver.requests == []
    assert not AlertDelivery.all_tenants.exists()


def test_a_second_sweep_sends_nothing_new(world, now, eager, receiver,
                                          django_capture_on_commit_callbacks):
    webhook(world, receiver)
    open_decline(world, now, django_capture_on_commit_callbacks)
    open_decline(world, now, django_capture_on_commit_callbacks)
    assert len(receiver.requests) == 1


def test_a_delivery_whose_task_was_lost_is_queued_again(world, now, eager, receiver,
                                                         django_capture_on_commit_callbacks):
    webhook(world, receiver)
    # The sweep's transaction commits but the broker loses the task: nothing is sent.
    with django_capture_on_commit_callbacks(execute=False):
        alerts_sync(conditions={world.acme.pk: [DECLINE]}, tenants=[world.acme],
                    kinds=["decline"], now=now)
    delivery = AlertDelivery.all_tenants.get(alert__tenant=world.acme)
    assert delivery.status == "pending"
    assert receiver.requests == []

    # Not yet: a task may simply be waiting in a busy queue.
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_requeue_lost(now=now + timedelta(minutes=5)) == 0
    later = now + timedelta(minutes=16)
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_requeue_lost(now=later) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 1)
    assert len(receiver.requests) == 1
    # Sent deliveries are never queued again.
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_requeue_lost(now=later + timedelta(hours=2)) == 0
    assert len(receiver.requests) == 1


def test_a_delivery_waiting_for_its_retry_is_not_queued_again(world, now, receiver,
                                                              django_capture_on_commit_callbacks):
    webhook(world, receiver)
    alert = open_decline(world, now, django_capture_on_commit_callbacks)  # not eager: queued only
    delivery = AlertDelivery.all_tenants.get(alert=alert)
    receiver.script = [(429, {"Retry-After": "3600"})]
    # Longer than a broker may hold a task: no task, the sweep queues it when due.
    outcome = alert_delivery_attempt(delivery_id=delivery.pk, now=now)
    assert (outcome.status, outcome.retry_in) == ("pending", None)
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == now + timedelta(seconds=3600)
    # Its retry is due in an hour: half an hour in, it is not lost.
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert deliveries_requeue_lost(now=now + timedelta(minutes=30)) == 0
    assert queued == []
