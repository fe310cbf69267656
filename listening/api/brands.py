"""/api/v1/tenants/<tenant_slug>/brands/: the brands a tenant listens for."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from listening.api.pagination import ByNamePagination
from listening.api.permissions import READ_FOR_MEMBERS_WRITE_FOR_ADMINS
from listening.api.routing import TenantScopedViewSetMixin
from listening.api.strict import StrictInput
from listening.limits import count_problem, limit, terms_problems
from listening.models import Brand, BrandAccount
from listening.models.brands import normalise_handle
from listening.services.brands import brand_create, brand_delete, brand_update


def _within_limits(value: list[str]) -> list[str]:
    # Every mention is matched against every keyword: their number and length are shared work.
    problems = terms_problems(value)
    if problems:
        raise serializers.ValidationError(problems)
    return value


def _terms() -> serializers.ListField:
    return serializers.ListField(child=serializers.CharField(max_length=200), required=False)


class BrandAccountSerializer(StrictInput, serializers.Serializer):
    platform = serializers.CharField(max_length=40)
    handle = serializers.CharField(max_length=200)


class BrandInputSerializer(StrictInput, serializers.Serializer):
    name = serializers.CharField(max_length=200)
    keywords = _terms()
    aliases = _terms()
    exclusions = _terms()
    accounts = BrandAccountSerializer(many=True, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None:
            problem = count_problem(name="BRANDS_PER_TENANT", existing=Brand.objects.count(), what=_("brands"))
            if problem:
                raise serializers.ValidationError({"name": [problem]})
        return attrs

    def validate_keywords(self, value: list[str]) -> list[str]:
        return _within_limits(value)

    def validate_aliases(self, value: list[str]) -> list[str]:
        return _within_limits(value)

    def validate_exclusions(self, value: list[str]) -> list[str]:
        return _within_limits(value)

    def validate_name(self, value: str) -> str:
        taken = Brand.objects.filter(name=value)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise serializers.ValidationError("This tenant already has a brand with this name.")
        return value

    def validate_accounts(self, value: list[dict[str, str]]) -> list[dict[str, str]]:
        most = limit("ACCOUNTS_PER_BRAND")
        if len(value) > most:
            raise serializers.ValidationError(
                ngettext("At most %(n)d account is allowed.", "At most %(n)d accounts are allowed.", most)
                % {"n": most})
        # A handle belongs to one brand of the tenant: replies from it are that brand's.
        for account in value:
            if not normalise_handle(account["handle"]):
                raise serializers.ValidationError("A handle may not be blank.")
        wanted = {(a["platform"].lower(), normalise_handle(a["handle"])) for a in value}
        if not wanted:
            return value
        others = BrandAccount.objects.filter(
            platform__in={p for p, _ in wanted}, handle__in={h for _, h in wanted}
        )
        if self.instance is not None:
            others = others.exclude(brand=self.instance)
        clash = sorted(f"{p}:{h}" for p, h in others.values_list("platform", "handle")
                       if (p, h) in wanted)
        if clash:
            raise serializers.ValidationError(
                f"Already an account of another brand: {', '.join(clash)}."
            )
        return value


class BrandOutputSerializer(serializers.ModelSerializer):
    accounts = BrandAccountSerializer(many=True, read_only=True)

    class Meta:
        model = Brand
        fields = ["id", "name", "keywords", "aliases", "exclusions", "accounts", "created_at"]
        read_only_fields = fields


class BrandViewSet(TenantScopedViewSetMixin, GenericViewSet):
    model = Brand
    required_roles = READ_FOR_MEMBERS_WRITE_FOR_ADMINS
    serializer_class = BrandOutputSerializer
    pagination_class = ByNamePagination

    def safely_get_queryset(self) -> QuerySet[Brand]:
        return Brand.objects.prefetch_related("accounts").order_by("name", "id")

    @extend_schema(responses=BrandOutputSerializer(many=True))
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(BrandOutputSerializer(page, many=True).data)

    @extend_schema(responses=BrandOutputSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(BrandOutputSerializer(self.get_object()).data)

    @extend_schema(request=BrandInputSerializer, responses={201: BrandOutputSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = BrandInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        brand = brand_create(tenant=self.tenant, **data.validated_data)
        return Response(self._output(brand.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=BrandInputSerializer, responses=BrandOutputSerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        brand = self.get_object()
        partial = kwargs.get("partial", False)
        data = BrandInputSerializer(brand, data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        brand_update(brand=brand, **data.validated_data)
        return Response(self._output(brand.pk))

    @extend_schema(request=BrandInputSerializer(partial=True), responses=BrandOutputSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        brand_delete(brand=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _output(self, pk: int) -> dict[str, Any]:
        # Read back through the scoped queryset, so accounts are the stored ones.
        return BrandOutputSerializer(self.get_queryset().get(pk=pk)).data
