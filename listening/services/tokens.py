"""API tokens: made, checked, used and revoked. See listening/models/tokens.py for the format."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone

from listening.models import ApiToken, Tenant, TokenScope
from listening.selectors.tokens import api_token_list

TOKEN_PREFIX = "dgr_"  # noqa: S105 - marks a Dengar token (secret scanners key on it), no secret
_PREFIX_ALPHABET = string.ascii_lowercase + string.digits
_PREFIX_LENGTH = 10
# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenLimitReached(Exception):
    """The user holds as many live tokens as allowed."""


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def password_fingerprint(user: User) -> str:
    """Changes whenever the user's password does (a digest of its hash, not of the password)."""
    return hashlib.sha256((user.password or "").encode()).hexdigest()


def api_token_create(
    *,
    user: User,
    tenant: Tenant,
    scope: str = TokenScope.READ,
    name: str = "",
    expires_in_days: int | None = None,
    now: datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new token and its secret, which nothing keeps: the caller shows it once.

    The caller has checked that ``user`` may see ``tenant``; ``expires_in_days`` is clipped to
    the configured maximum.
    """
    now = now or timezone.now()
    conf = settings.DENGAR
    days = expires_in_days or conf["API_TOKEN_DEFAULT_DAYS"]
    days = max(1, min(int(days), conf["API_TOKEN_MAX_DAYS"]))
    if api_token_list(user=user, now=now).count() >= conf["API_TOKENS_PER_USER"]:
        raise TokenLimitReached()
    prefix = "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(_PREFIX_LENGTH))
    key = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        tenant=tenant,
        scope=TokenScope(scope),
        name=name,
        prefix=prefix,
        digest=_digest(key),
        password_fingerprint=password_fingerprint(user),
        expires_at=now + timedelta(days=days),
    )
    return token, key


def api_token_authenticate(*, key: str, now: datetime | None = None) -> ApiToken | None:
    """The live token ``key`` is, with its user and tenant loaded; None for anything else.

    Dead: unknown, wrong secret, revoked, expired, its user inactive, or its user's password
    changed since it was made. Marks it used (at most once a minute).
    """
    now = now or timezone.now()
    if not key.startswith(TOKEN_PREFIX):
        return None
    prefix, sep, _secret = key[len(TOKEN_PREFIX):].partition("_")
    if not sep or len(prefix) != _PREFIX_LENGTH:
        return None
    token = ApiToken.objects.select_related("user", "tenant").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(key)):
        return None
    user: Any = token.user
    if (
        not token.is_live(now=now)
        or not user.is_active
        or not hmac.compare_digest(token.password_fingerprint, password_fingerprint(user))
    ):
        return None
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_RESOLUTION:
        # Conditional, so concurrent requests in the same minute write once between them.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at=None) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_token_revoke(*, user: User, token_id: int, now: datetime | None = None) -> bool:
    """Revoke one of the user's own live tokens; False when there is none with this id (another
    user's token included)."""
    now = now or timezone.now()
    changed = ApiToken.objects.filter(pk=token_id, user=user, revoked_at=None).update(revoked_at=now)
    return changed == 1


def api_tokens_revoke_for_user(*, user: User, now: datetime | None = None) -> int:
    """Revoke every live token of the user (password changed, user deactivated)."""
    return ApiToken.objects.filter(user=user, revoked_at=None).update(revoked_at=now or timezone.now())
