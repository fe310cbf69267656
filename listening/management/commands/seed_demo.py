"""Seed the demo: one agency, three client tenants on different mock scenarios, a demo login."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from listening.models import (
    Agency,
    AgencyMembership,
    ApiToken,
    Brand,
    BrandAccount,
    Role,
    Source,
    Tenant,
    TokenScope,
)
from listening.scoping import tenant_scope
from listening.services.tokens import api_token_create
from workers.adapters import registry

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "dengar-demo"  # noqa: S105 - a local demo login, printed on screen on purpose

# (tenant, brand, keywords, the brand's own handle, what it sells (what its people write
# about), sources as (name, scenario, seed, rate))
DEMO_TENANTS = [
    ("Telko Nusantara", "Telko", ["telko", "telkonusa"], "telko_care", "telco",
     [("Mentions (mock)", "complaint_storm", 11, 14.0)]),
    ("Kopi Senja", "Kopi Senja", ["kopisenja", "kopi senja"], "kopisenja", "coffee",
     [("Mentions (mock)", "dying", 22, 12.0)]),
    ("Warung Rasa", "Warung Rasa", ["warungrasa", "warung rasa"], "warungrasa_id", "restaurant",
     [("Mentions (mock)", "steady", 33, 10.0), ("Promo feed (mock)", "spam_burst", 34, 4.0),
      ("Partner API (mock)", "broken_collector", 35, 4.0)]),
]


class Command(BaseCommand):
    help = "Create (or keep) the demo agency, its three tenants, their mock sources and a login."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--backfill-days", type=float, default=35.0)

    @transaction.atomic
    def handle(self, *args: Any, backfill_days: float, **options: Any) -> None:
        anchor = timezone.now().replace(microsecond=0).isoformat()
        agency, _ = Agency.objects.get_or_create(slug="kilat", defaults={"name": "Kilat Digital"})
        user, created = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME, defaults={"email": "demo@example.com"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        AgencyMembership.objects.get_or_create(
            user=user, agency=agency, defaults={"role": Role.OWNER}
        )
        for tenant_name, brand_name, keywords, handle, business, sources in DEMO_TENANTS:
            slug = tenant_name.lower().replace(" ", "-")
            tenant, _ = Tenant.objects.get_or_create(
                slug=slug, defaults={"name": tenant_name, "agency": agency}
            )
            with tenant_scope(tenant):  # the demo tenant's own rows, through its scope
                brand, _ = Brand.objects.get_or_create(
                    name=brand_name, defaults={"keywords": keywords}
                )
                BrandAccount.objects.get_or_create(
                    platform="mock", handle=handle, defaults={"brand": brand}
                )
                for name, scenario, seed, rate in sources:
                    if Source.objects.filter(name=name).exists():
                        continue
                    config = registry.validate_config("mock", {
                        "seed": seed, "scenario": scenario, "brand": brand_name, "business": business,
                        "brand_handle": handle, "rate_per_hour": rate, "anchor": anchor,
                        "backfill_days": backfill_days,
                    })
                    Source.objects.create(
                        brand=brand, name=name, kind="mock", config=config,
                        poll_interval_seconds=30,
                    )
        # Tokens are kept hashed, so the demo's cannot be shown again: each run revokes the last
        # one and prints a new one.
        first = Tenant.objects.filter(agency=agency).order_by("name").first()
        token_note = ""
        if first is not None:
            ApiToken.objects.filter(user=user, name="demo", revoked_at=None).update(revoked_at=timezone.now())
            _token, key = api_token_create(
                user=user, tenant=first, scope=TokenScope.READ, name="demo", expires_in_days=30
            )
            token_note = f"; read-only API token for {first.slug} (shown once): {key}"
        self.stdout.write(self.style.SUCCESS(
            f"Demo ready: agency {agency.name} with {agency.tenants.count()} tenants. "
            f"Login {DEMO_USERNAME} / {DEMO_PASSWORD}{token_note}"
        ))
