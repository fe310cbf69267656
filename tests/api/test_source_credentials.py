"""Sources' secrets: encrypted at rest under the deployment's keys, rotated, and refused where no
key is set."""

from __future__ import annotations

import io
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command

from listening.models import Source
from listening.services.credentials import secrets_read
from listening.services.sources import source_poll_once
from listening.serving.logs import redact
from tests import factories
from tests.api.conftest import FakeFeedAdapter
from workers.adapters.base import FetchResult

URL = "/api/v1/tenants/acme/sources/"
OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def create(client, **config: Any):
    return client.post(URL, {"name": "Feed", "kind": "fakefeed", "config": config}, format="json")


@pytest.fixture
def keys(settings):
    def use(*values: str) -> None:
        settings.DENGAR = {**settings.DENGAR, "CREDENTIAL_KEYS": list(values)}
    use(OLD)
    return use


def test_a_secret_is_stored_as_a_token_of_the_first_key(world, api_client_for, keys):
    keys(OLD)
    created = create(api_client_for(world.owner), api_key="s3cret-value").json()
    stored = Source.all_tenants.get(pk=created["id"])
    assert Fernet(OLD.encode()).decrypt(stored.secrets["api_key"].encode()) == b"s3cret-value"
    assert "api_key" not in stored.config


def test_rotation_re_encrypts_under_the_new_key_so_the_old_one_can_go(world, api_client_for, keys):
    keys(OLD)
    created = create(api_client_for(world.owner), api_key="s3cret-value").json()
    keys(NEW, OLD)
    call_command("rotate_credential_keys", stdout=io.StringIO())
    keys(NEW)
    stored = Source.all_tenants.get(pk=created["id"])
    assert secrets_read(source=stored) == {"api_key": "s3cret-value"}
    assert Fernet(NEW.encode()).decrypt(stored.secrets["api_key"].encode()) == b"s3cret-value"


def test_rotation_stops_at_a_secret_no_key_opens(world, api_client_for, keys):
    keys(OLD)
    create(api_client_for(world.owner), api_key="s3cret-value")
    keys(NEW)
    with pytest.raises(CommandError, match="none of the keys"):
        call_command("rotate_credential_keys")


def test_without_a_key_a_source_with_a_secret_is_refused_saying_why(world, api_client_for, keys):
    keys()
    client = api_client_for(world.owner)
    response = create(client, api_key="s3cret-value")
    assert response.status_code == 400
    assert "DENGAR_CREDENTIAL_KEYS" in str(response.json()["config"])
    assert not Source.all_tenants.filter(name="Feed").exists()
    assert create(client, scenario="outage").status_code == 201


def test_a_poll_hands_the_adapter_its_secret_in_the_clear(world, api_client_for, keys, monkeypatch):
    seen: list[dict[str, Any]] = []

    def fetch(self: FakeFeedAdapter, *, cursor: Any) -> FetchResult:
        seen.append(dict(self.config))
        return FetchResult(mentions=[], next_cursor=cursor)

    monkeypatch.setattr(FakeFeedAdapter, "fetch", fetch)
    created = create(api_client_for(world.owner), api_key="s3cret-value").json()
    source_poll_once(source=Source.all_tenants.get(pk=created["id"]))
    assert seen == [{"scenario": "steady", "seed": 1, "api_key": "s3cret-value"}]


def test_a_source_whose_key_is_gone_is_paused_saying_so(world, api_client_for, keys):
    created = create(api_client_for(world.owner), api_key="s3cret-value").json()
    keys()
    source = Source.all_tenants.get(pk=created["id"])
    source_poll_once(source=source)
    assert source.paused
    assert "DENGAR_CREDENTIAL_KEYS" in source.last_error
    keys(NEW)
    source_poll_once(source=source)
    assert "enter them again" in source.last_error
    assert "s3cret" not in source.last_error


def test_sending_a_new_secret_replaces_the_stored_one(world, api_client_for, keys):
    client = api_client_for(world.owner)
    created = create(client, api_key="s3cret-value").json()
    response = client.patch(f"{URL}{created['id']}/", {"config": {"api_key": "an0ther-value"}}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["config"]["api_key"] == "********"
    assert secrets_read(source=Source.all_tenants.get(pk=created["id"])) == {"api_key": "an0ther-value"}


def test_each_credential_key_and_a_bare_meta_token_are_masked_in_logs(monkeypatch):
    monkeypatch.setenv("DENGAR_CREDENTIAL_KEYS", f"{NEW},{OLD}")
    text = redact(f"keys {OLD} and EAAGm0PX4ZCpsBAKxyz1234567890abcdef in a message")
    assert OLD not in text
    assert "EAAGm0PX4ZCpsBAKxyz1234567890abcdef" not in text


def test_rotation_also_encrypts_a_secret_saved_in_the_clear_before(world, keys):
    source = factories.SourceFactory(tenant=world.acme, kind="fakefeed", config={"seed": 1, "api_key": "old-plain-key"})
    call_command("rotate_credential_keys", stdout=io.StringIO())
    source.refresh_from_db()
    assert source.config == {"seed": 1}
    assert "old-plain-key" not in str(source.secrets)
    assert secrets_read(source=source) == {"api_key": "old-plain-key"}
