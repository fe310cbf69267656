"""Connecting a source through OAuth, end to end against a fake authorization server on
127.0.0.1: the dashboard's connect button, the platform's consent (the server's /authorize), the
callback, the code exchanged with its PKCE verifier over real HTTP, the tokens stored encrypted,
refreshed before they expire; and a callback that can never write into another tenant."""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import secrets
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from listening.models import Membership, OAuthState, Role, Source
from listening.scoping import TenantScopeMissing, tenant_scope
from listening.services.credentials import secrets_read
from listening.services.oauth import EXPIRY_FORMAT, oauth_tokens_refresh_due
from listening.services.sources import source_create
from tests import factories

pytestmark = pytest.mark.django_db
CHANNEL = "UC_x5XG1OV2P6uZZ5FSM9Ttw"


@dataclass
class AuthServer:
    """An OAuth 2.0 authorization server as the platforms document it, in one process: consent
    at /authorize (granted at once, or refused when ``deny``), codes bound to their PKCE
    challenge and redirect address, refresh tokens that rotate."""

    base: str = ""
    client_id: str = "dengar-client"
    client_secret: str = "dengar-secret"
    deny: bool = False
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    refresh_tokens: set[str] = field(default_factory=set)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    issued: int = 0
    access_tokens: set[str] = field(default_factory=set)
    # Who signs in at /authorize, as the platforms' APIs then say: the channel, the X account.
    channel: str = CHANNEL
    x_user: str = "1500000000"
    long_lived: set[str] = field(default_factory=set)

    def token(self, form: dict[str, str], authorization: str) -> tuple[int, dict[str, Any]]:
        self.token_requests.append(form)
        if form.get("client_id") != self.client_id or not (
            form.get("client_secret") == self.client_secret
            or authorization == "Basic " + base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        ):
            return 401, {"error": "invalid_client"}
        if form.get("grant_type") == "authorization_code":
            grant = self.codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if grant is None or grant["challenge"] != challenge or grant["redirect_uri"] != form.get("redirect_uri"):
                return 400, {"error": "invalid_grant"}
        elif form.get("grant_type") == "fb_exchange_token":  # Meta: a long-lived user token
            if form.get("fb_exchange_token") not in self.access_tokens:
                return 400, {"error": {"message": "Invalid OAuth access token.", "code": 190}}
            self.long_lived.add("long-lived-user-token")
            return 200, {"access_token": "long-lived-user-token", "token_type": "bearer", "expires_in": 5183944}
        elif form.get("grant_type") == "refresh_token":
            if form.get("refresh_token") not in self.refresh_tokens:
                return 400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
            self.refresh_tokens.discard(form["refresh_token"])
        else:
            return 400, {"error": "unsupported_grant_type"}
        self.issued += 1
        refresh = f"refresh-{self.issued}"
        self.refresh_tokens.add(refresh)
        self.access_tokens.add(f"access-{self.issued}")
        return 200, {"access_token": f"access-{self.issued}", "refresh_token": refresh, "expires_in": 3600,
                     "token_type": "Bearer", "scope": "granted"}


