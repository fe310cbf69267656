"""/api/v1/tenants/<tenant_slug>/corrections/ and rules/: people teaching the classifier.

- ``corrections/``: GET the history (filter by field, since, mention); POST relabels one field of
  one mention, which takes effect at once and survives reclassification.
- ``corrections/export/``: GET the latest label of every corrected (mention, field) as CSV, in the
  columns ``evaluate_classifier`` and training read.
- ``rules/`` and ``rules/<id>/``: phrases that always or never mean complaint or spam.

Analysts and up write; every member reads, except the export (the texts in bulk): analysts up.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import renderers, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet

from listening.api.authentication import request_user
from listening.api.pagination import CursorPagination
from listening.api.permissions import READ_FOR_MEMBERS_WRITE_FOR_ANALYSTS
from listening.api.renderers import JSONRenderer
from listening.api.routing import TenantScopedViewSetMixin
from listening.api.strict import StrictInput
from listening.limits import count_problem
from listening.models import Brand, Correction, Mention, Role, TenantRule
from listening.models.corrections import FIELD_LABELS, CorrectionField, RuleEffect
from listening.scoping import TenantOwned
from listening.selectors.corrections import correction_list, corrections_for_export, rule_list, write_export_csv
from listening.services.corrections import correction_create, rule_create, rule_delete, rule_update


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id looked up through ``Model.objects``, at validation time and so inside the tenant
    scope: another tenant's id is "does not exist", like any unknown id."""

    def __init__(self, model: type[TenantOwned], **kwargs: Any) -> None:
        self.scoped_model = model
        # A placeholder that is never queried; it tells the schema generator the model.
        super().__init__(queryset=model.all_tenants.none(), **kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        return self.scoped_model.objects.all()


ALL_LABELS = sorted({label for labels in FIELD_LABELS.values() for label in labels})


class CorrectionInputSerializer(StrictInput, serializers.Serializer):
    mention = ScopedPrimaryKeyRelatedField(Mention)
    field = serializers.ChoiceField(choices=CorrectionField.choices)
    value = serializers.ChoiceField(
        choices=ALL_LABELS,
        help_text="complaint/not_complaint, spam/ham, or positive/neutral/negative",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        allowed = FIELD_LABELS[attrs["field"]]
        if attrs["value"] not in allowed:
            raise serializers.ValidationError(
                {"value": [f"A {attrs['field']} label is one of: {', '.join(allowed)}."]}
            )
        return attrs


class CorrectionFilterSerializer(StrictInput, serializers.Serializer):
    field = serializers.ChoiceField(required=False, choices=CorrectionField.choices)
    since = serializers.DateTimeField(required=False, help_text="ISO 8601; corrected at or after.")
    mention = serializers.IntegerField(required=False, min_value=1)


class CorrectionOutputSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", allow_null=True,
                                       default=None, read_only=True)

    class Meta:
        model = Correction
        fields = ["id", "mention", "field", "old_value", "new_value", "created_by", "created_at"]
        read_only_fields = fields


class CorrectionViewSet(TenantScopedViewSetMixin, GenericViewSet):
    model = Correction
    required_roles = READ_FOR_MEMBERS_WRITE_FOR_ANALYSTS
    serializer_class = CorrectionOutputSerializer
    pagination_class = CursorPagination

    def safely_get_queryset(self) -> QuerySet[Correction]:
        if self.action != "list":
            return correction_list()
        params = CorrectionFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        return correction_list(field=data.get("field"), since=data.get("since"),
                               mention_id=data.get("mention"))

    @extend_schema(parameters=[CorrectionFilterSerializer],
                   responses=CorrectionOutputSerializer(many=True))
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(CorrectionOutputSerializer(page, many=True).data)

    @extend_schema(request=CorrectionInputSerializer, responses={201: CorrectionOutputSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = CorrectionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        correction = correction_create(user=request_user(request), **data.validated_data)
        return Response(CorrectionOutputSerializer(correction).data, status=status.HTTP_201_CREATED)


class CSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None,
               renderer_context: Mapping[str, Any] | None = None) -> bytes:
        # Only errors come through here; the export itself is written as an HttpResponse.
        if isinstance(data, dict):
            lines = [str(message) if name == "detail" else f"{name}: {message}"
                     for name, messages in data.items()
                     for message in (messages if isinstance(messages, list) else [messages])]
            return "\n".join(lines).encode("utf-8", "backslashreplace")
        return str(data).encode("utf-8", "backslashreplace")


class ExportFilterSerializer(StrictInput, serializers.Serializer):
    task = serializers.ChoiceField(required=False, choices=CorrectionField.choices)


class CorrectionExportView(TenantScopedViewSetMixin, APIView):
    model = Correction
    required_roles = {"GET": Role.ANALYST, "HEAD": Role.ANALYST, "OPTIONS": Role.VIEWER}
    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(parameters=[ExportFilterSerializer], responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        params = ExportFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        buffer = io.StringIO()
        write_export_csv(corrections_for_export(tenants=[self.tenant],
                                                task=params.validated_data.get("task")), buffer)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="corrections-{self.tenant.slug}.csv"'
        return response


class RuleInputSerializer(StrictInput, serializers.Serializer):
    phrase = serializers.CharField(max_length=200)
    effect = serializers.ChoiceField(choices=RuleEffect.choices)
    brand = ScopedPrimaryKeyRelatedField(Brand, required=False, allow_null=True, default=None)
    is_active = serializers.BooleanField(required=False, default=True)

    def validate_phrase(self, value: str) -> str:
        if not any(ch.isalnum() for ch in value):
            raise serializers.ValidationError("A phrase needs at least one letter or digit.")
        return value


class RuleOutputSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", allow_null=True,
                                       default=None, read_only=True)

    class Meta:
        model = TenantRule
        fields = ["id", "phrase", "effect", "brand", "is_active", "created_by", "created_at"]
        read_only_fields = fields


_DUPLICATE = {"phrase": ["This tenant already has this rule."]}


class RuleViewSet(TenantScopedViewSetMixin, GenericViewSet):
    model = TenantRule
    required_roles = READ_FOR_MEMBERS_WRITE_FOR_ANALYSTS
    serializer_class = RuleOutputSerializer
    pagination_class = CursorPagination

    def safely_get_queryset(self) -> QuerySet[TenantRule]:
        return rule_list()

    @extend_schema(responses=RuleOutputSerializer(many=True))
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(RuleOutputSerializer(page, many=True).data)

    @extend_schema(responses=RuleOutputSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(RuleOutputSerializer(self.get_object()).data)

    @extend_schema(request=RuleInputSerializer, responses={201: RuleOutputSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = RuleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # Every rule is tried on every mention the tenant ingests.
        problem = count_problem(name="RULES_PER_TENANT", existing=TenantRule.objects.count(), what=_("rules"))
        if problem:
            raise serializers.ValidationError({"phrase": [problem]})
        try:
            with transaction.atomic():
                rule = rule_create(tenant=self.tenant, user=request_user(request), **data.validated_data)
        except IntegrityError:
            raise serializers.ValidationError(_DUPLICATE) from None
        return Response(RuleOutputSerializer(rule).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RuleInputSerializer, responses=RuleOutputSerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rule = self.get_object()
        data = RuleInputSerializer(data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        try:
            with transaction.atomic():
                rule_update(rule=rule, **data.validated_data)
        except IntegrityError:
            raise serializers.ValidationError(_DUPLICATE) from None
        return Response(RuleOutputSerializer(rule).data)

    @extend_schema(request=RuleInputSerializer(partial=True), responses=RuleOutputSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rule_delete(rule=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
