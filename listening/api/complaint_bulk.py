"""Working the complaint queue through the API, under /api/v1/tenants/<tenant_slug>/:

- ``complaint-bulk-actions/``: GET the tenant's bulk actions, newest first; POST one (analysts
  and up) over the ``ids`` given or, with ``all_matching``, over every mention the query
  parameters select (the mention list's filters, the same definition); ``dry_run`` counts what
  would change and changes nothing (the confirmation step);
- ``complaint-bulk-actions/<id>/`` and ``…/<id>/undo/``: one action; POST undo puts back what it
  changed, once (409 the second time);
- ``saved-views/`` and ``saved-views/<id>/``: the caller's own saved views of the mention list.

Ids of another tenant's mentions in ``ids`` are not found, never touched, and counted in
``not_found``, the same as ids that do not exist.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from listening.api.complaints import UserSerializer
from listening.api.mentions import MentionFilterSerializer
from listening.api.pagination import CursorPagination
from listening.api.permissions import READ_FOR_MEMBERS_WRITE_FOR_ANALYSTS
from listening.api.routing import TenantScopedViewSetMixin
from listening.api.schema import CONFLICT
from listening.api.strict import StrictInput
from listening.models import BulkAction, BulkActionKind, SavedView
from listening.models.tenancy import Role
from listening.selectors.complaint_queue import (
    SAVED_VIEW_KEYS,
    bulk_action_list,
    bulk_selection,
    saved_view_list,
)
from listening.services.complaint_bulk import (
    BULK_LIMIT,
    BulkAlreadyUndone,
    BulkAssigneeNotMember,
    BulkTooLarge,
    bulk_action_undo,
    complaints_bulk_apply,
    complaints_bulk_preview,
)
from listening.services.saved_views import SavedViewError, saved_view_create, saved_view_delete


def _user(request: Request) -> User:
    # Signed in: the mixin's IsAuthenticated ran before any handler.
    return cast(User, request.user)


class BulkInputSerializer(StrictInput, serializers.Serializer):
    action = serializers.ChoiceField(choices=BulkActionKind.choices)
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), required=False,
        allow_empty=False, max_length=BULK_LIMIT,
        help_text="The mentions to act on; or all_matching instead.",
    )
    all_matching = serializers.BooleanField(
        required=False, default=False,
        help_text="Act on every mention the query parameters (the mention list's filters) select.",
    )
    assigned_to = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**63 - 1,
        help_text="For assign: a member's user id; null unassigns.",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text="Count what would change; change nothing.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("ids" in attrs) == bool(attrs.get("all_matching")):
            raise serializers.ValidationError(
                {"ids": [_("Give either ids or all_matching: true, not both.")]})
        if attrs["action"] == BulkActionKind.ASSIGN and "assigned_to" not in attrs:
            raise serializers.ValidationError({"assigned_to": [_("Whom to assign them to (null: nobody).")]})
        return attrs


class BulkPreviewSerializer(serializers.Serializer):
    action = serializers.CharField()
    requested = serializers.IntegerField(help_text="How many mentions were asked for.")
    not_found = serializers.IntegerField(help_text="Ids that are no mention of this tenant.")
    will_change = serializers.IntegerField()
    limit = serializers.IntegerField(help_text="The most one action may change.")


class BulkActionOutputSerializer(serializers.ModelSerializer):
    actor = UserSerializer(allow_null=True, read_only=True)
    assignee = UserSerializer(allow_null=True, read_only=True)
    undone_by = UserSerializer(allow_null=True, read_only=True)

    class Meta:
        model = BulkAction
        fields = ["id", "action", "actor", "assignee", "note", "requested", "changed", "created_at",
                  "undone_at", "undone_by", "restored"]
        read_only_fields = fields


class BulkResultSerializer(BulkActionOutputSerializer):
    not_found = serializers.IntegerField(read_only=True)

    class Meta(BulkActionOutputSerializer.Meta):
        fields = [*BulkActionOutputSerializer.Meta.fields, "not_found"]
        read_only_fields = fields


class UndoResultSerializer(serializers.Serializer):
    bulk_action = BulkActionOutputSerializer()
    restored = serializers.IntegerField()
    skipped = serializers.IntegerField(help_text="Changed again since the action: left as they are.")


class NewestPagination(CursorPagination):
    ordering = ("-created_at", "-id")


class BulkActionViewSet(TenantScopedViewSetMixin, GenericViewSet):
    model = BulkAction
    required_roles = READ_FOR_MEMBERS_WRITE_FOR_ANALYSTS
    serializer_class = BulkActionOutputSerializer
    pagination_class = NewestPagination

    def safely_get_queryset(self) -> QuerySet[BulkAction]:
        return bulk_action_list()

    @extend_schema(responses=BulkActionOutputSerializer(many=True))
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(BulkActionOutputSerializer(page, many=True).data)

    @extend_schema(responses=BulkActionOutputSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(BulkActionOutputSerializer(self.get_object()).data)

    @extend_schema(parameters=[MentionFilterSerializer], request=BulkInputSerializer,
                   responses={200: BulkPreviewSerializer, 201: BulkResultSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = BulkInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        body = data.validated_data
        # The filters are checked whether or not they choose the rows: a bad one is a 400, never
        # silently ignored beside a list of ids.
        params = MentionFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        if body.get("all_matching"):
            selection = bulk_selection(filters=params.filters())
            requested = selection.count()
            not_found = 0
        else:
            ids = set(body["ids"])
            selection = bulk_selection(ids=ids)
            requested = len(ids)
            not_found = requested - selection.count()
        assignee = None
        if body["action"] == BulkActionKind.ASSIGN and body["assigned_to"] is not None:
            # An unknown id and a non-member get the same answer: other tenants' people leak nothing.
            assignee = get_user_model().objects.filter(pk=body["assigned_to"]).first()
            if assignee is None:
                raise serializers.ValidationError({"assigned_to": [_("Not a member of this tenant.")]})
        if body["dry_run"]:
            preview = complaints_bulk_preview(action=body["action"], selection=selection,
                                              requested=requested, assignee=assignee)
            return Response(BulkPreviewSerializer({
                "action": preview.action, "requested": preview.requested, "not_found": not_found,
                "will_change": preview.will_change, "limit": preview.limit,
            }).data)
        try:
            bulk = complaints_bulk_apply(
                tenant=self.tenant, actor=_user(request), action=body["action"], selection=selection,
                requested=requested, assignee=assignee, note=body["note"],
            )
        except BulkAssigneeNotMember as exc:
            raise serializers.ValidationError({"assigned_to": [str(exc)]}) from None
        except BulkTooLarge as exc:
            raise serializers.ValidationError({"non_field_errors": [str(exc)]}) from None
        bulk.not_found = not_found  # type: ignore[attr-defined]
        return Response(BulkResultSerializer(bulk).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: UndoResultSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def undo(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        bulk = self.get_object()
        try:
            result = bulk_action_undo(bulk_action=bulk, actor=_user(request))
        except BulkAlreadyUndone as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return Response(UndoResultSerializer(result).data)


# --- saved views ---------------------------------------------------------------------------------


class SavedViewSerializer(StrictInput, serializers.ModelSerializer):
    query = serializers.DictField(
        child=serializers.CharField(max_length=200, allow_blank=True), required=False, default=dict,
        help_text="The mention list's query parameters, as the dashboard writes them: "
                  + ", ".join(SAVED_VIEW_KEYS) + ".",
    )

    class Meta:
        model = SavedView
        fields = ["id", "name", "query", "created_at"]
        read_only_fields = ["id", "created_at"]

    def validate_query(self, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(SAVED_VIEW_KEYS))
        if unknown:
            raise serializers.ValidationError(
                _("Unknown parameters: %(names)s.") % {"names": ", ".join(unknown)})
        return value


class SavedViewViewSet(TenantScopedViewSetMixin, GenericViewSet):
    """Each person's own: another member's saved view is a 404 like another tenant's."""

    model = SavedView
    # Saving a view changes nothing of the tenant's: every member may keep their own.
    required_roles = {**READ_FOR_MEMBERS_WRITE_FOR_ANALYSTS, "POST": Role.VIEWER, "DELETE": Role.VIEWER}
    serializer_class = SavedViewSerializer
    pagination_class = CursorPagination

    def safely_get_queryset(self) -> QuerySet[SavedView]:
        return saved_view_list(user=_user(self.request))

    @extend_schema(responses=SavedViewSerializer(many=True))
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(SavedViewSerializer(page, many=True).data)

    @extend_schema(responses=SavedViewSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(SavedViewSerializer(self.get_object()).data)

    @extend_schema(request=SavedViewSerializer, responses={201: SavedViewSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = SavedViewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            view = saved_view_create(tenant=self.tenant, user=_user(request), **data.validated_data)
        except SavedViewError as exc:
            raise serializers.ValidationError({"name": [str(exc)]}) from None
        return Response(SavedViewSerializer(view).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        saved_view_delete(saved_view=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
