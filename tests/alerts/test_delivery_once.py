"""At-least-once, not more than needed: one delivery id for every attempt, a slow receiver is not
a failure, no attempt is made twice by copies of a task, a long wait is not left to the broker."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

import pytest
from django.utils import timezone

from listening.models import AlertDelivery
from listening.services.alert_delivery import alert_delivery_attempt, deliveries_requeue_lost
from tests.alerts.test_delivery import open_decline, webhook
from workers.tasks.alerts import alert_deliver

pytestmark = pytest.mark.django_db


class Retried(Exception):
    pass


def record_retries(monkeypatch):
    """The countdowns ``alert_deliver`` asks Celery to retry with."""
    countdowns = []

    def retry(**kwargs):
        countdowns.append(kwargs["countdown"])
        return Retried()

    monkeypatch.setattr(alert_deliver, "retry", retry)
    return countdowns


def verifies(request, secret):
    headers = request["headers"]
    signed = f"{headers['X-Dengar-Timestamp']}.{request['body']}".encode()
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["X-Dengar-Signature"])


def test_every_attempt_of_a_notification_carries_the_same_signed_delivery_id(
        world, now, eager, receiver, django_capture_on_commit_callbacks):
    receiver.script = [(503, {}), (200, {})]
    webhook(world, receiver, secret="s3cret")
    alert = open_decline(world, now, django_capture_on_commit_callbacks)
    delivery = AlertDelivery.all_tenants.get(alert=alert)

    first, second = receiver.requests
    assert first["headers"]["X-Dengar-Delivery"] == second["headers"]["X-Dengar-Delivery"] == f"dlv_{delivery.pk}"
    assert [r["headers"]["X-Dengar-Attempt"] for r in receiver.requests] == ["1", "2"]
    # The id is in the signed body too, so a receiver can trust what it deduplicates by.
    for request in receiver.requests:
        assert verifies(request, "s3cret")
        assert request["json"]["delivery"]["id"] == request["headers"]["X-Dengar-Delivery"]
    assert [r["json"]["delivery"]["attempt"] for r in receiver.requests] == [1, 2]


def test_another_alerts_notification_has_another_delivery_id(world, now, eager, receiver,
                                                             django_capture_on_commit_callbacks):
    webhook(world, receiver)
    webhook(world, receiver, name="second")
    open_decline(world, now, django_capture_on_commit_callbacks)
    ids = [r["headers"]["X-Dengar-Delivery"] for r in receiver.requests]
    assert len(ids) == 2
    assert len(set(ids)) == 2


def test_a_copy_of_a_task_whose_attempt_was_made_sends_nothing(world, now, receiver,
                                                               django_capture_on_commit_callbacks):
    webhook(world, receiver)
    alert = open_decline(world, now, django_capture_on_commit_callbacks)  # not eager: queued only
    delivery = AlertDelivery.all_tenants.get(alert=alert)
    receiver.script = [(503, {})]
    first = alert_delivery_attempt(delivery_id=delivery.pk, attempt=1, now=now)
    assert (first.retry_in, first.next_attempt) == (30, 2)

    # The broker hands the first task to a second worker (a redelivery): its attempt was made
    # and its retry is scheduled, so it must not send a second copy now.
    again = alert_delivery_attempt(delivery_id=delivery.pk, attempt=1, now=now + timedelta(seconds=5))
    assert again.status == "stale"
    assert len(receiver.requests) == 1

    # The retry itself goes out, once, however many copies of it run.
    later = now + timedelta(seconds=31)
    assert alert_delivery_attempt(delivery_id=delivery.pk, attempt=2, now=later).status == "sent"
    assert alert_delivery_attempt(delivery_id=delivery.pk, attempt=2, now=later).status == "sent"
    assert len(receiver.requests) == 2


def test_a_retry_longer_than_the_brokers_visibility_timeout_waits_in_the_database(
        world, now, eager, receiver, settings, monkeypatch, django_capture_on_commit_callbacks):
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 600}
    webhook(world, receiver)
    countdowns = record_retries(monkeypatch)
    receiver.script = [(429, {"Retry-After": "3600"})]
    alert = open_decline(world, now, django_capture_on_commit_callbacks)  # the first attempt
    delivery = AlertDelivery.all_tenants.get(alert=alert)
    alert_deliver.run(delivery.pk, attempt=1)  # and a copy of its task

    # Queued with an ETA an hour away, Redis would hand the task to a second worker after 600 s:
    # no task is queued for it at all.
    assert countdowns == []
    delivery.refresh_from_db()
    due = delivery.next_attempt_at
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert due - timezone.now() >= timedelta(seconds=3590)
    assert len(receiver.requests) == 1

    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert deliveries_requeue_lost(now=due - timedelta(minutes=1)) == 0
    assert queued == []
    # Once it is due, the sweep queues it: sent once.
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_requeue_lost(now=due + timedelta(minutes=2)) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert len(receiver.requests) == 2
    assert receiver.requests[0]["headers"]["X-Dengar-Delivery"] == receiver.requests[1]["headers"]["X-Dengar-Delivery"]


def test_a_retry_countdown_stays_below_the_visibility_timeout(
        world, now, receiver, settings, monkeypatch, django_capture_on_commit_callbacks):
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 100}
    webhook(world, receiver)
    alert = open_decline(world, now, django_capture_on_commit_callbacks)
    delivery = AlertDelivery.all_tenants.get(alert=alert)
    countdowns = record_retries(monkeypatch)
    receiver.script = [(503, {}), (503, {})]
    with pytest.raises(Retried):
        alert_deliver.run(delivery.pk, attempt=1)  # backoff 30 s: a task with a countdown
    assert countdowns == [30]
    AlertDelivery.all_tenants.filter(pk=delivery.pk).update(next_attempt_at=now)
    alert_deliver.run(delivery.pk, attempt=2)  # backoff 60 s: more than half of 100 s
    assert countdowns == [30]


@pytest.mark.slow  # waits out an 11-second answer
def test_a_receiver_that_answers_after_eleven_seconds_gets_the_alert_once(
        world, now, eager, receiver, django_capture_on_commit_callbacks):
    receiver.think_seconds = 11  # longer than the 10 s timeout of the first version
    webhook(world, receiver)
    alert = open_decline(world, now, django_capture_on_commit_callbacks)
    delivery = AlertDelivery.all_tenants.get(alert=alert)
    assert (delivery.status, delivery.attempts) == ("sent", 1)
    assert len(receiver.requests) == 1


def test_a_receiver_that_trickles_its_answer_is_cut_off_at_the_deadline(
        world, now, receiver, settings, django_capture_on_commit_callbacks):
    settings.DENGAR = {**settings.DENGAR, "ALERT_WEBHOOK_DEADLINE_SECONDS": 2,
                       "ALERT_WEBHOOK_READ_TIMEOUT_SECONDS": 1.5}
    receiver.trickle_seconds = 0.3  # a byte every 0.3 s: no single read ever times out
    webhook(world, receiver)
    alert = open_decline(world, now, django_capture_on_commit_callbacks)  # not eager: queued only
    delivery = AlertDelivery.all_tenants.get(alert=alert)

    outcome = alert_delivery_attempt(delivery_id=delivery.pk, now=now)

    assert (outcome.status, outcome.retry_in) == ("pending", 30)
    delivery.refresh_from_db()
    assert "deadline" in delivery.last_error
