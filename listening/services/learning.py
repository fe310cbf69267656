"""Training a tenant's own model from its corrections, and choosing between it and the engine.

Every correction asks for a training run (``learning_request``). The first asks by queueing
``workers.tasks.learning.tenant_model_train`` after the commit, ``TRAIN_DELAY`` later; the ones
arriving before that run starts find it queued (a compare-and-set on the tenant's
``LearningState``) and join it, so a team relabelling fifty mentions in a row causes one run.
A run trains on every correction there is when it starts; one that finds a version already
holding the newest correction does nothing, so a redelivered task is harmless. A queued run
whose message was lost does not block later ones: after ``QUEUE_STALE`` the next correction
queues again.

A new version is put in use at once unless the team chose the shipped engine; either way it is
kept, with its estimates, and the last ``KEEP_VERSIONS`` versions can be re-activated by hand.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from celery import Task, current_app
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from listening.analysis.base import get_classifier
from listening.analysis.learning import MAX_EXAMPLES, learn
from listening.models import Correction, LearnedModel, LearningState, Tenant
from listening.scoping import TenantScopeMissing, current_tenant, scope_of, tenant_scope
from listening.selectors.learning import active_version_key, training_examples

logger = logging.getLogger("dengar.learning")

TRAIN_TASK = "workers.tasks.learning.tenant_model_train"
TRAIN_DELAY = timedelta(seconds=60)
QUEUE_STALE = timedelta(minutes=30)
KEEP_VERSIONS = 20
# Who made a change: a signed-in person (the API and the dashboard let no one else in), or
# nobody for the system.
Person = AbstractBaseUser | AnonymousUser | None


RECLASSIFY_TASK = "workers.tasks.learning.tenant_mentions_reclassify"


def _task(name: str) -> Task:
    app = current_app
    if name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[name]


def _train_task() -> Task:
    return _task(TRAIN_TASK)


def _reclassify_stored(tenant_id: int) -> None:
    """After a person's switch, the stored mentions follow (listening.services.learning_reclassify)."""
    task = _task(RECLASSIFY_TASK)
    transaction.on_commit(lambda: task.delay(tenant_id))


def learning_request(*, tenant_id: int) -> bool:
    """Ask for the tenant's model to be retrained; True if this call queued the run (False: a
    queued run will take this correction too). In the tenant's scope, as a correction is made."""
    if current_tenant().pk != tenant_id:
        raise TenantScopeMissing("The tenant given is not the scope's tenant")
    now = timezone.now()
    unqueued = LearningState.objects.filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - QUEUE_STALE))
    claimed = unqueued.update(queued_at=now)
    if not claimed and not LearningState.objects.exists():
        LearningState.objects.bulk_create([LearningState()], ignore_conflicts=True)
        claimed = unqueued.update(queued_at=now)
    if claimed:
        task = _train_task()
        transaction.on_commit(lambda: task.apply_async(
            args=(tenant_id,), countdown=TRAIN_DELAY.total_seconds()))
    return bool(claimed)


@dataclass(frozen=True, slots=True)
class TrainOutcome:
    status: str  # "trained", "up_to_date", "too_few", "no_corrections"
    version: int | None = None
    activated: bool = False


def tenant_model_train(*, tenant_id: int) -> TrainOutcome:
    """Train a new version of the tenant's model on all its corrections, if there is news. The
    task's entry: it enters the tenant's scope."""
    tenant = Tenant.objects.filter(pk=tenant_id).first()
    if tenant is None:
        return TrainOutcome("no_corrections")
    with tenant_scope(tenant):
        LearningState.objects.update(queued_at=None)
        return _train(tenant)


