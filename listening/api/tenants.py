"""/api/v1/tenants/: the tenants a user may see, and one tenant with its flags."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from listening.api.authentication import request_token, request_user
from listening.api.pagination import ByNamePagination
from listening.api.permissions import READ_FOR_MEMBERS
from listening.api.routing import TenantScopedViewSetMixin
from listening.models import Tenant
from listening.models.tenancy import Role
from listening.selectors.flags import tenant_flags
from listening.selectors.tenancy import roles_by_tenant, tenants_visible_to


class AgencySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class TenantOutputSerializer(serializers.ModelSerializer):
    agency = AgencySerializer(allow_null=True, read_only=True)
    role = serializers.SerializerMethodField()

    class Meta:
        model = Tenant
        fields = ["slug", "name", "agency", "timezone", "response_target_minutes", "role"]
        read_only_fields = fields

    def get_role(self, tenant: Tenant) -> str | None:
        roles: dict[int, Role] = self.context["roles"]
        role = roles.get(tenant.pk)
        return role.value if role else None


class TenantFlagsSummarySerializer(serializers.Serializer):
    unanswered_count = serializers.IntegerField()
    oldest_unanswered_at = serializers.DateTimeField(allow_null=True)
    volume_explanation = serializers.CharField(source="volume.explanation")
    live_alerts = serializers.DictField(child=serializers.IntegerField(),
                                        help_text="Open and acknowledged alerts by kind.")
    flagged = serializers.BooleanField()


class TenantDetailOutputSerializer(TenantOutputSerializer):
    flags = serializers.SerializerMethodField()

    class Meta(TenantOutputSerializer.Meta):
        fields = [*TenantOutputSerializer.Meta.fields, "flags"]
        read_only_fields = fields

    @extend_schema_field(TenantFlagsSummarySerializer)
    def get_flags(self, tenant: Tenant) -> dict[str, Any]:
        return TenantFlagsSummarySerializer(self.context["flags"]).data


class TenantListView(GenericAPIView):
    """Not tenant-scoped: it lists the tenants, each found through the user's memberships. An API
    token sees only the tenant it was made for."""

    permission_classes = [IsAuthenticated]
    serializer_class = TenantOutputSerializer
    pagination_class = ByNamePagination

    def get_queryset(self) -> QuerySet[Tenant]:
        tenants = tenants_visible_to(user=self.request.user)
        token = request_token(self.request)
        return tenants if token is None else tenants.filter(pk=token.tenant_id)

    @extend_schema(responses=TenantOutputSerializer(many=True))
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset()) or []
        roles = roles_by_tenant(user=request_user(request), tenants=page)
        data = TenantOutputSerializer(page, many=True, context={"roles": roles}).data
        return self.get_paginated_response(data)


class TenantDetailView(TenantScopedViewSetMixin, APIView):
    required_roles = READ_FOR_MEMBERS

    @extend_schema(responses=TenantDetailOutputSerializer)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        context = {
            "roles": {self.tenant.pk: self.tenant_role},
            "flags": tenant_flags(tenant=self.tenant),
        }
        return Response(TenantDetailOutputSerializer(self.tenant, context=context).data)
