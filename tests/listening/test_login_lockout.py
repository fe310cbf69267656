"""Login lockout on the three password logins: the dashboard's, the admin's and the API's token by
password. After 5 failures for a username (or 20 from one IP) in 15 minutes: 429 with Retry-After,
the right password included, until the window ends."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from rest_framework.test import APIClient

from listening.models import ApiToken
from tests import factories

WINDOW = 15 * 60


def dashboard_login(client: Client, username: str, password: str):
    return client.post("/login/", {"username": username, "password": password})


def admin_login(client: Client, username: str, password: str):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password,
                                                       "next": "/admin/"})


def token_login(client: Client, username: str, password: str):
    return APIClient().post("/api/v1/auth/token/", {"username": username, "password": password,
                                                     "tenant": "acme"})


LOGINS = {
    # the login, the status of a wrong password, the status of a right one
    "dashboard": (dashboard_login, 200, 302),
    "admin": (admin_login, 200, 302),
    "token": (token_login, 400, 200),
}


@pytest.fixture
def staff_owner(world):
    world.owner.is_staff = True
    world.owner.save(update_fields=["is_staff"])
    return world.owner


@pytest.fixture
def later(monkeypatch):
    """Moves the clock (that of the cache entries too) past the lockout window."""
    real = time.time

    def move() -> None:
        monkeypatch.setattr(time, "time", lambda: real() + WINDOW + 1)

    return move


@pytest.mark.parametrize("login", LOGINS)
def test_five_wrong_passwords_lock_the_username_even_against_the_right_one(world, staff_owner, login):
    attempt, wrong_status, right_status = LOGINS[login]
    client = Client()
    for _ in range(5):
        assert attempt(client, "owner", "wrong").status_code == wrong_status
    locked = attempt(client, "owner", factories.PASSWORD)
    assert locked.status_code == 429
    assert 0 < int(locked["Retry-After"]) <= WINDOW
    assert "_auth_user_id" not in client.session
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("login", LOGINS)
def test_the_right_password_works_again_after_the_window(world, staff_owner, login, later):
    attempt, _wrong_status, right_status = LOGINS[login]
    for _ in range(6):
        attempt(Client(), "owner", "wrong")
    later()
    assert attempt(Client(), "owner", factories.PASSWORD).status_code == right_status


def test_the_username_is_counted_whatever_its_case(world):
    client = Client()
    for name in ["owner", "Owner", "OWNER", "owner", "oWner"]:
        dashboard_login(client, name, "wrong")
    assert dashboard_login(client, "owner", factories.PASSWORD).status_code == 429


def test_twenty_failures_from_one_address_lock_out_every_username_from_it(world):
    client = Client(REMOTE_ADDR="203.0.113.7")
    for i in range(20):
        assert dashboard_login(client, f"nobody{i}", "wrong").status_code == 200
    assert dashboard_login(client, "owner", factories.PASSWORD).status_code == 429
    # Another address may still sign the owner in: the username itself was never tried.
    assert dashboard_login(Client(REMOTE_ADDR="198.51.100.2"), "owner", factories.PASSWORD).status_code == 302


def test_a_forged_forwarded_for_header_does_not_dodge_the_address_lock(world):
    for i in range(20):
        Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}").post(
            "/login/", {"username": f"nobody{i}", "password": "wrong"})
    client = Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert dashboard_login(client, "viewer", factories.PASSWORD).status_code == 429


def test_the_locked_out_page_says_when_to_try_again(world):
    client = Client()
    for _ in range(5):
        dashboard_login(client, "viewer", "wrong")
    response = dashboard_login(client, "viewer", factories.PASSWORD)
    assert response.status_code == 429
    assert b"Too many sign-in attempts" in response.content


def test_a_successful_login_clears_the_username_count(world):
    client = Client()
    for _ in range(4):
        dashboard_login(client, "viewer", "wrong")
    assert dashboard_login(client, "viewer", factories.PASSWORD).status_code == 302
    for _ in range(4):
        assert dashboard_login(Client(), "viewer", "wrong").status_code == 200
    assert dashboard_login(Client(), "viewer", factories.PASSWORD).status_code == 302


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(world, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    for i in range(20):
        Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7").post(
            "/login/", {"username": f"nobody{i}", "password": "wrong"})
    attacker = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    neighbour = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert dashboard_login(attacker, "viewer", factories.PASSWORD).status_code == 429
    assert dashboard_login(neighbour, "viewer", factories.PASSWORD).status_code == 302