@pytest.fixture
def auth_server(settings: Any) -> Iterator[AuthServer]:
    server = AuthServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # consent: the platform's page, granted at once
            parts = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(parts.query))
            bearer = self.headers.get("Authorization", "").removeprefix("Bearer ")
            if parts.path in ("/youtube/v3/channels", "/2/users/me"):  # who signed in
                me: dict[str, Any] = {"data": {"id": server.x_user, "name": "Acme", "username": "acme_id"}}
                if parts.path.startswith("/youtube"):
                    me = {"items": [{"kind": "youtube#channel", "id": server.channel}]}
                self.answer(200 if bearer in server.access_tokens else 401, me)
                return
            if parts.path == "/me/accounts":  # Meta's Graph API: the Pages the user manages
                pages = {"data": [
                    {"id": "104000000000001", "access_token": "page-token-104",
                     "instagram_business_account": {"id": "17841400000000001"}},
                    {"id": "104000000000002", "access_token": "page-token-other"},
                ]} if bearer in server.long_lived else {"error": {"code": 190}}
                data = json.dumps(pages).encode()
                self.send_response(200 if bearer in server.long_lived else 400)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
            if parts.path != "/authorize" or query.get("code_challenge_method") != "S256":
                self.send_response(400)
                self.end_headers()
                return
            if server.deny:
                answer = {"error": "access_denied", "state": query["state"]}
            else:
                code = secrets.token_urlsafe(16)
                server.codes[code] = {"challenge": query["code_challenge"], "redirect_uri": query["redirect_uri"]}
                answer = {"code": code, "state": query["state"]}
            self.send_response(302)
            self.send_header("Location", f"{query['redirect_uri']}?{urllib.parse.urlencode(answer)}")
            self.end_headers()

        def answer(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
            status, body = server.token(form, self.headers.get("Authorization", ""))
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    app = {"client_id": server.client_id, "client_secret": server.client_secret,
           "authorize_url": f"{server.base}/authorize", "token_url": f"{server.base}/token", "api_url": server.base}
    settings.DENGAR = {**settings.DENGAR, "OAUTH": {"google": app, "x": app, "meta": {**app, "graph_url": server.base}},
                       "OAUTH_ALLOW_PRIVATE": True}
    yield server
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def consent(authorize_url: str) -> str:
    """The browser at the platform: returns where the platform sends it back (the callback)."""
    parts = urllib.parse.urlsplit(authorize_url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=5)
    connection.request("GET", f"{parts.path}?{parts.query}")
    response = connection.getresponse()
    assert response.status == 302
    location = response.getheader("Location") or ""
    connection.close()
    return location


def callback_path(location: str) -> str:
    parts = urllib.parse.urlsplit(location)
    return f"{parts.path}?{parts.query}"


@pytest.fixture
def youtube(world: Any) -> Source:
    return source_create(tenant=world.acme, name="Acme YouTube", kind="youtube", config={"channel_id": CHANNEL},
                         paused=True)


def start(client: Any, source: Source, slug: str = "acme") -> str:
    response = client.post(reverse("dashboard:source-connect", kwargs={"slug": slug, "source_id": source.pk}))
    assert response.status_code == 302
    return response["Location"]


def test_an_admin_connects_a_youtube_source_end_to_end(client: Any, world: Any, auth_server: AuthServer,
                                                        youtube: Source) -> None:
    client.force_login(world.owner)
    page = client.get(reverse("dashboard:source-connect", kwargs={"slug": "acme", "source_id": youtube.pk}))
    assert b'data-connected="no"' in page.content
    authorize = start(client, youtube)
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(authorize).query))
    assert authorize.startswith(f"{auth_server.base}/authorize?")
    assert query["client_id"] == "dengar-client"
    assert query["scope"] == "https://www.googleapis.com/auth/youtube.force-ssl"
    assert query["access_type"] == "offline"
    assert query["code_challenge_method"] == "S256"
    assert query["redirect_uri"] == "http://testserver/oauth/google/callback/"
    # Only the state's digest is kept: the state itself is not in the database.
    assert not OAuthState.all_tenants.filter(state_digest=query["state"]).exists()

    response = client.get(callback_path(consent(authorize)))
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:source-connect", kwargs={"slug": "acme", "source_id": youtube.pk})
    source = Source.all_tenants.get(pk=youtube.pk)
    assert secrets_read(source=source)["access_token"] == "access-1"
    assert secrets_read(source=source)["refresh_token"] == "refresh-1"
    assert "access_token" not in source.config
    assert source.config["token_expires_at"] > timezone.now().strftime(EXPIRY_FORMAT)
    assert not source.paused
    assert auth_server.token_requests[0]["grant_type"] == "authorization_code"
    shown = client.get(response["Location"]).content
    assert b'data-connected="yes"' in shown
    assert b"access-1" not in shown
    assert b"refresh-1" not in shown


