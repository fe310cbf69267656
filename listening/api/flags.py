"""/api/v1/tenants/<tenant_slug>/flags/: what needs a person's attention on one tenant."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from listening import figures
from listening.api.permissions import READ_FOR_MEMBERS
from listening.api.routing import TenantScopedViewSetMixin
from listening.models import Mention
from listening.selectors.alerts import tenant_live_alert_counts
from listening.selectors.flags import unanswered_complaints, volume_change

OLDEST_SHOWN = 20


class VolumeChangeSerializer(serializers.Serializer):
    last_7_days = serializers.IntegerField()
    weekly_baseline = serializers.FloatField()
    change = serializers.FloatField(allow_null=True)
    declining = serializers.BooleanField()
    surging = serializers.BooleanField()
    explanation = serializers.CharField()
    unhealthy_sources = serializers.ListField(child=serializers.CharField())


class OverdueComplaintSerializer(serializers.ModelSerializer):
    age_minutes = serializers.SerializerMethodField(help_text="Wall-clock, since publication.")
    age_human = serializers.SerializerMethodField(help_text="The age as the pages say it: '34 d 23 h'.")
    url = serializers.CharField(read_only=True, help_text="Its address; empty when the source gave none.")

    class Meta:
        model = Mention
        fields = ["id", "brand", "source", "platform", "author_handle", "text", "url",
                  "published_at", "reply_kind", "age_minutes", "age_human"]
        read_only_fields = fields

    def get_age_minutes(self, mention: Mention) -> int:
        now: datetime = self.context["now"]
        return int((now - mention.published_at).total_seconds() // 60)

    def get_age_human(self, mention: Mention) -> str:
        now: datetime = self.context["now"]
        return figures.duration((now - mention.published_at).total_seconds())


class UnansweredSerializer(serializers.Serializer):
    counts = serializers.CharField(help_text="What is counted, the tenant's overdue_counts setting: "
                                   "complaints, complaints_questions or all.")
    count = serializers.IntegerField()
    oldest_at = serializers.DateTimeField(allow_null=True)
    oldest = OverdueComplaintSerializer(many=True)


class FlagsSerializer(serializers.Serializer):
    unanswered = UnansweredSerializer()
    volume = VolumeChangeSerializer()
    live_alerts = serializers.DictField(child=serializers.IntegerField(),
                                        help_text="Open and acknowledged alerts by kind.")


class FlagsView(TenantScopedViewSetMixin, APIView):
    required_roles = READ_FOR_MEMBERS

    @extend_schema(responses=FlagsSerializer)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        now = timezone.now()
        overdue = unanswered_complaints(tenant=self.tenant, now=now)
        oldest = list(overdue[:OLDEST_SHOWN])
        count = overdue.count()
        data = {
            "unanswered": {
                "counts": self.tenant.overdue_counts,
                "count": count,
                "oldest_at": oldest[0].published_at if oldest else None,
                "oldest": oldest,
            },
            "volume": volume_change(tenant=self.tenant, now=now),
            "live_alerts": tenant_live_alert_counts(tenant=self.tenant),
        }
        return Response(FlagsSerializer(data, context={"now": now}).data)
