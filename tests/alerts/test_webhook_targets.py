"""With the default settings a webhook reaches only public addresses: private, loopback and
link-local targets are refused by the API and, whatever the API let through, at delivery."""

from __future__ import annotations

import ipaddress
import socket

import pytest

from listening.models import Alert, AlertChannel, AlertDelivery
from listening.services.alert_delivery import alert_delivery_attempt
from listening.services.alerts import Condition, alerts_sync
from listening.services.webhook_targets import address_forbidden, webhook_host_refusal
from workers.adapters import netguard

pytestmark = pytest.mark.django_db

BASE = "/api/v1/tenants/acme"
DECLINE = Condition(key="decline:tenant", kind="decline", title="Mentions of Acme are falling",
                    explanation="120 mentions over the last 8.0 h against 300 expected.")


@pytest.fixture
def private_refused(webhooks_may_reach_private, settings) -> None:
    settings.DENGAR = {**settings.DENGAR, "WEBHOOK_ALLOW_PRIVATE": False}


def local_targets(receiver) -> list[str]:
    port = receiver.server.server_address[1]
    return [receiver.url, f"http://[::1]:{port}/hook", f"http://localhost:{port}/hook",
            "http://10.1.2.3/hook", "http://169.254.169.254/latest/meta-data/",
            f"http://[::ffff:127.0.0.1]:{port}/hook", f"http://127.1:{port}/hook"]


def deliver_once(world, now, captured, target: str) -> AlertDelivery:
    AlertChannel.all_tenants.create(tenant=world.acme, name="hook", kind="webhook", target=target)
    with captured(execute=False):
        alerts_sync(conditions={world.acme.pk: [DECLINE]}, tenants=[world.acme],
                    kinds=["decline"], now=now)
    alert = Alert.all_tenants.get(tenant=world.acme, key="decline:tenant")
    delivery = AlertDelivery.all_tenants.get(alert=alert)
    alert_delivery_attempt(delivery_id=delivery.pk, now=now)
    delivery.refresh_from_db()
    return delivery


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1",
    "0.0.0.0", "224.0.0.1", "240.0.0.1", "::1", "::", "fe80::1", "fc00::1", "ff02::1",  # noqa: S104
    "::ffff:10.0.0.1", "::ffff:169.254.169.254",
])
def test_non_public_addresses_are_forbidden(address):
    assert address_forbidden(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111",
                                     "::ffff:8.8.8.8"])
def test_public_addresses_are_not(address):
    assert not address_forbidden(ipaddress.ip_address(address))


@pytest.mark.parametrize("target", [
    "http://127.0.0.1:8080/hook", "http://10.0.0.7/hook", "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/hook", "https://localhost/hook", "http://api.localhost/hook",
    "http://[::ffff:127.0.0.1]/hook", "http://2130706433/hook", "http://0x7f.1/hook",
])
def test_the_api_refuses_a_private_target_on_target(world, api_client_for, private_refused, target):
    response = api_client_for(world.owner).post(f"{BASE}/alert-channels/", {
        "name": "Internal", "kind": "webhook", "target": target}, format="json")
    assert response.status_code == 400
    [message] = response.json()["target"]
    assert "public addresses" in message
    assert not AlertChannel.all_tenants.exists()


def test_the_api_refuses_it_on_update_too(world, api_client_for, private_refused):
    channel = AlertChannel.all_tenants.create(tenant=world.acme, name="hook", kind="webhook",
                                              target="https://hooks.example.com/x")
    response = api_client_for(world.owner).patch(
        f"{BASE}/alert-channels/{channel.pk}/", {"target": "http://169.254.169.254/"}, format="json")
    assert response.status_code == 400
    assert "public addresses" in response.json()["target"][0]
    channel.refresh_from_db()
    assert channel.target == "https://hooks.example.com/x"


