"""Volume rollups, recomputed (never incremented) for the buckets a batch touched."""

from __future__ import annotations

from django.db import models

from listening.scoping import TenantOwned


class VolumeBucket(TenantOwned):
    brand = models.ForeignKey("listening.Brand", null=True, on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey("listening.Source", on_delete=models.CASCADE, related_name="+")
    bucket = models.DateTimeField()
    # Spam is left out of every count.
    mentions = models.PositiveIntegerField(default=0)
    complaints = models.PositiveIntegerField(default=0)
    negative = models.PositiveIntegerField(default=0)

    class Meta(TenantOwned.Meta):
        abstract = True


class VolumeHourly(VolumeBucket):
    class Meta(VolumeBucket.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "source", "brand", "bucket"],
                name="volume_hourly_unique",
            )
        ]
        indexes = [models.Index(fields=["tenant", "bucket"], name="volume_hourly_tenant_idx")]


class VolumeDaily(VolumeBucket):
    class Meta(VolumeBucket.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "source", "brand", "bucket"],
                name="volume_daily_unique",
            )
        ]
        indexes = [models.Index(fields=["tenant", "bucket"], name="volume_daily_tenant_idx")]
