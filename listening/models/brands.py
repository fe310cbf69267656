"""Brands a tenant listens for, and the brand's own accounts."""

from __future__ import annotations

from typing import Any

from django.db import models

from listening.scoping import TenantOwned


class Brand(TenantOwned):
    name = models.CharField(max_length=200)
    # Words that make a mention about this brand; aliases are more names for it; a mention that
    # contains an exclusion is not about it ("apple pie" for a phone maker).
    keywords = models.JSONField(default=list, blank=True)
    aliases = models.JSONField(default=list, blank=True)
    exclusions = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="brand_unique_name_per_tenant")
        ]

    def __str__(self) -> str:
        return self.name

    def terms(self) -> list[str]:
        return [t for t in [self.name, *self.aliases, *self.keywords] if t]


class BrandAccount(TenantOwned):
    """The brand's own handle on a platform: a reply from it is a brand reply."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="accounts")
    platform = models.CharField(max_length=40)
    handle = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "platform", "handle"], name="brand_account_unique_handle"
            )
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.handle}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.handle = normalise_handle(self.handle)
        self.platform = self.platform.lower()
        super().save(*args, **kwargs)


def normalise_handle(handle: str) -> str:
    """Handles compare without case or a leading @, as the platforms treat them."""
    return handle.strip().lstrip("@").lower()
