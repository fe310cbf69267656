"""Mentions: one post, comment or reply that speaks of a tenant's brand."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from listening.scoping import TenantOwned


class Sentiment(models.TextChoices):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


class Intent(models.TextChoices):
    COMPLAINT = "complaint"
    QUESTION = "question"
    PRAISE = "praise"
    OTHER = "other"


class ReplyKind(models.TextChoices):
    """What a mention waits for from the brand (listening.analysis.engine.needs_reply decides)."""

    NONE = "", _("Needs no reply")
    COMPLAINT = "complaint", _("Complaint")
    QUESTION = "question", _("Question")
    REQUEST = "request", _("Request")


class ComplaintStatus(models.TextChoices):
    NONE = "", "Not a complaint"
    OPEN = "open", "Open"
    ANSWERED = "answered", "Answered"
    RESOLVED = "resolved", "Resolved"
    DISMISSED = "dismissed", "Dismissed"


class Mention(TenantOwned):
    source = models.ForeignKey("listening.Source", on_delete=models.CASCADE, related_name="mentions")
    brand = models.ForeignKey(
        "listening.Brand", null=True, blank=True, on_delete=models.SET_NULL, related_name="mentions"
    )
    external_id = models.CharField(max_length=200)
    platform = models.CharField(max_length=40, blank=True)
    author_handle = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    url = models.URLField(max_length=500, blank=True)
    published_at = models.DateTimeField()
    ingested_at = models.DateTimeField(auto_now_add=True)
    # Threading as the source gives it.
    parent_external_id = models.CharField(max_length=200, blank=True)
    thread_external_id = models.CharField(max_length=200, blank=True)
    is_brand_reply = models.BooleanField(default=False)
    # A brand reply sent from Dengar: who wrote it (null for replies collected from the source).
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the source said the text was changed, or the item was deleted: a deleted mention is
    # kept (its complaint's history stays) but lists leave it out.
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    # What the classifier understood.
    lang = models.CharField(max_length=8, blank=True)
    sentiment_score = models.FloatField(default=0.0)
    sentiment = models.CharField(max_length=8, choices=Sentiment.choices, default=Sentiment.NEUTRAL)
    intent = models.CharField(max_length=12, choices=Intent.choices, default=Intent.OTHER)
    is_complaint = models.BooleanField(default=False)
    complaint_confidence = models.FloatField(default=0.0)
    is_spam = models.BooleanField(default=False)
    # What the mention waits for from the brand: a complaint, a question or a request ('' for
    # nothing); kept in step with is_complaint, is_spam and is_brand_reply by every writer.
    reply_kind = models.CharField(max_length=10, choices=ReplyKind.choices, default="", blank=True)

    # For complaints: the first response, a brand reply or (when the tenant's answer policy
    # allows) a team member marking it answered. Null while unanswered.
    answered_at = models.DateTimeField(null=True, blank=True)
    # The complaint's lifecycle ('' for a mention that never was a complaint); every change is a
    # ComplaintEvent.
    complaint_status = models.CharField(
        max_length=10, choices=ComplaintStatus.choices, default=ComplaintStatus.NONE, blank=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "source", "external_id"], name="mention_unique_per_source"
            )
        ]
        indexes = [
            models.Index(fields=["tenant", "-published_at"], name="mention_tenant_time_idx"),
            models.Index(
                fields=["tenant", "brand", "-published_at"], name="mention_tenant_brand_time_idx"
            ),
            models.Index(
                fields=["tenant", "parent_external_id"], name="mention_tenant_parent_idx"
            ),
            # Replies name their parent by external id alone, whichever source carried it.
            models.Index(fields=["tenant", "external_id"], name="mention_tenant_external_idx"),
            models.Index(
                fields=["tenant", "published_at"],
                name="mention_unanswered_idx",
                condition=models.Q(is_complaint=True, is_spam=False, answered_at__isnull=True),
            ),
            models.Index(
                fields=["tenant", "published_at"],
                name="mention_needs_reply_idx",
                condition=~models.Q(reply_kind="") & models.Q(is_spam=False, answered_at__isnull=True),
            ),
            models.Index(
                fields=["tenant", "complaint_status", "-published_at"],
                name="mention_complaint_status_idx",
                condition=~models.Q(complaint_status=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.external_id}: {self.text[:60]}"
