"""API tokens: hashed at rest, made for one tenant, read-only or read-write, with an expiry.

A token is ``dgr_<prefix>_<secret>``. Only the prefix (for lookup and display, not secret) and a
SHA-256 of the whole token are stored; the token itself is shown once, when it is made. SHA-256
without a salt or stretching is enough because the secret is 256 random bits, not a password.

Not a tenant-owned row in the scoping sense: a token belongs to its user, whose list of tokens
crosses tenants, so the model has a plain manager. ``tenant`` is what the token may reach.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    READ_WRITE = "read_write", _("Read and write")


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    tenant = models.ForeignKey("listening.Tenant", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    scope = models.CharField(max_length=12, choices=TokenScope.choices, default=TokenScope.READ)
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64)  # hex SHA-256 of the whole token
    # A SHA-256 of the user's password hash when the token was made: a token whose user has
    # changed password since no longer authenticates, however the password was changed.
    password_fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="apitoken_user_idx")]

    def __str__(self) -> str:
        return f"{self.prefix} ({self.user} on {self.tenant})"

    @property
    def read_only(self) -> bool:
        return self.scope == TokenScope.READ

    def is_live(self, *, now: datetime | None = None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())