def test_x_is_connected_with_http_basic_client_authentication(client: Any, world: Any,
                                                              auth_server: AuthServer) -> None:
    source = source_create(tenant=world.acme, name="Acme X", kind="x", config={"user_id": "1500000000"})
    client.force_login(world.owner)
    authorize = start(client, source)
    assert "tweet.write" in dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(authorize).query))["scope"]
    client.get(callback_path(consent(authorize)))
    assert "client_secret" not in auth_server.token_requests[0]
    assert secrets_read(source=Source.all_tenants.get(pk=source.pk))["access_token"] == "access-1"


def test_a_state_is_used_once(client: Any, world: Any, auth_server: AuthServer, youtube: Source) -> None:
    client.force_login(world.owner)
    back = callback_path(consent(start(client, youtube)))
    client.get(back)
    again = client.get(back)
    assert again.status_code == 302
    assert "already used or has expired" in str(list(get_messages(again.wsgi_request))[-1])
    assert len(auth_server.token_requests) == 1


def test_an_expired_state_is_refused_before_the_code_is_exchanged(client: Any, world: Any, auth_server: AuthServer,
                                                                  youtube: Source) -> None:
    client.force_login(world.owner)
    back = callback_path(consent(start(client, youtube)))
    OAuthState.all_tenants.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.get(back)
    assert auth_server.token_requests == []
    assert "access_token" not in Source.all_tenants.get(pk=youtube.pk).secrets


def test_a_refused_consent_changes_nothing_and_says_so(client: Any, world: Any, auth_server: AuthServer,
                                                      youtube: Source) -> None:
    auth_server.deny = True
    client.force_login(world.owner)
    response = client.get(callback_path(consent(start(client, youtube))))
    assert "did not grant access (access_denied)" in str(list(get_messages(response.wsgi_request))[-1])
    assert Source.all_tenants.get(pk=youtube.pk).secrets == {}


def test_a_tampered_code_is_refused_by_the_server_and_nothing_is_stored(client: Any, world: Any,
                                                                         auth_server: AuthServer,
                                                                         youtube: Source) -> None:
    client.force_login(world.owner)
    location = consent(start(client, youtube))
    parts = urllib.parse.urlsplit(location)
    query = dict(urllib.parse.parse_qsl(parts.query))
    response = client.get(parts.path, {"state": query["state"], "code": "forged"})
    assert "refused the exchange (invalid_grant)" in str(list(get_messages(response.wsgi_request))[-1])
    assert Source.all_tenants.get(pk=youtube.pk).secrets == {}


def test_another_tenants_admin_cannot_finish_the_connection_with_its_state(client: Any, world: Any,
                                                                          auth_server: AuthServer,
                                                                          youtube: Source) -> None:
    """The outsider (an owner of initech) holds acme's callback link: the state names acme's
    source, so it is not theirs to finish: 404, and no token is asked for nor stored."""
    client.force_login(world.owner)
    back = callback_path(consent(start(client, youtube)))
    client.force_login(world.outsider)
    assert client.get(back).status_code == 404
    assert auth_server.token_requests == []
    assert Source.all_tenants.get(pk=youtube.pk).secrets == {}
    assert OAuthState.all_tenants.get().used_at is None  # still the owner's to finish


def test_an_admin_cannot_make_another_admins_link_write_into_their_source(client: Any, world: Any,
                                                                         auth_server: AuthServer,
                                                                         youtube: Source) -> None:
    """The outsider starts a connection for their own tenant's source and sends acme's owner the
    callback link (login CSRF): the state is the outsider's, so the owner gets 404 and neither
    source changes."""
    initech_source = source_create(tenant=world.initech, name="Initech YouTube", kind="youtube",
                                   config={"channel_id": CHANNEL})
    client.force_login(world.outsider)
    back = callback_path(consent(start(client, initech_source, slug="initech")))
    client.force_login(world.owner)
    assert client.get(back).status_code == 404
    assert Source.all_tenants.get(pk=initech_source.pk).secrets == {}
    assert Source.all_tenants.get(pk=youtube.pk).secrets == {}


