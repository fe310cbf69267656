"""Connecting a source to its platform account through OAuth 2.0, and keeping its token fresh.

The authorization code flow (RFC 6749) with PKCE (RFC 7636, S256) for the platforms whose sources
post as the brand's account: Google (the ``youtube`` kind), X (the ``x`` kind) and Meta (the
``facebook`` and ``instagram`` kinds, whose source keeps the Page's token, which does not expire). A tenant's admin
starts it for one source (``oauth_start``): Dengar keeps an ``OAuthState`` (the state's digest,
the PKCE verifier, the source, the user, a short expiry) and sends the browser to the platform.
The platform sends it back to one callback per provider; ``oauth_finish`` finds the state by its
digest, and that row alone decides the tenant and the source: the callback's request carries
nothing else that could, and the user must be the admin who started it and still an admin of
that tenant. The state is used once (compare-and-set), then the code is exchanged for tokens,
which are stored through the encrypted credentials (``services.credentials``), and the source
is resumed. ``oauth_token_refresh`` trades the refresh token for a new access token before the
old one expires (X rotates refresh tokens: the new one is stored in the same write).

Dengar's own app on each platform (client id and secret) is the deployment's:
settings.DENGAR["OAUTH"][provider].
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import secrets
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from listening.models import OAuthState, Role, Source
from listening.scoping import TenantScopeMissing, current_tenant, tenant_scope
from listening.selectors.tenancy import role_at_least, role_for
from listening.services.credentials import CredentialError, source_adapter_config
from listening.services.sources import source_record_failure, source_update
from workers.adapters import httpclient, registry
from workers.adapters.base import ConfigError, PermanentAdapterError

logger = logging.getLogger("dengar.oauth")

STATE_LIFETIME = timedelta(minutes=10)
# A token that expires within this is refreshed (the refresh task runs every few minutes).
REFRESH_MARGIN = timedelta(minutes=15)
EXPIRY_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


@dataclass(frozen=True)
class Provider:
    name: str
    label: str
    kinds: frozenset[str]
    authorize_url: str
    token_url: str
    scopes: tuple[str, ...]
    # Parameters the platform needs besides the standard ones (Google's offline access).
    extra: Mapping[str, str] = field(default_factory=dict)
    # How the client authenticates at the token endpoint: HTTP Basic, or in the form.
    basic_auth: bool = False
    # Meta gives a user token for the code: it is traded for a long-lived one, and that for the
    # token of the Page (or the Instagram account's Page) the source reads, which does not expire.
    page_token: bool = False
    # Who signed in, asked of the platform's API with the new token (path under ``api_url``, and
    # where the account's id is in the answer), and the source's setting that must name them.
    whoami: tuple[str, str, str] | None = None
    api_url: str = ""


PROVIDERS: dict[str, Provider] = {
    "google": Provider(
        name="google", label="Google", kinds=frozenset({"youtube"}),
        authorize_url="https://accounts.google.com/o/oauth2/v2/auth",
        token_url="https://oauth2.googleapis.com/token",  # noqa: S106 - an address
        scopes=("https://www.googleapis.com/auth/youtube.force-ssl",),
        # A refresh token is given only with offline access, and again only when consent is asked.
        extra={"access_type": "offline", "prompt": "consent", "include_granted_scopes": "true"},
        whoami=("/youtube/v3/channels?part=id&mine=true", "items.0.id", "channel_id"),
        api_url="https://www.googleapis.com",
    ),
    "x": Provider(
        name="x", label="X", kinds=frozenset({"x"}),
        authorize_url="https://x.com/i/oauth2/authorize",
        token_url="https://api.x.com/2/oauth2/token",  # noqa: S106 - an address
        scopes=("tweet.read", "tweet.write", "users.read", "offline.access"),
        basic_auth=True,
        whoami=("/2/users/me", "data.id", "user_id"),
        api_url="https://api.x.com",
    ),
    "meta": Provider(
        name="meta", label="Facebook", kinds=frozenset({"facebook", "instagram"}),
        authorize_url="https://www.facebook.com/v21.0/dialog/oauth",
        token_url="https://graph.facebook.com/v21.0/oauth/access_token",  # noqa: S106 - an address
        scopes=("pages_show_list", "pages_read_engagement", "pages_read_user_content", "pages_manage_engagement",
                "instagram_basic", "instagram_manage_comments", "business_management"),
        page_token=True,
    ),
}
GRAPH_URL = "https://graph.facebook.com/v21.0"


class OAuthFailed(Exception):
    """The connection did not happen; the message says why, in words for the admin. ``source``
    is the source it was for, once the state named one the user may see."""

    source: Source | None = None


class OAuthNotFound(OAuthFailed):
    """No state this user may finish: unknown, another user's, or another tenant's (the same
    answer for all three, so a state leaks nothing)."""


def provider_for_kind(kind: str) -> Provider | None:
    return next((p for p in PROVIDERS.values() if kind in p.kinds), None)


def _app(provider: Provider) -> dict[str, str]:
    """The deployment's app on the platform: client_id, client_secret, and (for a test server or
    a proxy) authorize_url and token_url."""
    apps = cast(dict[str, dict[str, str]], settings.DENGAR.get("OAUTH") or {})
    app = apps.get(provider.name) or {}
    if not app.get("client_id"):
        raise OAuthFailed(_("This Dengar has no %(platform)s app set up (DENGAR_OAUTH_%(env)s_CLIENT_ID): ask "
                            "its operator.") % {"platform": provider.label, "env": provider.name.upper()})
    return {"authorize_url": provider.authorize_url, "token_url": provider.token_url, "graph_url": GRAPH_URL,
            "api_url": provider.api_url, **app}


def _digest(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


def _challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()


def oauth_start(*, source: Source, user: Any, redirect_uri: str) -> str:
    """Keep a new state for ``source`` and return the platform's authorization address. In the
    source's tenant's scope."""
    if source.tenant_id != current_tenant().pk:
        raise TenantScopeMissing("The source is not the scope's tenant's")
    provider = provider_for_kind(source.kind)
    if provider is None:
        raise OAuthFailed(_("Sources of this kind are not connected through an account."))
    if not role_at_least(role_for(user=user, tenant=source.tenant), Role.ADMIN):
        raise OAuthNotFound(_("Admins and owners connect sources."))
    app = _app(provider)
    state, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(64)
    now = timezone.now()
    OAuthState.objects.create(
        source=source, user=user, provider=provider.name, state_digest=_digest(state),
        code_verifier=verifier, redirect_uri=redirect_uri, created_at=now, expires_at=now + STATE_LIFETIME)
    # States that can no longer be used are of no use to anyone, whichever tenant's: the
    # housekeeping crosses tenants on purpose.
    OAuthState.all_tenants.filter(expires_at__lt=now - timedelta(days=1)).delete()
    query = {"response_type": "code", "client_id": app["client_id"], "redirect_uri": redirect_uri,
             "scope": " ".join(provider.scopes), "state": state, "code_challenge": _challenge(verifier),
             "code_challenge_method": "S256", **provider.extra}
    return f"{app['authorize_url']}?{urllib.parse.urlencode(query, quote_via=urllib.parse.quote)}"


def oauth_finish(*, provider_name: str, state: str, code: str, error: str, user: Any) -> Source:
    """Finish the connection the state names: exchange the code and store the tokens on that
    state's source. Raises OAuthNotFound (a 404 for the caller) or OAuthFailed.

    The platform's callback names no tenant: the state is found among every tenant's by its digest
    (unique, and known only to whoever started the connection), and the rest runs in the scope of
    the tenant it belongs to."""
    provider = PROVIDERS.get(provider_name)
    if provider is None or not state or len(state) > 200:
        raise OAuthNotFound(_("This connection was not found."))
    row = (OAuthState.all_tenants.select_related("source", "tenant")
           .filter(state_digest=_digest(state), provider=provider.name).first())
    # Only the admin who started it, and only while they are still an admin of that tenant.
    if row is None or row.user_id != user.pk or not role_at_least(role_for(user=user, tenant=row.tenant), Role.ADMIN):
        raise OAuthNotFound(_("This connection was not found."))
    try:
        with tenant_scope(row.tenant):
            return _finish(row=row, provider=provider, code=code, error=error)
    except OAuthFailed as exc:
        exc.source = row.source
        raise


def _finish(*, row: OAuthState, provider: Provider, code: str, error: str) -> Source:
    now = timezone.now()
    claimed = OAuthState.objects.filter(pk=row.pk, used_at__isnull=True, expires_at__gt=now).update(used_at=now)
    if claimed != 1:
        raise OAuthFailed(_("This connection link was already used or has expired: start again from the source."))
    if error:
        raise OAuthFailed(_("%(platform)s did not grant access (%(error)s); nothing changed.")
                          % {"platform": provider.label, "error": error[:100]})
    if not code:
        raise OAuthFailed(_("%(platform)s sent no authorization code; nothing changed.") % {"platform": provider.label})
    tokens = _token_request(provider, {"grant_type": "authorization_code", "code": code,
                                       "redirect_uri": row.redirect_uri, "code_verifier": row.code_verifier})
    source = Source.objects.get(pk=row.source_id)
    if provider.page_token:
        tokens = {"access_token": _page_token(provider, source=source, user_token=tokens["access_token"])}
    if provider.whoami is not None:
        _check_account(provider, source=source, access_token=tokens["access_token"])
    _store_tokens(source=source, tokens=tokens, resume=True)
    return source


def _check_account(provider: Provider, *, source: Source, access_token: str) -> None:
    """Refuse tokens of another account than the one the source reads: its replies would be
    posted as that account."""
    assert provider.whoami is not None
    path, where, setting = provider.whoami
    found: Any = _api_get(f"{_app(provider)['api_url']}{path}", access_token)
    for step in where.split("."):
        if isinstance(found, list) and step.isdigit() and int(step) < len(found):
            found = found[int(step)]
        elif isinstance(found, dict):
            found = found.get(step)
        else:
            found = None
    if not isinstance(found, str) or not found:
        raise OAuthFailed(_("%(platform)s did not say which account signed in; try again.")
                          % {"platform": provider.label})
    if found != source.config.get(setting):
        raise OAuthFailed(_("You signed in as another account (%(found)s) than the one this source reads "
                            "(%(wanted)s): sign in as that one; nothing changed.")
                          % {"found": found, "wanted": source.config.get(setting)})


def _api_get(url: str, access_token: str) -> Any:
    try:
        response = httpclient.http_request(
            url, headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
            allow_private=bool(settings.DENGAR.get("OAUTH_ALLOW_PRIVATE", False)), timeout=15.0,
            deadline_seconds=30.0, max_bytes=1024 * 1024, error_bodies=True)
        return json.loads(response.body.decode("utf-8")) if response.status == 200 else None
    except (httpclient.HttpFailure, UnicodeDecodeError, ValueError):
        return None


def _page_token(provider: Provider, *, source: Source, user_token: str) -> str:
    """The token of the Page the source reads (for Instagram, the Page its account is linked to),
    from the long-lived user token the short-lived one is traded for."""
    long_lived = _token_request(provider, {"grant_type": "fb_exchange_token", "fb_exchange_token": user_token})
    query = urllib.parse.urlencode({"fields": "id,access_token,instagram_business_account", "limit": "100"})
    answer = _api_get(f"{_app(provider)['graph_url']}/me/accounts?{query}", long_lived["access_token"])
    pages = answer.get("data") if isinstance(answer, dict) else None
    if not isinstance(pages, list):
        raise OAuthFailed(_("Facebook did not list the Pages this account manages; try again."))
    wanted = source.config.get("page_id") if source.kind == "facebook" else source.config.get("account_id")
    for page in pages:
        if not isinstance(page, dict) or not isinstance(page.get("access_token"), str):
            continue
        linked = page.get("instagram_business_account")
        found = page.get("id") if source.kind == "facebook" else (
            linked.get("id") if isinstance(linked, dict) else None)
        if found and found == wanted:
            return page["access_token"]
    raise OAuthFailed(_("The account you signed in with does not manage this source's %(what)s (%(id)s); "
                        "sign in as one that does.")
                      % {"what": _("Page") if source.kind == "facebook" else _("Instagram account"), "id": wanted})


def _token_request(provider: Provider, form: dict[str, str]) -> dict[str, Any]:
    app = _app(provider)
    headers = {"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded",
               "User-Agent": "Dengar/0.1"}
    if provider.basic_auth and app.get("client_secret"):
        pair = f"{urllib.parse.quote(app['client_id'])}:{urllib.parse.quote(app['client_secret'])}"
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        form = {**form, "client_id": app["client_id"]}
    else:
        form = {**form, "client_id": app["client_id"],
                **({"client_secret": app["client_secret"]} if app.get("client_secret") else {})}
    try:
        response = httpclient.http_request(
            app["token_url"], method="POST", headers=headers, data=urllib.parse.urlencode(form).encode(),
            allow_private=bool(settings.DENGAR.get("OAUTH_ALLOW_PRIVATE", False)), timeout=15.0,
            deadline_seconds=30.0, max_bytes=256 * 1024, error_bodies=True)
    except httpclient.HttpFailure as exc:
        raise OAuthFailed(_("%(platform)s could not be reached (%(error)s); try again.")
                          % {"platform": provider.label, "error": exc}) from None
    try:
        body = json.loads(response.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        body = None
    if 200 <= response.status < 300 and isinstance(body, dict) and isinstance(body.get("access_token"), str):
        return body
    said = body.get("error") if isinstance(body, dict) else None
    raise OAuthFailed(_("%(platform)s refused the exchange (%(error)s).")
                      % {"platform": provider.label, "error": str(said or f"HTTP {response.status}")[:100]})


def _store_tokens(*, source: Source, tokens: Mapping[str, Any], resume: bool) -> None:
    try:
        config = source_adapter_config(source=source)
    except CredentialError as exc:
        raise OAuthFailed(str(exc)) from None
    config["access_token"] = tokens["access_token"]
    if isinstance(tokens.get("refresh_token"), str) and tokens["refresh_token"]:
        config["refresh_token"] = tokens["refresh_token"]
    expires_in = tokens.get("expires_in")
    if isinstance(expires_in, int | float) and not isinstance(expires_in, bool) and expires_in > 0:
        config["token_expires_at"] = (timezone.now() + timedelta(seconds=float(expires_in))).strftime(EXPIRY_FORMAT)
    else:
        config.pop("token_expires_at", None)
    try:
        clean = registry.validate_config(source.kind, config)
    except ConfigError as exc:
        raise OAuthFailed(_("The source's settings are not valid: %(error)s") % {"error": exc}) from None
    try:
        if resume:
            source_update(source=source, config=clean, paused=False)
        else:
            source_update(source=source, config=clean)
    except CredentialError as exc:
        raise OAuthFailed(str(exc)) from None


def token_expiry(source: Source) -> datetime | None:
    raw = source.config.get("token_expires_at") if isinstance(source.config, dict) else None
    try:
        return datetime.strptime(raw, EXPIRY_FORMAT).replace(tzinfo=UTC) if isinstance(raw, str) else None
    except ValueError:
        return None


def oauth_token_refresh(*, source: Source, force: bool = False) -> bool:
    """Trade the source's refresh token for a new access token if the one it has expires soon
    (or ``force``). Returns whether it was refreshed. A refresh token the platform refuses pauses
    the source and says to connect it again; a platform out of reach leaves it for the next try.
    In the source's tenant's scope."""
    if source.tenant_id != current_tenant().pk:
        raise TenantScopeMissing("The source is not the scope's tenant's")
    provider = provider_for_kind(source.kind)
    if provider is None or "refresh_token" not in (source.secrets or {}):
        return False
    failure: OAuthFailed | None = None
    with transaction.atomic():
        # Locked: X rotates refresh tokens, so two refreshes at once would lose the second.
        locked = Source.objects.select_for_update().get(pk=source.pk)
        expiry = token_expiry(locked)
        if not force and expiry is not None and expiry > timezone.now() + REFRESH_MARGIN:
            return False
        try:
            refresh = source_adapter_config(source=locked).get("refresh_token")
            tokens = _token_request(provider, {"grant_type": "refresh_token", "refresh_token": str(refresh)})
            _store_tokens(source=locked, tokens=tokens, resume=False)
        except OAuthFailed as exc:
            failure = exc
    if failure is None:
        source.refresh_from_db()
        return True
    if "invalid_grant" not in str(failure) and "invalid_client" not in str(failure):
        logger.warning("source %s: refreshing its %s token failed: %s", source.pk, provider.name, failure)
        return False
    message = _("%(platform)s no longer accepts this source's refresh token (revoked or expired): connect the "
                "account again from the source's page, then resume it.") % {"platform": provider.label}
    source_record_failure(source=source, error=PermanentAdapterError(message), permanent=True)
    return False


def oauth_tokens_refresh_due() -> int:
    """Refresh every connected source, of every tenant, whose access token expires soon, each in
    its tenant's scope; returns how many were. Crosses tenants on purpose (the periodic task)."""
    kinds = {k for p in PROVIDERS.values() for k in p.kinds}
    due = timezone.now() + REFRESH_MARGIN
    refreshed = 0
    candidates = Source.all_tenants.filter(kind__in=kinds, paused=False, config__has_key="token_expires_at")
    for source in candidates.select_related("tenant").only("id", "tenant", "kind", "config", "secrets"):
        expiry = token_expiry(source)
        if expiry is not None and expiry <= due:
            with tenant_scope(source.tenant):
                refreshed += oauth_token_refresh(source=source)
    return refreshed
