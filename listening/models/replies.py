"""Replies a team sends from Dengar through the platform a mention came from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from listening.scoping import TenantOwned


class ReplyStatus(models.TextChoices):
    PENDING = "pending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutgoingReply(TenantOwned):
    """One attempt to answer a mention on its platform. The idempotency key makes a double click
    (or a retried request) one attempt: the row is created once, and only the request that moves
    it from pending posts it."""

    mention = models.ForeignKey("listening.Mention", on_delete=models.CASCADE, related_name="outgoing_replies")
    idempotency_key = models.CharField(max_length=80)
    text = models.TextField()
    status = models.CharField(max_length=8, choices=ReplyStatus.choices, default=ReplyStatus.PENDING)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the platform answered: the reply's id there, or why it refused.
    external_id = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantOwned.Meta):
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "mention", "idempotency_key"], name="outgoing_reply_once"
            )
        ]

    def __str__(self) -> str:
        return f"reply to mention {self.mention_id}: {self.status}"
