"""After a person switches the model a tenant uses (a version, or back to the shipped engine),
its stored mentions are reclassified with the new choice, so the complaint queue and the flags
follow at once and not only for mentions that arrive afterwards.

Batches of ``mentions_reclassify_batch`` (which keeps every human correction and writes only what
changed), within a time budget: the task queues itself again from the last mention it reached.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from listening.analysis.base import get_classifier
from listening.models import Tenant
from listening.scoping import tenant_scope
from listening.selectors.learning import learned_model
from listening.selectors.rules import tenant_rules
from listening.services.corrections import mentions_reclassify_batch

BATCH = 2000


@dataclass(frozen=True, slots=True)
class ReclassifyProgress:
    last_id: int
    changed: int
    done: bool


def tenant_mentions_reclassify(*, tenant_id: int, after_id: int = 0,
                               budget_seconds: float = 180.0) -> ReclassifyProgress:
    """Reclassify the tenant's mentions after ``after_id`` with the model now in use, until done
    or out of time (checked between batches)."""
    tenant = Tenant.objects.filter(pk=tenant_id).first()
    if tenant is None:
        return ReclassifyProgress(last_id=after_id, changed=0, done=True)
    started = time.monotonic()
    changed = 0
    with tenant_scope(tenant):
        classifier, rules = get_classifier(), tenant_rules(tenant=tenant)
        learned = learned_model(tenant=tenant)
        while True:
            batch = mentions_reclassify_batch(tenant=tenant, after_id=after_id, limit=BATCH,
                                              classifier=classifier, rules=rules, learned=learned)
            changed += batch.changed
            if not batch.processed:
                return ReclassifyProgress(last_id=after_id, changed=changed, done=True)
            after_id = batch.last_id
            if time.monotonic() - started >= budget_seconds:
                return ReclassifyProgress(last_id=after_id, changed=changed, done=False)
