"""Login lockout: too many failed logins for one username, or from one client IP, lock it out.

Every password login goes through ``django.contrib.auth.authenticate`` (the dashboard's and the
admin's login forms, the API's token-by-password endpoint), so the lock sits in the one
authentication backend: ``LockoutModelBackend`` refuses a locked-out username or IP *before* it
looks at the password, so guessing right during a lockout fails too. Failures are counted from
Django's ``user_login_failed`` signal, in the shared cache, in a fixed window per key.

A refusal raises ``LoginLockedOut``, a DRF ``Throttled``: the API answers it as any throttle
(429, ``Retry-After``), and ``LoginLockoutMiddleware`` answers it on the HTML logins.

The per-username count is cleared by a successful login; the per-IP count is not, so an
attacker with an account of their own cannot reset it between guesses at someone else's.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import user_logged_in, user_login_failed
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import Throttled


class LoginLockedOut(Throttled):
    default_detail = _("Too many failed sign-ins. Try again later.")
    wait: float | None  # set by Throttled.__init__ (seconds); DRF's stubs leave the attribute out


def client_ip(request: HttpRequest | None) -> str:
    """The client's address: REMOTE_ADDR, unless ``DENGAR_TRUSTED_PROXIES`` (DRF's NUM_PROXIES)
    says how many proxies append to X-Forwarded-For; then the address the outermost trusted
    proxy saw. The same rule as DRF's throttles, so both count the same client."""
    if request is None:
        return ""
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    xff = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies <= 0 or not xff:
        return str(remote_addr)
    addresses = [a.strip() for a in xff.split(",") if a.strip()]
    if not addresses:
        return str(remote_addr)
    return addresses[-min(proxies, len(addresses))]


def _limits() -> tuple[int, int, int]:
    conf = settings.DENGAR
    return conf["LOGIN_FAILURES_PER_USERNAME"], conf["LOGIN_FAILURES_PER_IP"], conf["LOGIN_LOCKOUT_SECONDS"]


def _key(kind: str, value: str) -> str:
    # Hashed: a username may hold characters a cache key may not (memcached), and keys are logged.
    return f"login-failures:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


def _username_key(username: str) -> str:
    return _key("user", username.strip().casefold())


def _failures(key: str) -> tuple[int, float]:
    """Failures counted under key and when its window ends (epoch seconds)."""
    values = cache.get_many([key, key + ":ends"])
    return int(values.get(key) or 0), float(values.get(key + ":ends") or 0.0)


def _record(key: str, window: int) -> None:
    # The window starts at the first failure; add() is atomic, so concurrent failures share it.
    cache.add(key + ":ends", time.time() + window, timeout=window)
    cache.add(key, 0, timeout=window)
    try:
        cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window)


def login_lockout_retry_after(*, username: str, ip: str) -> int | None:
    """Seconds until this username and this IP may try again, or None if neither is locked."""
    per_username, per_ip, _window = _limits()
    waits = []
    for key, limit in ((_username_key(username), per_username), (_key("ip", ip), per_ip)):
        if limit <= 0:
            continue
        count, ends = _failures(key)
        if count >= limit:
            waits.append(max(1, math.ceil(ends - time.time())))
    return max(waits) if waits else None


def login_failure_record(*, username: str, ip: str) -> None:
    _per_username, _per_ip, window = _limits()
    if username:
        _record(_username_key(username), window)
    if ip:
        _record(_key("ip", ip), window)


def login_failures_clear(*, username: str) -> None:
    key = _username_key(username)
    cache.delete_many([key, key + ":ends"])


class LockoutModelBackend(ModelBackend):
    """Django's model backend behind the lockout check."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if username is None:
            username = kwargs.get(self._username_field(), "")
        wait = login_lockout_retry_after(username=username or "", ip=client_ip(request))
        if wait is not None:
            raise LoginLockedOut(wait=wait)
        return super().authenticate(request, username=username, password=password, **kwargs)

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return str(get_user_model().USERNAME_FIELD)


def _count_failure(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None,
                   **kwargs: Any) -> None:
    login_failure_record(username=str(credentials.get("username") or ""), ip=client_ip(request))


def _clear_failures(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    login_failures_clear(username=user.get_username())


def register() -> None:
    """Connect the failure counter (from ListeningConfig.ready)."""
    user_login_failed.connect(_count_failure, dispatch_uid="dengar-login-failure-count")
    user_logged_in.connect(_clear_failures, dispatch_uid="dengar-login-failure-clear")


class LoginLockoutMiddleware:
    """Turns a ``LoginLockedOut`` raised in a page's login (dashboard, admin) into a 429 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, LoginLockedOut):
            return None
        wait = int(exception.wait or 1)
        response = TemplateResponse(
            request, "dashboard/locked_out.html", {"retry_after": wait}, status=429
        )
        response["Retry-After"] = str(wait)
        return response.render()
