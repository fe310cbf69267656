"""factory_boy factories. They cross tenants on purpose, so they use the all_tenants managers."""

from __future__ import annotations

import datetime
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Model
from django.utils import timezone

from listening import models

PASSWORD = "correct horse battery"

M = TypeVar("M", bound=Model)


class ModelFactory(factory.django.DjangoModelFactory[M]):
    """A factory whose ``create(…)`` is typed as the model it makes (factory_boy leaves it
    unannotated); calling the factory itself works the same, untyped."""

    class Meta:
        abstract = True

    if TYPE_CHECKING:
        @classmethod
        def create(cls, **kwargs: Any) -> M: ...


class TenantOwnedFactory(ModelFactory[M]):
    """Creates through ``all_tenants``: a factory makes rows for any tenant, by name."""

    class Meta:
        abstract = True

    @classmethod
    def _get_manager(cls, model_class):
        return model_class.all_tenants


class UserFactory(ModelFactory[User]):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class AgencyFactory(ModelFactory[models.Agency]):
    class Meta:
        model = models.Agency

    name = factory.Sequence(lambda n: f"Agency {n}")
    slug = factory.Sequence(lambda n: f"agency-{n}")


class TenantFactory(ModelFactory[models.Tenant]):
    class Meta:
        model = models.Tenant

    name = factory.Sequence(lambda n: f"Tenant {n}")
    slug = factory.Sequence(lambda n: f"tenant-{n}")
    # Round the clock, so that "overdue" in tests does not depend on when they run; tests of
    # business hours set their own.
    business_day_start = datetime.time(0)
    business_day_end = datetime.time(0)
    business_weekdays = factory.LazyFunction(lambda: list(range(7)))


class MembershipFactory(ModelFactory[models.Membership]):
    class Meta:
        model = models.Membership

    user = factory.SubFactory(UserFactory)
    tenant = factory.SubFactory(TenantFactory)
    role = models.Role.VIEWER


class AgencyMembershipFactory(ModelFactory[models.AgencyMembership]):
    class Meta:
        model = models.AgencyMembership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = models.Role.ANALYST


class BrandFactory(TenantOwnedFactory[models.Brand]):
    class Meta:
        model = models.Brand

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Brand{n}")
    keywords = factory.LazyAttribute(lambda b: [b.name.lower()])


class BrandAccountFactory(TenantOwnedFactory[models.BrandAccount]):
    class Meta:
        model = models.BrandAccount

    brand = factory.SubFactory(BrandFactory)
    tenant = factory.SelfAttribute("brand.tenant")
    platform = "mock"
    handle = factory.LazyAttribute(lambda a: f"{a.brand.name.lower()}_care")


class SourceFactory(TenantOwnedFactory[models.Source]):
    class Meta:
        model = models.Source

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Source {n}")
    kind = "mock"
    config = factory.LazyFunction(lambda: {"seed": 7, "scenario": "steady"})
    poll_interval_seconds = 60


class MentionFactory(TenantOwnedFactory[models.Mention]):
    class Meta:
        model = models.Mention

    source = factory.SubFactory(SourceFactory)
    tenant = factory.SelfAttribute("source.tenant")
    external_id = factory.Sequence(lambda n: f"m{n}")
    platform = "mock"
    author_handle = factory.Sequence(lambda n: f"customer{n}")
    text = "Hello brand"
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
