"""Human corrections of the classifier, per-tenant phrase rules, and reclassification progress.

Precedence, everywhere a mention is (re)classified: a human correction beats a rule, a rule beats
the engine. Labels are stored in the evaluation vocabulary (complaint/not_complaint, spam/ham,
positive/neutral/negative), so an export feeds ``evaluate_classifier`` and training unchanged.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from listening.scoping import TenantOwned


class CorrectionField(models.TextChoices):
    COMPLAINT = "complaint"
    SPAM = "spam"
    SENTIMENT = "sentiment"


# The labels each field may take; the first of the two-valued ones is the "true" label.
FIELD_LABELS: dict[str, tuple[str, ...]] = {
    CorrectionField.COMPLAINT: ("complaint", "not_complaint"),
    CorrectionField.SPAM: ("spam", "ham"),
    CorrectionField.SENTIMENT: ("positive", "neutral", "negative"),
}


class Correction(TenantOwned):
    """One relabelling of one field of one mention. A history: the latest per field wins."""

    mention = models.ForeignKey(
        "listening.Mention", on_delete=models.CASCADE, related_name="corrections"
    )
    field = models.CharField(max_length=12, choices=CorrectionField.choices)
    old_value = models.CharField(max_length=16)
    new_value = models.CharField(max_length=16)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta(TenantOwned.Meta):
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["tenant", "mention", "field", "created_at"],
                         name="correction_mention_idx"),
            models.Index(fields=["tenant", "-created_at"], name="correction_tenant_time_idx"),
        ]

    def __str__(self) -> str:
        return f"mention {self.mention_id}: {self.field} {self.old_value} -> {self.new_value}"


class RuleEffect(models.TextChoices):
    COMPLAINT = "complaint", "Always a complaint"
    NOT_COMPLAINT = "not_complaint", "Never a complaint"
    SPAM = "spam", "Always spam"
    NOT_SPAM = "not_spam", "Never spam"


class TenantRule(TenantOwned):
    """A phrase that settles one question for this tenant (optionally for one brand only)."""

    # Stored stripped, single-spaced and lower-cased; matched case-insensitively on word bounds.
    phrase = models.CharField(max_length=200)
    effect = models.CharField(max_length=16, choices=RuleEffect.choices)
    brand = models.ForeignKey(
        "listening.Brand", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwned.Meta):
        ordering = ["phrase", "id"]
        constraints = [
            # Two constraints because NULL brands are distinct in a plain unique constraint.
            models.UniqueConstraint(
                fields=["tenant", "phrase", "effect"], condition=models.Q(brand__isnull=True),
                name="rule_unique_tenant_wide",
            ),
            models.UniqueConstraint(
                fields=["tenant", "brand", "phrase", "effect"],
                condition=models.Q(brand__isnull=False), name="rule_unique_per_brand",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "is_active"], name="rule_tenant_active_idx")]

    def __str__(self) -> str:
        return f"{self.phrase!r} -> {self.effect}"


class ReclassifyRun(TenantOwned):
    """How far ``reclassify_mentions`` got for one tenant with one classifier: resumable."""

    classifier = models.CharField(max_length=200)
    last_id = models.BigIntegerField(default=0)
    processed = models.PositiveBigIntegerField(default=0)
    changed = models.PositiveBigIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantOwned.Meta):
        constraints = [
            models.UniqueConstraint(fields=["tenant", "classifier"], name="reclassify_run_unique")
        ]

    def __str__(self) -> str:
        state = "done" if self.finished_at else f"at id {self.last_id}"
        return f"reclassify {self.tenant_id} with {self.classifier}: {state}"
