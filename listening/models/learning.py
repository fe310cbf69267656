"""A tenant's own model, learnt from its team's corrections: its versions and its training state.

A version is immutable: the weights (an ``npz`` archive written by
``listening.analysis.learning``, never a pickle), the number of corrections it learnt from, the
newest correction it includes, and per task what cross-validation estimated on the tenant's own
held-back corrections, for the model and for the shipped engine on the same rows. At most one
version of a tenant is active; with none active, the tenant's mentions get the shipped engine.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from listening.scoping import TenantOwned


class LearnedModel(TenantOwned):
    version = models.PositiveIntegerField()
    # The latest label of each corrected (mention, field) it learnt from, all tasks together.
    corrections = models.PositiveIntegerField()
    # The newest correction it includes: a training run finding a version at this id has
    # nothing new to learn.
    last_correction_id = models.BigIntegerField()
    # task -> {"examples", "learnt", "model_macro_f1", "model_accuracy", "engine_macro_f1",
    # "engine_accuracy"}; a task with too few corrections is absent.
    estimates = models.JSONField(default=dict)
    weights = models.BinaryField()
    is_active = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    activated_at = models.DateTimeField(null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(TenantOwned.Meta):
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "version"], name="learned_model_version"),
            models.UniqueConstraint(fields=["tenant"], condition=models.Q(is_active=True),
                                    name="learned_model_one_active"),
        ]

    def __str__(self) -> str:
        return f"tenant {self.tenant_id} model v{self.version}"

    @property
    def learnt_tasks(self) -> list[str]:
        return [task for task, e in self.estimates.items() if e.get("learnt")]


class LearningState(TenantOwned):
    """One row per tenant that has corrected something: what it chose and what is queued."""

    # False once the team chose the shipped engine: new versions are still trained and shown,
    # but only activating one (by hand) puts a learnt model back in use.
    use_learned = models.BooleanField(default=True)
    # A training task is queued (set by compare-and-set, cleared when it starts): corrections
    # arriving meanwhile join that run instead of queueing their own.
    queued_at = models.DateTimeField(null=True, blank=True)
    trained_at = models.DateTimeField(null=True, blank=True)
    changed_at = models.DateTimeField(null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(TenantOwned.Meta):
        constraints = [models.UniqueConstraint(fields=["tenant"], name="learning_state_tenant")]

    def __str__(self) -> str:
        return f"tenant {self.tenant_id}: {'learnt model' if self.use_learned else 'engine'}"
