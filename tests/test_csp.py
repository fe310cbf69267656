"""A Content-Security-Policy on every response, and dashboard pages that need nothing inline."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests import factories


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split(" ", 1)[0]: part.partition(" ")[2] for part in (p.strip() for p in header.split(";")) if part}


class InlineCode(HTMLParser):
    """Scripts without src, event-handler attributes, style attributes and <style> blocks."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.handlers: list[str] = []
        self.styles: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script":
            self.scripts.append(attributes)
        if tag == "style":
            self.styles.append(tag)
        for name, _ in attrs:
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}>")
            if name == "style":
                self.styles.append(f"<{tag} style>")
        if any((value or "").strip().lower().startswith("javascript:") for _, value in attrs):
            self.handlers.append(f"<{tag}> javascript: URL")


EXECUTABLE = {"text/javascript", "module", "application/javascript"}


def assert_no_inline_code(response) -> None:
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    parser = InlineCode()
    parser.feed(response.content.decode())
    for script in parser.scripts:
        executable = (script.get("type") or "text/javascript") in EXECUTABLE
        if executable and not script.get("src"):
            assert nonce, f"inline script without the nonce: {script}"
            assert script.get("nonce") == nonce.group(1), f"inline script without the nonce: {script}"
    assert parser.handlers == [], parser.handlers
    assert parser.styles == [], parser.styles


def test_the_policy_allows_only_our_own_origin_and_forbids_framing_and_plugins(client, db):
    directives = policy(client.get("/login/"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"].startswith("'self' 'nonce-")
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert directives["form-action"] == "'self'"


def test_pages_may_not_use_camera_microphone_or_location(client, db):
    assert "camera=()" in client.get("/login/")["Permissions-Policy"]


def test_each_response_gets_a_fresh_nonce(client, db):
    first, second = (policy(client.get("/login/"))["script-src"] for _ in range(2))
    assert first != second


@pytest.fixture
def dashboard_pages(world) -> list[str]:
    mention = factories.MentionFactory.create(source=world.acme_source, text="the app is broken")
    return [
        reverse("dashboard:home"),
        reverse("dashboard:tenant", args=[world.acme.slug]),
        reverse("dashboard:mentions", args=[world.acme.slug]),
        reverse("dashboard:mention", args=[world.acme.slug, mention.pk]),
    ]


def test_every_dashboard_page_has_the_policy_and_no_inline_code(client, world, dashboard_pages):
    anonymous = client.get("/login/")
    assert anonymous.status_code == 200
    assert_no_inline_code(anonymous)
    client.force_login(world.owner)
    for url in dashboard_pages:
        response = client.get(url, follow=True)  # home sends a one-tenant user to their tenant
        assert response.status_code == 200, url
        assert "Content-Security-Policy" in response, url
        assert_no_inline_code(response)


def test_api_responses_error_pages_and_redirects_have_the_policy(client, world, api_client_for):
    api = api_client_for(world.owner).get(f"/api/v1/tenants/{world.acme.slug}/brands/")
    assert api.status_code == 200
    assert "frame-ancestors 'none'" in api["Content-Security-Policy"]
    missing = client.get("/nothing/here/")
    assert missing.status_code == 404
    assert "Content-Security-Policy" in missing
    assert_no_inline_code(missing)
    redirect = client.get(reverse("dashboard:tenant", args=[world.acme.slug]))
    assert redirect.status_code == 302
    assert "Content-Security-Policy" in redirect


def test_the_checker_catches_inline_code(client, db):
    # The canary: the assertions above can fail.
    class Page:
        content = b'<p onclick="x()">a</p><script>alert(1)</script><div style="color:red"></div>'

        def __getitem__(self, name: str) -> str:
            return "script-src 'self' 'nonce-abc'"

    with pytest.raises(AssertionError):
        assert_no_inline_code(Page())


def test_the_admin_login_works_under_the_policy(client, db, settings):
    response = client.get(f"/{settings.ADMIN_URL}login/")
    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    assert_no_inline_code(response)
