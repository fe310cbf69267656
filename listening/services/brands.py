"""Brand lifecycle: create, change, delete, with the brand's own accounts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction

from listening.models import Brand, BrandAccount, Tenant
from listening.models.brands import normalise_handle
from listening.scoping import tenant_scope_of

Account = Mapping[str, str]  # {"platform": ..., "handle": ...}


def brand_create(
    *,
    tenant: Tenant,
    name: str,
    keywords: Sequence[str] = (),
    aliases: Sequence[str] = (),
    exclusions: Sequence[str] = (),
    accounts: Iterable[Account] = (),
) -> Brand:
    with tenant_scope_of(tenant), transaction.atomic():
        brand = Brand.objects.create(
            name=name,
            keywords=list(keywords),
            aliases=list(aliases),
            exclusions=list(exclusions),
        )
        _accounts_replace(brand=brand, accounts=accounts)
    return brand


def brand_update(
    *, brand: Brand, accounts: Iterable[Account] | None = None, **fields: Any
) -> Brand:
    """Change the given fields; ``accounts``, when given, replaces the brand's accounts."""
    allowed = {"name", "keywords", "aliases", "exclusions"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"brand_update cannot change {', '.join(sorted(unknown))}")
    with tenant_scope_of(brand.tenant), transaction.atomic():
        for name, value in fields.items():
            setattr(brand, name, list(value) if name != "name" else value)
        if fields:
            brand.save(update_fields=list(fields))
        if accounts is not None:
            _accounts_replace(brand=brand, accounts=accounts)
    return brand


def brand_delete(*, brand: Brand) -> None:
    # Mentions and sources keep their rows and lose the brand (SET_NULL); rollups go with it.
    brand.delete()


def _accounts_replace(*, brand: Brand, accounts: Iterable[Account]) -> None:
    """In the brand's tenant's scope."""
    BrandAccount.objects.filter(brand=brand).delete()
    seen: set[tuple[str, str]] = set()
    rows = []
    for account in accounts:
        key = (account["platform"].lower(), normalise_handle(account["handle"]))
        if key in seen:
            continue
        seen.add(key)
        rows.append(
            BrandAccount(tenant_id=brand.tenant_id, brand=brand, platform=key[0], handle=key[1])
        )
    # bulk_create skips save(), so the handles are normalised above, as save() would.
    BrandAccount.objects.bulk_create(rows)
