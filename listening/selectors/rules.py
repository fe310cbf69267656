"""Reading a tenant's own phrase rules, compiled for the pure matching in listening.analysis.rules."""

from __future__ import annotations

from collections.abc import Sequence

from listening.analysis.base import Analysis
from listening.analysis.rules import RuleSet, apply_rules
from listening.models import Tenant, TenantRule
from listening.scoping import scope_of
from listening.selectors.learning import learned_model


def tenant_rules(*, tenant: Tenant) -> RuleSet:
    """The tenant's active rules, in one query. Inside ``tenant``'s scope (ingestion and the
    reclassify command set it)."""
    scope_of(tenant)
    rows = list(
        TenantRule.objects.filter(is_active=True)
        .select_related("brand")
        .only("id", "phrase", "effect", "brand_id", "brand__name", "brand__aliases",
              "brand__keywords")
    )
    terms = {r.brand.pk: r.brand.terms() for r in rows if r.brand is not None}
    return RuleSet([(r.pk, r.phrase, r.effect, r.brand_id) for r in rows], terms)


def apply_tenant_overrides(
    *,
    tenant: Tenant,
    texts: list[str],
    analyses: list[Analysis],
    brand_ids: Sequence[int | None] | None = None,
) -> list[Analysis]:
    """The classifier's ``analyses`` of ``texts`` with the tenant's own model (learnt from its
    corrections, when one is in use) and then its active rules applied.

    Called by ingestion right after ``classify_many``. ``brand_ids``, when given, are the
    mentions' brands; without them a brand-specific rule applies to texts naming that brand.
    Inside ``tenant``'s scope.
    """
    if len(texts) != len(analyses):
        raise ValueError("texts and analyses differ in length")
    learned = learned_model(tenant=tenant)
    if learned is not None:
        analyses = learned.apply(texts, analyses)
    return apply_rules(rules=tenant_rules(tenant=tenant), texts=texts, analyses=analyses,
                       brand_ids=brand_ids)
