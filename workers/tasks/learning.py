"""Training a tenant's own model: thin; the work is in listening.services.learning."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from listening.services.learning import tenant_model_train
from listening.services.learning_reclassify import tenant_mentions_reclassify

logger = logging.getLogger("dengar.tasks")


# Below the broker's visibility timeout (600 s), like every task's limits: training is bounded by
# the number of corrections it reads (listening.analysis.learning.MAX_EXAMPLES per task).
@shared_task(name="workers.tasks.learning.tenant_model_train", ignore_result=True, acks_late=True,
             soft_time_limit=420, time_limit=480)
def tenant_model_train_task(tenant_id: int) -> str:
    """Retrain one tenant's model on its corrections, if any arrived since its last version.

    Idempotent: a copy of this task, or one queued while another ran, finds the newest version
    already holding every correction and does nothing."""
    try:
        outcome = tenant_model_train(tenant_id=tenant_id)
    except SoftTimeLimitExceeded:
        # Nothing is stored before the end of a run; the next correction queues a new one.
        logger.error("tenant %s: model training stopped at the time limit", tenant_id)
        return "time_limit"
    return outcome.status


@shared_task(bind=True, name="workers.tasks.learning.tenant_mentions_reclassify", ignore_result=True,
             acks_late=True, soft_time_limit=420, time_limit=480)
def tenant_mentions_reclassify_task(self: object, tenant_id: int, after_id: int = 0) -> str:
    """Reclassify a tenant's stored mentions after a person switched its model; a large tenant
    takes several runs, each queueing the next from where it stopped. Idempotent: a batch writes
    only what changed."""
    progress = tenant_mentions_reclassify(tenant_id=tenant_id, after_id=after_id)
    if not progress.done:
        self.apply_async(args=(tenant_id,), kwargs={"after_id": progress.last_id})  # type: ignore[attr-defined]
        return "continued"
    return "done"
