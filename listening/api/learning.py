"""/api/v1/tenants/<tenant_slug>/learning/: the tenant's own model, learnt from its corrections.

- ``learning/``: GET what it learnt: corrections per task, the version in use (or none: the
  shipped engine), and per task the estimated macro-F1 and accuracy on the team's held-back
  corrections, beside the shipped engine's on the same corrections.
- ``learning/use-engine/``: POST goes back to the shipped engine (admins and owners).
- ``learning/versions/`` and ``learning/versions/<id>/``: every kept version;
  ``…/<id>/activate/``: POST puts that version in use (admins and owners).

Either switch reclassifies the tenant's stored mentions in the background.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet

from listening.analysis.learning import TASK_LABELS
from listening.api.pagination import CursorPagination
from listening.api.permissions import READ_FOR_MEMBERS, READ_FOR_MEMBERS_WRITE_FOR_ADMINS
from listening.api.routing import TenantScopedViewSetMixin
from listening.models import LearnedModel, LearningState, Role
from listening.selectors.learning import learned_model_list, learning_overview
from listening.services.learning import learned_model_activate, learning_use_engine


class TaskEstimateSerializer(serializers.Serializer):
    task = serializers.ChoiceField(choices=list(TASK_LABELS))
    examples = serializers.IntegerField(help_text="Corrected mentions of this task it learnt from.")
    learnt = serializers.BooleanField(
        help_text="False: on these corrections the model did not beat the shipped engine, so the "
                  "engine decides this task.")
    model_macro_f1 = serializers.FloatField(help_text="On corrections held back in training.")
    model_accuracy = serializers.FloatField()
    engine_macro_f1 = serializers.FloatField(help_text="The shipped engine on the same rows.")
    engine_accuracy = serializers.FloatField()


class LearnedModelSerializer(serializers.ModelSerializer):
    tasks = serializers.SerializerMethodField()
    activated_by = serializers.CharField(source="activated_by.username", allow_null=True,
                                         default=None, read_only=True)

    class Meta:
        model = LearnedModel
        fields = ["id", "version", "corrections", "created_at", "is_active", "activated_at",
                  "activated_by", "tasks"]
        read_only_fields = fields

    @extend_schema_field(TaskEstimateSerializer(many=True))
    def get_tasks(self, obj: LearnedModel) -> list[dict[str, Any]]:
        return [{"task": task, **obj.estimates[task]} for task in TASK_LABELS
                if task in obj.estimates]


class LearningOverviewSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(
        choices=["learnt", "engine"],
        help_text="learnt: a version is in use; engine: the shipped engine alone.")
    use_learned = serializers.BooleanField(
        help_text="False once the team chose the shipped engine: new versions are kept but not "
                  "put in use until one is activated.")
    corrections = serializers.DictField(child=serializers.IntegerField(),
                                        help_text="Corrected mentions per task.")
    training_queued = serializers.BooleanField()
    trained_at = serializers.DateTimeField(allow_null=True)
    active = LearnedModelSerializer(allow_null=True)
    latest = LearnedModelSerializer(allow_null=True)


def _overview() -> dict[str, Any]:
    o = learning_overview()
    return {
        "mode": "learnt" if o.active is not None else "engine",
        "use_learned": o.use_learned,
        "corrections": o.corrections,
        "training_queued": o.training_queued,
        "trained_at": o.trained_at,
        "active": LearnedModelSerializer(o.active).data if o.active else None,
        "latest": LearnedModelSerializer(o.latest).data if o.latest else None,
    }


class LearningView(TenantScopedViewSetMixin, APIView):
    model = LearningState
    required_roles = READ_FOR_MEMBERS

    @extend_schema(responses=LearningOverviewSerializer)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(_overview())


class LearningUseEngineView(TenantScopedViewSetMixin, APIView):
    model = LearningState
    required_roles = {"POST": Role.ADMIN, "OPTIONS": Role.VIEWER}

    @extend_schema(request=None, responses=LearningOverviewSerializer)
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        learning_use_engine(tenant=self.tenant, user=request.user)
        return Response(_overview())


class LearnedModelViewSet(TenantScopedViewSetMixin, GenericViewSet):
    model = LearnedModel
    required_roles = READ_FOR_MEMBERS_WRITE_FOR_ADMINS
    serializer_class = LearnedModelSerializer
    pagination_class = CursorPagination

    def safely_get_queryset(self) -> QuerySet[LearnedModel]:
        return learned_model_list()

    @extend_schema(responses=LearnedModelSerializer(many=True))
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(LearnedModelSerializer(page, many=True).data)

    @extend_schema(responses=LearnedModelSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(LearnedModelSerializer(self.get_object()).data)

    @extend_schema(request=None, responses=LearnedModelSerializer)
    @action(detail=True, methods=["post"])
    def activate(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        version = learned_model_activate(version=self.get_object(), user=request.user)
        return Response(LearnedModelSerializer(version).data)
