"""The "import" kind: sources made by import_twcs are known to the registry, readable and editable
through the API, and refuse to be polled."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from listening.models import Source
from listening.services.sources import source_poll_once
from workers.adapters import registry
from workers.adapters.base import ConfigError

URL = "/api/v1/tenants/acme/sources/"
CSV = """tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id
1,115712,True,Tue Oct 31 22:10:47 +0000 2017,@AcmeCare my order arrived broken,2,
2,AcmeCare,False,Tue Oct 31 22:20:47 +0000 2017,@115712 Sorry! Please DM us.,,1.0
"""


def imported_source(world, tmp_path) -> Source:
    path = tmp_path / "twcs_small.csv"
    path.write_text(CSV, encoding="utf-8")
    call_command("import_twcs", str(path), tenant="acme", stdout=io.StringIO())
    return Source.all_tenants.get(tenant=world.acme, kind="import")


def test_import_is_a_built_in_kind_with_optional_file_and_platform():
    assert "import" in registry.kinds()
    assert registry.validate_config("import", {}) == {}
    assert registry.validate_config("import", {"file": "a.csv", "platform": "twitter"}) == {
        "file": "a.csv", "platform": "twitter"}
    with pytest.raises(ConfigError) as refused:
        registry.validate_config("import", {"file": 3, "url": "x"})
    assert refused.value.errors == {"url": ["Unknown setting for this source kind."],
                                    "file": ["Must be of type str."]}


def test_import_twcs_creates_a_paused_source_with_a_valid_config(world, tmp_path):
    source = imported_source(world, tmp_path)
    assert source.paused is True
    assert source.config == {"file": "twcs_small.csv", "platform": "twitter"}
    assert registry.validate_config(source.kind, source.config) == source.config


def test_the_sources_api_reads_and_edits_an_import_source(world, tmp_path, api_client_for):
    source = imported_source(world, tmp_path)
    client = api_client_for(world.owner)
    body = client.get(f"{URL}{source.pk}/").json()
    assert (body["kind"], body["config"], body["paused"]) == (
        "import", {"file": "twcs_small.csv", "platform": "twitter"}, True)

    response = client.patch(f"{URL}{source.pk}/", {"name": "TWCS sample"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["name"] == "TWCS sample"
    response = client.patch(f"{URL}{source.pk}/", {"config": {"platform": "x"}}, format="json")
    assert response.status_code == 200, response.json()
    source.refresh_from_db()
    assert (source.name, source.config) == ("TWCS sample", {"platform": "x"})


def test_polling_an_import_source_pauses_it_and_says_why(world, tmp_path, api_client_for):
    source = imported_source(world, tmp_path)
    response = api_client_for(world.owner).patch(f"{URL}{source.pk}/", {"paused": False},
                                                 format="json")
    assert response.status_code == 200, response.json()
    source.refresh_from_db()
    assert source.paused is False

    outcome = source_poll_once(source=source)
    assert outcome.report is None
    source.refresh_from_db()
    assert source.paused is True
    assert source.health == "paused"
    assert "import sources are filled by an import command, not polled" in source.last_error
    assert "PermanentAdapterError" in source.last_error