def test_an_admin_demoted_meanwhile_cannot_finish(client: Any, world: Any, auth_server: AuthServer,
                                                  youtube: Source) -> None:
    admin: Any = factories.UserFactory(username="admin")
    factories.MembershipFactory(user=admin, tenant=world.acme, role=Role.ADMIN)
    client.force_login(admin)
    back = callback_path(consent(start(client, youtube)))
    Membership.objects.filter(user=admin).update(role=Role.VIEWER)
    assert client.get(back).status_code == 404
    assert auth_server.token_requests == []


def test_a_state_is_not_accepted_on_another_providers_callback(client: Any, world: Any, auth_server: AuthServer,
                                                               youtube: Source) -> None:
    client.force_login(world.owner)
    back = callback_path(consent(start(client, youtube)))
    assert client.get(back.replace("/oauth/google/", "/oauth/x/")).status_code == 404
    assert client.get(back.replace("/oauth/google/", "/oauth/nope/")).status_code == 404


def test_a_viewer_may_see_the_page_but_not_start_a_connection(client: Any, world: Any, auth_server: AuthServer,
                                                              youtube: Source) -> None:
    client.force_login(world.viewer)
    url = reverse("dashboard:source-connect", kwargs={"slug": "acme", "source_id": youtube.pk})
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 403
    assert not OAuthState.all_tenants.exists()


def test_another_tenants_source_is_not_found_under_ones_own_tenant(client: Any, world: Any, auth_server: AuthServer,
                                                                   youtube: Source) -> None:
    client.force_login(world.outsider)
    url = reverse("dashboard:source-connect", kwargs={"slug": "initech", "source_id": youtube.pk})
    assert client.post(url).status_code == 404
    assert not OAuthState.all_tenants.exists()


def test_without_an_app_on_this_deployment_the_admin_is_told_so(client: Any, world: Any, settings: Any,
                                                               youtube: Source) -> None:
    settings.DENGAR = {**settings.DENGAR, "OAUTH": {}}
    client.force_login(world.owner)
    response = client.post(reverse("dashboard:source-connect", kwargs={"slug": "acme", "source_id": youtube.pk}),
                           follow=True)
    assert b"DENGAR_OAUTH_GOOGLE_CLIENT_ID" in response.content


def connected(client: Any, world: Any, source: Source) -> Source:
    client.force_login(world.owner)
    client.get(callback_path(consent(start(client, source))))
    return Source.all_tenants.get(pk=source.pk)


def test_a_token_that_expires_soon_is_refreshed_and_the_rotated_refresh_token_kept(
    client: Any, world: Any, auth_server: AuthServer
) -> None:
    source = connected(client, world, source_create(tenant=world.acme, name="Acme X", kind="x",
                                                    config={"user_id": "1500000000"}))
    assert oauth_tokens_refresh_due() == 0  # an hour left: not yet
    Source.all_tenants.filter(pk=source.pk).update(config={
        **source.config, "token_expires_at": (timezone.now() + timedelta(minutes=5)).strftime(EXPIRY_FORMAT)})
    assert oauth_tokens_refresh_due() == 1
    stored = secrets_read(source=Source.all_tenants.get(pk=source.pk))
    assert stored["access_token"] == "access-2"
    assert stored["refresh_token"] == "refresh-2"
    assert auth_server.token_requests[-1] == {"grant_type": "refresh_token", "refresh_token": "refresh-1",
                                              "client_id": "dengar-client"}


def test_a_revoked_refresh_token_pauses_the_source_saying_to_connect_again(
    client: Any, world: Any, auth_server: AuthServer, youtube: Source
) -> None:
    source = connected(client, world, youtube)
    auth_server.refresh_tokens.clear()  # the account owner revoked Dengar's access
    Source.all_tenants.filter(pk=source.pk).update(config={
        **source.config, "token_expires_at": (timezone.now() - timedelta(minutes=1)).strftime(EXPIRY_FORMAT)})
    assert oauth_tokens_refresh_due() == 0
    source = Source.all_tenants.get(pk=source.pk)
    assert source.paused
    assert "no longer accepts this source's refresh token" in source.last_error
    assert "connect the account again" in source.last_error


