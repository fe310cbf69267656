from __future__ import annotations

from django.core.management import call_command


def test_the_schema_describes_the_mentions_endpoint(world, api_client_for):
    response = api_client_for(world.viewer).get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/tenants/{tenant_slug}/mentions/" in paths
    assert "/api/v1/tenants/{tenant_slug}/sources/{id}/" in paths


def test_the_schema_generates_without_warnings(tmp_path):
    # --fail-on-warn turns every drf-spectacular warning into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