def _train(tenant: Tenant) -> TrainOutcome:
    newest = Correction.objects.aggregate(m=Max("id"))["m"]
    if newest is None:
        return TrainOutcome("no_corrections")
    if LearnedModel.objects.filter(last_correction_id__gte=newest).exists():
        return TrainOutcome("up_to_date")
    examples = training_examples(tenant=tenant, limit_per_task=MAX_EXAMPLES)
    classifier = get_classifier()
    data = {}
    for task, texts in examples.texts.items():
        data[task] = (texts, classifier.classify_many(texts), examples.labels[task])
    model, estimates = learn(data)
    now = timezone.now()
    LearningState.objects.update(trained_at=now)
    if not estimates:
        return TrainOutcome("too_few")
    with transaction.atomic():
        state = LearningState.objects.select_for_update().get()
        if LearnedModel.objects.filter(last_correction_id__gte=examples.last_correction_id).exists():
            return TrainOutcome("up_to_date")  # a concurrent run stored the same or newer
        latest = LearnedModel.objects.aggregate(m=Max("version"))["m"] or 0
        version = LearnedModel.objects.create(
            tenant=tenant, version=latest + 1, corrections=examples.count,
            last_correction_id=examples.last_correction_id,
            estimates={task: {
                "examples": e.examples, "learnt": task in model.tasks,
                "model_macro_f1": e.model_macro_f1, "model_accuracy": e.model_accuracy,
                "engine_macro_f1": e.engine_macro_f1, "engine_accuracy": e.engine_accuracy,
            } for task, e in estimates.items()},
            weights=model.to_bytes(), created_at=now,
        )
        if state.use_learned:
            _activate(version, user=None, now=now)
        _prune()
    logger.info("tenant %s: model v%s trained on %s corrections (%s)", tenant.pk,
                version.version, version.corrections,
                ", ".join(f"{t}: {e.model_macro_f1} vs engine {e.engine_macro_f1}"
                          for t, e in estimates.items()))
    return TrainOutcome("trained", version=version.version, activated=version.is_active)


def _active_changed(tenant_id: int) -> None:
    """Readers (ingestion, in every process) see the change once it commits."""
    key = active_version_key(tenant_id)
    transaction.on_commit(lambda: cache.delete(key))


def _activate(version: LearnedModel, *, user: Person, now: datetime) -> None:
    LearnedModel.objects.filter(is_active=True).exclude(
        pk=version.pk).update(is_active=False)
    version.is_active = True
    version.activated_at = now
    version.activated_by = user  # type: ignore[assignment]
    version.save(update_fields=["is_active", "activated_at", "activated_by"])
    _active_changed(version.tenant_id)


def _prune() -> None:
    keep = list(LearnedModel.objects.order_by("-version").values_list("id", flat=True)[:KEEP_VERSIONS])
    LearnedModel.objects.filter(is_active=False).exclude(id__in=keep).delete()


@transaction.atomic
def learned_model_activate(*, version: LearnedModel, user: Person) -> LearnedModel:
    """Put one of the tenant's versions in use (and learnt models back in use), in its tenant's
    scope."""
    if version.tenant_id != current_tenant().pk:
        raise TenantScopeMissing("The version is not the scope's tenant's")
    now = timezone.now()
    LearningState.objects.bulk_create([LearningState()], ignore_conflicts=True)
    LearningState.objects.select_for_update().update(
        use_learned=True, changed_at=now, changed_by=user)
    _activate(version, user=user, now=now)
    _reclassify_stored(version.tenant_id)
    return version


@transaction.atomic
def learning_use_engine(*, tenant: Tenant, user: Person) -> None:
    """Back to the shipped engine: no version in use, and new versions kept but not activated
    until someone activates one. In ``tenant``'s scope."""
    scope_of(tenant)
    now = timezone.now()
    LearningState.objects.bulk_create([LearningState()], ignore_conflicts=True)
    LearningState.objects.select_for_update().update(
        use_learned=False, changed_at=now, changed_by=user)
    LearnedModel.objects.filter(is_active=True).update(is_active=False)
    _active_changed(tenant.pk)
    _reclassify_stored(tenant.pk)