def test_the_tenant_page_links_a_connectable_source_to_its_account_page(client: Any, world: Any,
                                                                        youtube: Source) -> None:
    client.force_login(world.owner)
    page = client.get(reverse("dashboard:tenant", kwargs={"slug": "acme"})).content.decode()
    assert reverse("dashboard:source-connect", kwargs={"slug": "acme", "source_id": youtube.pk}) in page
    assert reverse("dashboard:source-connect", kwargs={"slug": "acme", "source_id": world.acme_source.pk}) not in page


@pytest.mark.parametrize(("kind", "config"), [
    ("facebook", {"page_id": "104000000000001"}),
    ("instagram", {"account_id": "17841400000000001"}),
])
def test_a_meta_source_is_connected_with_the_token_of_its_page(client: Any, world: Any, auth_server: AuthServer,
                                                               kind: str, config: dict[str, str]) -> None:
    source = source_create(tenant=world.acme, name=f"Acme {kind}", kind=kind,
                           config={**config, "access_token": "EAApasted-expired-token"}, paused=True)
    source = connected(client, world, source)
    assert secrets_read(source=source)["access_token"] == "page-token-104"
    assert "refresh_token" not in source.secrets  # a Page token from a long-lived user token does not expire
    assert not source.paused
    assert [r["grant_type"] for r in auth_server.token_requests] == ["authorization_code", "fb_exchange_token"]


def test_a_meta_account_that_does_not_manage_the_page_changes_nothing(client: Any, world: Any,
                                                                      auth_server: AuthServer) -> None:
    source = source_create(tenant=world.acme, name="Acme Page", kind="facebook",
                           config={"page_id": "104000000000009", "access_token": "EAApasted-token"})
    client.force_login(world.owner)
    response = client.get(callback_path(consent(start(client, source))))
    assert "does not manage this source's Page (104000000000009)" in str(list(get_messages(response.wsgi_request))[-1])
    assert secrets_read(source=Source.all_tenants.get(pk=source.pk))["access_token"] == "EAApasted-token"


@pytest.mark.parametrize("platform", ["youtube", "x"])
def test_signing_in_as_another_account_than_the_source_reads_changes_nothing(client: Any, world: Any,
                                                                            auth_server: AuthServer,
                                                                            platform: str) -> None:
    """Replies would be posted as whoever signed in: only the account the source reads is taken."""
    auth_server.channel, auth_server.x_user = "UCsomeoneElse0000000000", "999"
    config = {"channel_id": CHANNEL} if platform == "youtube" else {"user_id": "1500000000"}
    source = source_create(tenant=world.acme, name=f"Acme {platform}", kind=platform, config=config)
    client.force_login(world.owner)
    response = client.get(callback_path(consent(start(client, source))))
    said = str(list(get_messages(response.wsgi_request))[-1])
    assert "You signed in as another account" in said
    assert "nothing changed" in said
    assert Source.all_tenants.get(pk=source.pk).secrets == {}


def test_the_service_itself_refuses_to_start_for_a_non_admin(world: Any, auth_server: AuthServer,
                                                            youtube: Source) -> None:
    from listening.services.oauth import OAuthNotFound, oauth_start

    with tenant_scope(world.acme), pytest.raises(OAuthNotFound):
        oauth_start(source=youtube, user=world.viewer, redirect_uri="http://testserver/oauth/google/callback/")
    assert not OAuthState.all_tenants.exists()


def test_the_service_starts_only_in_the_sources_own_tenants_scope(world: Any, auth_server: AuthServer,
                                                                  youtube: Source) -> None:
    from listening.services.oauth import oauth_start

    with tenant_scope(world.globex), pytest.raises(TenantScopeMissing):
        oauth_start(source=youtube, user=world.owner, redirect_uri="http://testserver/oauth/google/callback/")
    assert not OAuthState.all_tenants.exists()
