"""An OAuth "connect" under way: what the platform's callback may do, decided when it started."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from listening.scoping import TenantOwned


class OAuthState(TenantOwned):
    """One authorization started by a tenant's admin for one source. The ``state`` sent to the
    platform is kept only as its SHA-256 digest: the callback finds the row by it, and the row,
    never the request, says which tenant and source the tokens go to. It is used once (``used_at``
    is set by a compare-and-set) and expires within minutes."""

    source = models.ForeignKey("listening.Source", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    provider = models.CharField(max_length=20)
    state_digest = models.CharField(max_length=64, unique=True)
    # PKCE (RFC 7636): the secret whose S256 digest was sent with the authorization request.
    code_verifier = models.CharField(max_length=128)
    redirect_uri = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantOwned.Meta):
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.provider} connect of source {self.source_id}"
