"""Sources: where mentions come from, through an adapter, and how healthy that is."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from listening.scoping import TenantOwned


class Source(TenantOwned):
    brand = models.ForeignKey(
        "listening.Brand", null=True, blank=True, on_delete=models.SET_NULL, related_name="sources"
    )
    name = models.CharField(max_length=200)
    # A registry key (workers.adapters.registry), validated there rather than by model choices
    # so that an installed package can add a kind without a migration.
    kind = models.CharField(max_length=80)
    config = models.JSONField(default=dict, blank=True)
    # The adapter's secret settings (tokens, app secrets), each value a Fernet token
    # (listening.services.credentials): never returned, shown or logged, only handed to the adapter.
    secrets = models.JSONField(default=dict, blank=True)
    # Names the source in its public webhook address (/hooks/<kind>/<key>/): unguessable, unlike
    # the id, and it names one source of one tenant, the only one its requests can write into.
    webhook_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Webhook requests refused (unsigned, badly signed, unreadable), and when the last one was.
    webhook_rejected = models.PositiveBigIntegerField(default=0)
    webhook_rejected_at = models.DateTimeField(null=True, blank=True)
    webhook_received_at = models.DateTimeField(null=True, blank=True)
    # Opaque to Dengar: the adapter's own bookmark, moved in the same transaction as the rows.
    cursor = models.JSONField(null=True, blank=True)
    poll_interval_seconds = models.PositiveIntegerField(default=60)
    next_poll_at = models.DateTimeField(default=timezone.now)
    # A claim: set when a worker takes the source, so that no other worker polls it meanwhile.
    claimed_until = models.DateTimeField(null=True, blank=True)

    # Health.
    paused = models.BooleanField(default=False)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    mentions_ingested = models.PositiveBigIntegerField(default=0)
    items_rejected = models.PositiveBigIntegerField(default=0)
    last_rejection = models.TextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True)

    # After this many failures in a row a source is unhealthy (it keeps being retried, backed off).
    UNHEALTHY_AFTER = 3

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="source_unique_name_per_tenant")
        ]
        indexes = [
            # The claim loop's query crosses tenants on purpose: due, unpaused sources.
            models.Index(fields=["paused", "next_poll_at"], name="source_due_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def never_succeeded(self) -> bool:
        """Polled, and every poll so far has failed: it has not worked once since it was added."""
        return self.last_success_at is None and self.consecutive_failures > 0

    @property
    def health(self) -> str:
        if self.paused:
            return "paused"
        # A source that has never worked is failing from its first failure: "degraded" would
        # say it usually works.
        if self.consecutive_failures >= self.UNHEALTHY_AFTER or self.never_succeeded:
            return "failing"
        if self.consecutive_failures:
            return "degraded"
        if self.last_success_at is None:
            return "pending"
        return "ok"
