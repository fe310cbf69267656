"""``Authorization: Token <token>`` (or ``Bearer <token>``) with Dengar's hashed, scoped tokens.

``request.auth`` is the ``ApiToken``. What it may reach is enforced elsewhere: its tenant in
``TenantScopedViewSetMixin._enter_tenant`` (any other tenant is a 404), its scope by
``TokenScopeAllows`` (a read-only token gets 403 on unsafe methods).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated, Throttled
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle

from listening.models import ApiToken
from listening.services.tokens import api_token_authenticate

if TYPE_CHECKING:  # rest_framework.views imports this module (DEFAULT_AUTHENTICATION_CLASSES)
    from rest_framework.views import APIView

KEYWORDS = (b"token", b"bearer")


class _BadTokenThrottle(AnonRateThrottle):
    """The anonymous rate and count, keyed by address without asking who the user is (this runs
    while DRF is still finding that out)."""

    def get_cache_key(self, request: Request, view: APIView | None) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ApiTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Invalid token header: give one token after the keyword."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeError:
            key = ""
        token = api_token_authenticate(key=key) if key else None
        if token is None:
            self._count_failure(request)
            raise AuthenticationFailed(_("Invalid or expired token."))
        return token.user, token

    @staticmethod
    def _count_failure(request: Request) -> None:
        """Bad tokens count against the client's anonymous rate: DRF runs throttles only after
        authentication, so a client sending nothing but bad tokens would otherwise never be."""
        throttle = _BadTokenThrottle()
        # No view yet (this runs while DRF authenticates); the stub wants one, the throttle needs none.
        if not throttle.allow_request(request, None):  # type: ignore[arg-type]
            raise Throttled(wait=throttle.wait())

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


def request_token(request: Request) -> ApiToken | None:
    """The token a request was authenticated by, or None (session, anonymous)."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiToken) else None


def request_user(request: Request) -> User:
    """The signed-in user of a view that requires one (``IsAuthenticated`` has already refused
    anyone else with 401; this says so to the type checker, and refuses the same way)."""
    user = request.user
    if not user.is_authenticated:
        raise NotAuthenticated()
    return user


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The token header in the OpenAPI document (registered by being defined)."""

    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": str(_(
                'An API token made for one tenant, as "Token dgr_…" (or "Bearer dgr_…"). Make one at '
                "/api/v1/auth/tokens/ (signed in) or /api/v1/auth/token/ (username and password)."
            )),
        }
