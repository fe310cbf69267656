"""/api/v1/tenants/<tenant_slug>/sources/: where a tenant's mentions come from, and their health.

A source's config is checked by its adapter (``workers.adapters.registry``), and its errors come
back field by field under ``config``. Secret settings are stored encrypted and never echoed:
they read as ``MASK``, and sending ``MASK`` back on an update keeps the stored value.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from listening.api.fields import TextSafeJSONField
from listening.api.pagination import ByNamePagination
from listening.api.permissions import READ_FOR_MEMBERS_WRITE_FOR_ADMINS
from listening.api.routing import TenantScopedViewSetMixin
from listening.api.strict import StrictInput
from listening.limits import config_problem, count_problem, limit
from listening.models import Brand, Source
from listening.selectors.sources import source_feed_notes
from listening.services.credentials import CredentialError, secrets_read, secrets_split
from listening.services.sources import source_create, source_update
from listening.services.webhooks import META_KINDS
from workers.adapters import registry
from workers.adapters.base import ConfigError

MASK = "********"


def _secret_keys(kind: str, config: dict[str, Any]) -> set[str]:
    try:
        fields = registry.adapter_class(kind).config_schema.fields
    except registry.UnknownAdapter:
        # Which settings are secret is unknown without the adapter: hide them all.
        return set(config)
    return {name for name, spec in fields.items() if spec.secret}


def config_masked(*, kind: str, config: Any) -> Any:
    if not isinstance(config, dict):
        return config
    secret = _secret_keys(kind, config)
    return {k: (MASK if k in secret and v not in (None, "") else v) for k, v in config.items()}


class SourceInputSerializer(StrictInput, serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.CharField(max_length=80)
    config = TextSafeJSONField(required=False, help_text="The kind's settings, a JSON object.")
    poll_interval_seconds = serializers.IntegerField(
        max_value=86_400, required=False,
        help_text="At least DENGAR_LIMIT_POLL_INTERVAL_MIN_SECONDS (60 by default).")
    paused = serializers.BooleanField(required=False)
    # Declared with the scoped manager (evaluated per request, inside the tenant scope): the
    # field DRF would generate uses the default manager and would accept another tenant's brand.
    brand = serializers.PrimaryKeyRelatedField(
        queryset=Brand.objects, allow_null=True, required=False
    )

    def validate_name(self, value: str) -> str:
        taken = Source.objects.filter(name=value)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise serializers.ValidationError("This tenant already has a source with this name.")
        return value

    def validate_poll_interval_seconds(self, value: int) -> int:
        least = limit("POLL_INTERVAL_MIN_SECONDS")
        if value < least:
            raise serializers.ValidationError(
                _("The poll interval must be at least %(n)d seconds.") % {"n": least})
        return value

    def validate_kind(self, value: str) -> str:
        try:
            registry.adapter_class(value)
        except registry.UnknownAdapter:
            raise serializers.ValidationError(
                f"Unknown source kind. Known kinds: {', '.join(registry.kinds())}."
            ) from None
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        instance: Source | None = self.instance
        kind = attrs.get("kind", instance.kind if instance else "")
        stored = instance.config if instance is not None else {}
        config = attrs.get("config", stored)
        if self.instance is None:
            problem = count_problem(name="SOURCES_PER_TENANT", existing=Source.objects.count(), what=_("sources"))
            if problem:
                raise serializers.ValidationError({"name": [problem]})
        if not isinstance(config, dict):
            raise serializers.ValidationError({"config": ["Must be a JSON object."]})
        too_big = config_problem(config)
        if too_big:
            raise serializers.ValidationError({"config": [too_big]})
        if instance is not None and instance.kind == kind:
            # A masked secret sent back unchanged means "keep it".
            kept = [k for k, v in config.items() if v == MASK and (k in instance.secrets or k in instance.config)]
            if kept:
                try:
                    stored_secrets = secrets_read(source=instance)
                except CredentialError as exc:
                    raise serializers.ValidationError({"config": [str(exc)]}) from None
                config = {**config, **{k: stored_secrets.get(k, instance.config.get(k)) for k in kept}}
        try:
            attrs["config"] = registry.validate_config(kind, config)
        except ConfigError as exc:
            raise serializers.ValidationError({"config": exc.errors}) from None
        # Refused here, before anything is written, when this deployment cannot encrypt them.
        try:
            secrets_split(kind=kind, config=attrs["config"])
        except CredentialError as exc:
            raise serializers.ValidationError({"config": [str(exc)]}) from None
        return attrs


class SourceOutputSerializer(serializers.ModelSerializer):
    config = serializers.SerializerMethodField()
    health = serializers.CharField(read_only=True)
    # What the adapter noticed about the feed on its last read, in words, as the tenant page says it.
    feed_notes = serializers.SerializerMethodField()
    # Where the platform delivers this source's items (kinds with webhooks; null otherwise):
    # the path on Dengar's public address, with the verify token to give the platform.
    webhook_path = serializers.SerializerMethodField()

    class Meta:
        model = Source
        fields = [
            "id", "name", "kind", "config", "poll_interval_seconds", "paused", "brand",
            "health", "last_success_at", "consecutive_failures", "last_error", "last_error_at",
            "items_rejected", "last_rejection", "feed_notes", "mentions_ingested", "created_at",
            "webhook_path", "webhook_received_at", "webhook_rejected", "webhook_rejected_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_feed_notes(self, source: Source) -> list[str]:
        return source_feed_notes(source=source)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_webhook_path(self, source: Source) -> str | None:
        if source.kind not in META_KINDS:
            return None
        return reverse("api-hook-meta", kwargs={"webhook_key": source.webhook_key})

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_config(self, source: Source) -> Any:
        # A stored secret reads as the mask: it is set, and that is all the API ever says of it.
        masked = config_masked(kind=source.kind, config=source.config)
        if isinstance(masked, dict) and source.secrets:
            return {**masked, **dict.fromkeys(source.secrets, MASK)}
        return masked


class SourceViewSet(TenantScopedViewSetMixin, GenericViewSet):
    model = Source
    required_roles = READ_FOR_MEMBERS_WRITE_FOR_ADMINS
    serializer_class = SourceOutputSerializer
    pagination_class = ByNamePagination

    def safely_get_queryset(self) -> QuerySet[Source]:
        return Source.objects.order_by("name", "id")

    @extend_schema(responses=SourceOutputSerializer(many=True))
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(SourceOutputSerializer(page, many=True).data)

    @extend_schema(responses=SourceOutputSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(SourceOutputSerializer(self.get_object()).data)

    @extend_schema(request=SourceInputSerializer, responses={201: SourceOutputSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = SourceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        source = source_create(
            tenant=self.tenant,
            name=fields.pop("name"),
            kind=fields.pop("kind"),
            config=fields.pop("config"),
            **fields,
        )
        return Response(SourceOutputSerializer(source).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SourceInputSerializer, responses=SourceOutputSerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        source = self.get_object()
        data = SourceInputSerializer(source, data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        source_update(source=source, **data.validated_data)
        return Response(SourceOutputSerializer(source).data)

    @extend_schema(request=SourceInputSerializer(partial=True), responses=SourceOutputSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Its mentions go with it (CASCADE): deleting a source is deleting what it collected.
        self.get_object().delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
