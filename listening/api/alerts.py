"""/api/v1/tenants/<tenant_slug>/alerts/, alert-channels/ and alert-settings/.

- ``alerts/``: every member reads (filter by ``status``: open, acknowledged, resolved or live;
  and by ``kind``); ``alerts/<id>/acknowledge/`` and ``alerts/<id>/resolve/``: analysts and up;
  ``alerts/<id>/feedback/``: analysts and up say whether the alert was useful, not useful or
  wrong (one current verdict each; it tunes that brand's alerts, see alert_feedback).
- ``alert-channels/``: where alerts are sent; admins and owners only, reading included (the
  targets are addresses and URLs). The signing secret is write-only: never returned.
- ``alert-settings/``: the detector's sensitivity and the cool-down; members read, admins write.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet

from listening.api.authentication import request_user
from listening.api.pagination import CursorPagination
from listening.api.permissions import (
    READ_FOR_MEMBERS_WRITE_FOR_ADMINS,
    READ_FOR_MEMBERS_WRITE_FOR_ANALYSTS,
)
from listening.api.routing import TenantScopedViewSetMixin
from listening.api.schema import CONFLICT
from listening.api.strict import StrictInput
from listening.limits import count_problem
from listening.models import Alert, AlertChannel, Role, Tenant
from listening.models.alerts import AlertKind, AlertStatus, ChannelKind, FeedbackVerdict, PayloadFormat
from listening.selectors.alert_feedback import alert_feedback_list
from listening.selectors.alerts import alert_channel_list, alert_history, alert_list
from listening.services.alert_feedback import alert_feedback_give
from listening.services.alerts import AlertStateError, alert_acknowledge, alert_resolve
from listening.services.webhook_targets import webhook_host_refusal

ADMINS_ONLY = {method: Role.ADMIN for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")}
ADMINS_ONLY["OPTIONS"] = Role.VIEWER


class AlertFilterSerializer(StrictInput, serializers.Serializer):
    status = serializers.ChoiceField(required=False, choices=[*AlertStatus.values, "live"])
    kind = serializers.ChoiceField(required=False, choices=AlertKind.choices)


class AlertOutputSerializer(serializers.ModelSerializer):
    acknowledged_by = serializers.CharField(source="acknowledged_by.username", allow_null=True,
                                            default=None, read_only=True)
    resolved_by = serializers.CharField(source="resolved_by.username", allow_null=True,
                                        default=None, read_only=True)

    class Meta:
        model = Alert
        fields = ["id", "kind", "key", "status", "severity", "title", "explanation", "data",
                  "opened_at", "last_seen_at", "acknowledged_at", "acknowledged_by",
                  "resolved_at", "resolved_by"]
        read_only_fields = fields


class AlertEventSerializer(serializers.Serializer):
    action = serializers.CharField()
    by = serializers.CharField(source="by.username", allow_null=True, default=None)
    at = serializers.DateTimeField()
    note = serializers.CharField()


class AlertFeedbackSerializer(serializers.Serializer):
    user = serializers.CharField(source="user.username")
    verdict = serializers.ChoiceField(choices=FeedbackVerdict.choices)
    note = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class AlertFeedbackInputSerializer(StrictInput, serializers.Serializer):
    verdict = serializers.ChoiceField(
        choices=FeedbackVerdict.choices,
        help_text="useful; not_useful (true, but not worth telling); wrong (a false alarm).")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class AlertDetailSerializer(AlertOutputSerializer):
    history = serializers.SerializerMethodField()
    feedback = serializers.SerializerMethodField()

    class Meta(AlertOutputSerializer.Meta):
        fields = [*AlertOutputSerializer.Meta.fields, "history", "feedback"]
        read_only_fields = fields

    @extend_schema(responses=AlertEventSerializer(many=True))
    def get_history(self, alert: Alert) -> list[dict[str, Any]]:
        # many=True makes a ListSerializer, whose data is a list; the stubs keep the class's dict.
        return AlertEventSerializer(alert_history(alert=alert), many=True).data  # type: ignore[return-value]

    @extend_schema(responses=AlertFeedbackSerializer(many=True))
    def get_feedback(self, alert: Alert) -> list[dict[str, Any]]:
        return AlertFeedbackSerializer(alert_feedback_list(alert=alert), many=True).data  # type: ignore[return-value]


class AlertViewSet(TenantScopedViewSetMixin, GenericViewSet):
    model = Alert
    required_roles = READ_FOR_MEMBERS_WRITE_FOR_ANALYSTS
    serializer_class = AlertOutputSerializer
    pagination_class = CursorPagination

    def safely_get_queryset(self) -> QuerySet[Alert]:
        if self.action != "list":
            return alert_list()
        params = AlertFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return alert_list(status=params.validated_data.get("status"),
                          kind=params.validated_data.get("kind"))

    @extend_schema(parameters=[AlertFilterSerializer], responses=AlertOutputSerializer(many=True))
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(AlertOutputSerializer(page, many=True).data)

    @extend_schema(responses=AlertDetailSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(AlertDetailSerializer(self.get_object()).data)

    def _change(self, request: Request, action: Any) -> Response:
        alert = self.get_object()
        try:
            action(alert=alert, user=request_user(request))
        except AlertStateError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        alert.refresh_from_db()
        return Response(AlertDetailSerializer(alert).data)

    @extend_schema(request=None, responses={200: AlertDetailSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._change(request, alert_acknowledge)

    @extend_schema(request=None, responses={200: AlertDetailSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._change(request, alert_resolve)

    @extend_schema(request=AlertFeedbackInputSerializer, responses=AlertDetailSerializer)
    @action(detail=True, methods=["post"])
    def feedback(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        alert = self.get_object()
        data = AlertFeedbackInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        alert_feedback_give(alert=alert, user=request.user, verdict=data.validated_data["verdict"],
                            note=data.validated_data.get("note", ""))
        return Response(AlertDetailSerializer(alert).data)


class AlertChannelInputSerializer(StrictInput, serializers.Serializer):
    name = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=ChannelKind.choices)
    target = serializers.CharField(max_length=500)
    secret = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                   write_only=True, help_text="Signs webhook bodies; write-only.")
    payload_format = serializers.ChoiceField(choices=PayloadFormat.choices, required=False)
    active = serializers.BooleanField(required=False)
    events = serializers.ListField(child=serializers.ChoiceField(choices=AlertKind.choices),
                                   max_length=len(AlertKind.choices),
                                   required=False, help_text="Alert kinds to send; empty: all.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        instance: AlertChannel | None = self.instance
        if instance is None:
            problem = count_problem(name="ALERT_CHANNELS_PER_TENANT", existing=AlertChannel.objects.count(),
                                    what=gettext("alert channels"))
            if problem:
                raise serializers.ValidationError({"name": [problem]})
        kind = attrs.get("kind", instance.kind if instance else "")
        target = attrs.get("target", instance.target if instance else "")
        if kind == ChannelKind.EMAIL:
            addresses = [a.strip() for a in target.split(",") if a.strip()]
            if not addresses:
                raise serializers.ValidationError({"target": ["Give at least one address."]})
            for address in addresses:
                try:
                    validate_email(address)
                except Exception:
                    raise serializers.ValidationError(
                        {"target": [f"{address} is not an email address."]}) from None
        else:
            url = urlparse(target)
            try:
                host = url.hostname
                _ = url.port  # raises ValueError on a malformed port
            except ValueError:
                host = None
            if url.scheme not in ("http", "https") or not host:
                raise serializers.ValidationError({"target": ["Give an http(s) URL."]})
            refusal = webhook_host_refusal(host)
            if refusal:
                raise serializers.ValidationError({"target": [refusal]})
        return attrs


class AlertChannelOutputSerializer(serializers.ModelSerializer):
    has_secret = serializers.SerializerMethodField()

    class Meta:
        model = AlertChannel
        fields = ["id", "name", "kind", "target", "payload_format", "active", "events",
                  "has_secret", "created_at"]
        read_only_fields = fields

    def get_has_secret(self, channel: AlertChannel) -> bool:
        return bool(channel.secret)


_DUPLICATE = {"name": ["This tenant already has a channel with this name."]}


class AlertChannelViewSet(TenantScopedViewSetMixin, GenericViewSet):
    model = AlertChannel
    required_roles = ADMINS_ONLY
    serializer_class = AlertChannelOutputSerializer
    pagination_class = CursorPagination

    def safely_get_queryset(self) -> QuerySet[AlertChannel]:
        return alert_channel_list()

    @extend_schema(responses=AlertChannelOutputSerializer(many=True))
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(AlertChannelOutputSerializer(page, many=True).data)

    @extend_schema(responses=AlertChannelOutputSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(AlertChannelOutputSerializer(self.get_object()).data)

    def _save(self, channel: AlertChannel, fields: dict[str, Any]) -> None:
        for name, value in fields.items():
            setattr(channel, name, value)
        try:
            with transaction.atomic():
                channel.save()
        except IntegrityError:
            raise serializers.ValidationError(_DUPLICATE) from None

    @extend_schema(request=AlertChannelInputSerializer, responses={201: AlertChannelOutputSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = AlertChannelInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        channel = AlertChannel(tenant=self.tenant)
        self._save(channel, dict(data.validated_data))
        return Response(AlertChannelOutputSerializer(channel).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AlertChannelInputSerializer, responses=AlertChannelOutputSerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        channel = self.get_object()
        data = AlertChannelInputSerializer(channel, data=request.data,
                                           partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        self._save(channel, dict(data.validated_data))
        return Response(AlertChannelOutputSerializer(channel).data)

    @extend_schema(request=AlertChannelInputSerializer(partial=True),
                   responses=AlertChannelOutputSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.get_object().delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class AlertSettingsSerializer(StrictInput, serializers.ModelSerializer):
    alert_cooldown_minutes = serializers.IntegerField(min_value=0, max_value=7 * 24 * 60)

    class Meta:
        model = Tenant
        fields = ["alert_sensitivity", "alert_cooldown_minutes"]


class AlertSettingsView(TenantScopedViewSetMixin, APIView):
    model = Tenant
    required_roles = READ_FOR_MEMBERS_WRITE_FOR_ADMINS

    @extend_schema(responses=AlertSettingsSerializer)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(AlertSettingsSerializer(self.tenant).data)

    @extend_schema(request=AlertSettingsSerializer, responses=AlertSettingsSerializer)
    def put(self, request: Request, *args: Any, partial: bool = False, **kwargs: Any) -> Response:
        data = AlertSettingsSerializer(self.tenant, data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        for name, value in data.validated_data.items():
            setattr(self.tenant, name, value)
        self.tenant.save(update_fields=list(data.validated_data))
        return Response(AlertSettingsSerializer(self.tenant).data)

    @extend_schema(request=AlertSettingsSerializer(partial=True), responses=AlertSettingsSerializer)
    def patch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.put(request, *args, partial=True, **kwargs)