def test_the_api_accepts_public_targets_and_names(world, api_client_for, private_refused):
    client = api_client_for(world.owner)
    for name, target in (("a", "https://hooks.example.com/x"), ("b", "http://93.184.216.34/x"),
                         ("c", "https://[2606:4700::1111]/x")):
        response = client.post(f"{BASE}/alert-channels/", {
            "name": name, "kind": "webhook", "target": target}, format="json")
        assert response.status_code == 201, response.json()
    stored = AlertChannel.all_tenants.filter(tenant=world.acme).order_by("name")
    assert [(c.name, c.kind, c.target) for c in stored] == [
        ("a", "webhook", "https://hooks.example.com/x"), ("b", "webhook", "http://93.184.216.34/x"),
        ("c", "webhook", "https://[2606:4700::1111]/x"),
    ]


def test_the_api_accepts_private_targets_when_allowed(world, api_client_for):
    response = api_client_for(world.owner).post(f"{BASE}/alert-channels/", {
        "name": "Internal", "kind": "webhook", "target": "http://10.0.0.7/hook"}, format="json")
    assert response.status_code == 201, response.json()
    stored = AlertChannel.all_tenants.get(pk=response.json()["id"])
    assert (stored.tenant, stored.target) == (world.acme, "http://10.0.0.7/hook")


def test_the_refusal_names_the_address_however_it_is_spelt(private_refused):
    assert "127.0.0.1 is not a public address" in webhook_host_refusal("0x7f.1")
    assert "this server" in webhook_host_refusal("LOCALHOST.")
    assert webhook_host_refusal("hooks.example.com") is None


def test_delivery_refuses_private_targets_for_good_and_sends_nothing(
    world, now, receiver, private_refused, django_capture_on_commit_callbacks
):
    for target in local_targets(receiver):
        AlertChannel.all_tenants.all().delete()
        Alert.all_tenants.all().delete()
        delivery = deliver_once(world, now, django_capture_on_commit_callbacks, target)
        assert (delivery.status, delivery.attempts) == ("failed", 1), target
        assert "refused" in delivery.last_error
        assert "not a public address" in delivery.last_error
        assert alert_delivery_attempt(delivery_id=delivery.pk, now=now).status == "failed"
    assert receiver.requests == []


def test_delivery_refuses_a_name_with_any_private_address(
    world, now, private_refused, monkeypatch, django_capture_on_commit_callbacks
):
    def resolve(host, port, *args, **kwargs):
        assert host == "hooks.example.com"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))
                for ip in ("93.184.216.34", "10.9.8.7")]

    monkeypatch.setattr(netguard.socket, "getaddrinfo", resolve)
    delivery = deliver_once(world, now, django_capture_on_commit_callbacks,
                            "https://hooks.example.com/x")
    assert delivery.status == "failed"
    assert "hooks.example.com: not a public address" in delivery.last_error
    # The tenant is told the name is refused, not what it resolves to on the inside.
    assert "10.9.8.7" not in delivery.last_error


def test_delivery_connects_to_the_address_it_checked_not_to_a_second_lookup(
    world, now, receiver, private_refused, monkeypatch, django_capture_on_commit_callbacks
):
    # "rebind.test" answers 127.0.0.1 (taken as public here) once, then 10.255.255.1: a second
    # lookup at connection time would go there and time out; the pinned connection does not.
    port = receiver.server.server_address[1]
    real = socket.getaddrinfo
    answers = iter(["127.0.0.1"])

    def resolve(host, *args, **kwargs):
        if host != "rebind.test":
            return real(host, *args, **kwargs)
        ip = next(answers, "10.255.255.1")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    monkeypatch.setattr(netguard, "address_forbidden", lambda ip: str(ip) != "127.0.0.1")
    delivery = deliver_once(world, now, django_capture_on_commit_callbacks,
                            f"http://rebind.test:{port}/hook")
    assert delivery.status == "sent", delivery.last_error
    [request] = receiver.requests
    assert request["headers"]["Host"] == f"rebind.test:{port}"


def test_a_name_that_does_not_resolve_is_retried(world, now, private_refused,
                                                  django_capture_on_commit_callbacks):
    delivery = deliver_once(world, now, django_capture_on_commit_callbacks,
                            "http://no-such-host.invalid/hook")
    assert (delivery.status, delivery.attempts) == ("pending", 1)
