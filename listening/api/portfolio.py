"""/api/v1/portfolio/: every tenant the user may see, with its flags, most urgent first."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from listening.api.authentication import request_token
from listening.api.flags import VolumeChangeSerializer
from listening.selectors.portfolio import agency_portfolio


class PortfolioTenantSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    agency = serializers.SlugField(source="agency.slug", allow_null=True, default=None)


class StormSerializer(serializers.Serializer):
    title = serializers.CharField()
    explanation = serializers.CharField()
    severity = serializers.CharField()


class PortfolioRowSerializer(serializers.Serializer):
    tenant = PortfolioTenantSerializer()
    flagged = serializers.BooleanField()
    unanswered_count = serializers.IntegerField()
    oldest_unanswered_at = serializers.DateTimeField(allow_null=True)
    volume = VolumeChangeSerializer()
    live_alerts = serializers.DictField(child=serializers.IntegerField(),
                                        help_text="Open and acknowledged alerts by kind.")
    storms = StormSerializer(many=True, help_text="The live complaint-storm alerts, with their figures.")


class PortfolioView(APIView):
    """Not tenant-scoped: the selector walks the user's visible tenants itself. An API token
    sees only the tenant it was made for."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=PortfolioRowSerializer(many=True))
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        token = request_token(request)
        rows = agency_portfolio(user=request.user, only_tenant_id=token.tenant_id if token else None)
        return Response(PortfolioRowSerializer(rows, many=True).data)
