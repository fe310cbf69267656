"""The API tokens a user may see: their own, live ones."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from listening.models import ApiToken


def api_token_list(*, user: User, now: datetime | None = None) -> QuerySet[ApiToken]:
    """The user's tokens that are neither revoked nor expired, newest first. Bounded by
    DENGAR["API_TOKENS_PER_USER"], so not paged."""
    return (
        ApiToken.objects.filter(user=user, revoked_at=None, expires_at__gt=now or timezone.now())
        .select_related("tenant")
        .order_by("-created_at", "-pk")
    )
