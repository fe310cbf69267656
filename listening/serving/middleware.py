"""Middleware of the serving layer: a request id and one structured log line per request, and the
Content-Security-Policy header."""

from __future__ import annotations

import logging
import re
import secrets
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty

from listening.serving.health import HEALTH_PATHS
from listening.serving.logs import bound_log_context, log_context

logger = logging.getLogger("dengar.request")

REQUEST_ID_HEADER = "X-Request-ID"
# An incoming id is kept when it is a plain token a proxy or client would generate; anything else
# (too long, spaces, quotes, newlines) is replaced, so it can go into logs and headers as is.
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:\-]{7,127}$")


def request_id_for(request: HttpRequest) -> str:
    incoming = request.META.get("HTTP_X_REQUEST_ID", "")
    return incoming if _SANE_REQUEST_ID.match(incoming) else uuid.uuid4().hex


def _user_id_if_known(request: HttpRequest) -> int | None:
    """The user's id when the request already looked the user up; logging never costs a query."""
    user = getattr(request, "user", None)
    # A SimpleLazyObject not yet evaluated holds ``empty`` (its private ``_wrapped``, not in the
    # stubs; reading it does not evaluate the object).
    if user is None or (isinstance(user, SimpleLazyObject) and getattr(user, "_wrapped", None) is empty):
        return None
    return user.pk if user.is_authenticated else None


class RequestLogMiddleware:
    """Give each request an id (X-Request-ID in, or a new one; returned in the response), bind it
    to every record logged while the request runs, and log one line when it ends: method, path,
    status, duration, user and tenant. First in MIDDLEWARE, so redirects and static files count."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_for(request)
        request.request_id = request_id  # type: ignore[attr-defined]  # Dengar's own request attribute
        started = time.monotonic()
        with bound_log_context(request_id=request_id, method=request.method, path=request.path) as context:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            user_id = _user_id_if_known(request)
            tenant = getattr(request, "log_tenant", None)
            context.update(user_id=user_id, tenant=tenant)
            duration_ms = round((time.monotonic() - started) * 1000, 1)
            # Probes are polled every few seconds: their lines are DEBUG, not INFO.
            level = logging.DEBUG if request.path in HEALTH_PATHS else logging.INFO
            logger.log(
                level,
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "remote_addr": request.META.get("REMOTE_ADDR"),
                },
            )
        return response

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: dict[str, Any]) -> None:
        # The tenant of a tenant route, as written in its URL (API: tenant_slug; dashboard: slug).
        slug = kwargs.get("tenant_slug") or kwargs.get("slug")
        if isinstance(slug, str):
            request.log_tenant = slug  # type: ignore[attr-defined]  # Dengar's own request attribute
            log_context()["tenant"] = slug
        return None


PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"


def content_security_policy(nonce: str) -> str:
    directives = {
        "default-src": "'self'",
        "script-src": f"'self' 'nonce-{nonce}'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    if getattr(settings, "SECURE_SSL_REDIRECT", False):
        directives["upgrade-insecure-requests"] = ""
    return "; ".join(f"{name} {value}".strip() for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    """A Content-Security-Policy on every response: scripts and styles only from our own origin
    (or an inline script carrying this response's nonce, ``{{ request.csp_nonce }}``), no plugins,
    no framing, forms posting only to us. Django 5.2 has no CSP of its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce  # type: ignore[attr-defined]  # Dengar's own request attribute
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = content_security_policy(nonce)
        # Nothing in Dengar uses these browser features; a page (or an injected script) may not either.
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
