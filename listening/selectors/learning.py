"""Reading a tenant's learnt model: its training examples, its versions, the one in use."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, QuerySet

from listening.analysis.learning import TASK_LABELS, TenantModel
from listening.models import Correction, LearnedModel, LearningState, Tenant
from listening.scoping import scope_of

# Tenants whose active model a process keeps decoded (each a few MB at most).
_CACHE_SIZE = 64
_cache: OrderedDict[int, tuple[int, TenantModel]] = OrderedDict()
_cache_lock = threading.Lock()


# How long the cache may remember which version is in use. Changes delete the entry when they
# commit; this bounds how long a reader that raced such a change can hold on to the old answer.
ACTIVE_TTL_SECONDS = 60


def active_version_key(tenant_id: int) -> str:
    return f"learning:active:{tenant_id}"


def active_version_id(*, tenant_id: int) -> int | None:
    """The id of the tenant's version in use, None for the shipped engine."""
    key = active_version_key(tenant_id)
    cached = cache.get(key)
    if cached is not None:
        return int(cached) or None
    active = (LearnedModel.all_tenants.filter(tenant_id=tenant_id, is_active=True)
              .values_list("id", flat=True).first())
    cache.set(key, active or 0, ACTIVE_TTL_SECONDS)
    return active


def learned_model(*, tenant: Tenant) -> TenantModel | None:
    """The tenant's active model, or None for the shipped engine alone. Inside ``tenant``'s
    scope (ingestion and the reclassify command set it).

    Which version is in use is read from the cache (``active_version_id``), so a batch costs
    no query unless that changed; the weights are decoded once per process and version.
    """
    tenant_id = scope_of(tenant).pk
    active = active_version_id(tenant_id=tenant_id)
    if active is None:
        return None
    with _cache_lock:
        hit = _cache.get(tenant_id)
        if hit is not None and hit[0] == active:
            _cache.move_to_end(tenant_id)
            return hit[1]
    weights = _weights(active)
    if weights is None:  # the cache was behind a change: ask the database
        cache.delete(active_version_key(tenant_id))
        active = active_version_id(tenant_id=tenant_id)
        weights = _weights(active) if active is not None else None
        if active is None or weights is None:
            return None
    model = TenantModel.from_bytes(weights)
    with _cache_lock:
        _cache[tenant_id] = (active, model)
        _cache.move_to_end(tenant_id)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return model


def _weights(version_id: int) -> bytes | None:
    data = (LearnedModel.objects.filter(pk=version_id, is_active=True)
            .values_list("weights", flat=True).first())
    return None if data is None else bytes(data)


@dataclass(frozen=True, slots=True)
class Examples:
    """Per task, the texts and the team's latest labels, oldest correction first."""

    texts: dict[str, list[str]]
    labels: dict[str, list[str]]
    last_correction_id: int

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.labels.values())


def training_examples(*, tenant: Tenant, limit_per_task: int) -> Examples:
    """The latest label of every corrected (mention, field) of one tenant: its own corrections
    of its own mentions only. At most ``limit_per_task`` per task, the newest. Inside
    ``tenant``'s scope."""
    rows = (Correction.objects.filter(mention__tenant=scope_of(tenant))
            .order_by("created_at", "id")
            .values_list("id", "mention_id", "field", "new_value", "mention__text"))
    latest: dict[tuple[int, str], tuple[int, str, str]] = {}
    last_id = 0
    for correction_id, mention_id, field, value, text in rows.iterator(chunk_size=2000):
        if value not in TASK_LABELS.get(field, ()):
            continue
        latest.pop((mention_id, field), None)  # re-inserted: dicts keep the newest last
        latest[(mention_id, field)] = (correction_id, text, value)
        last_id = max(last_id, correction_id)
    texts: dict[str, list[str]] = {}
    labels: dict[str, list[str]] = {}
    for (_, field), (_, text, value) in latest.items():
        texts.setdefault(field, []).append(text)
        labels.setdefault(field, []).append(value)
    for field in list(texts):
        texts[field] = texts[field][-limit_per_task:]
        labels[field] = labels[field][-limit_per_task:]
    return Examples(texts=texts, labels=labels, last_correction_id=last_id)


def learned_model_list() -> QuerySet[LearnedModel]:
    """The current tenant's versions, newest first, without their weights."""
    return LearnedModel.objects.defer("weights").select_related("activated_by").order_by("-version")


@dataclass(frozen=True, slots=True)
class LearningOverview:
    use_learned: bool
    active: LearnedModel | None
    latest: LearnedModel | None
    corrections: dict[str, int]  # per task: corrected mentions (the latest label of each)
    training_queued: bool
    trained_at: datetime | None


def learning_overview() -> LearningOverview:
    """What the current tenant's model learnt and whether it is in use (scoped: raises outside
    a tenant scope)."""
    state = LearningState.objects.first()
    versions = learned_model_list()
    per_task = dict(
        Correction.objects.values_list("field").annotate(n=Count("mention", distinct=True))
        .values_list("field", "n")
    )
    return LearningOverview(
        use_learned=state.use_learned if state else True,
        active=versions.filter(is_active=True).first(),
        latest=versions.first(),
        corrections={task: int(per_task.get(task, 0)) for task in TASK_LABELS},
        training_queued=bool(state and state.queued_at),
        trained_at=state.trained_at if state else None,
    )
