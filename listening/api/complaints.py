"""Responding to complaints, under /api/v1/tenants/<tenant_slug>/:

- ``complaints/`` (filters status, assigned_to, overdue) and ``complaints/<id>/``;
- ``complaints/<id>/answer|resolve|dismiss|reopen|assign/``: POST, analysts and up;
- ``complaints/<id>/events/``: the complaint's history;
- ``response-metrics/``: first-response figures (since, until, group_by, scope);
- ``response-settings/``: answer policy, target and business hours (GET members, PATCH admins);
- ``holidays/`` and ``holidays/<id>/``: days the response clock stands still (admins write).

A refused transition (not allowed from the current status, or changed by someone else meanwhile)
is a 409; a manual answer the tenant's policy does not allow is a 400.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet

from listening.api.authentication import request_user
from listening.api.fields import HumanDurationField, TimeField
from listening.api.pagination import CursorPagination, NewestPublishedPagination
from listening.api.permissions import (
    READ_FOR_MEMBERS,
    READ_FOR_MEMBERS_WRITE_FOR_ADMINS,
    READ_FOR_MEMBERS_WRITE_FOR_ANALYSTS,
)
from listening.api.routing import TenantScopedViewSetMixin
from listening.api.schema import CONFLICT
from listening.api.strict import StrictInput
from listening.limits import count_problem
from listening.models import ComplaintEvent, Mention, TenantHoliday
from listening.models.mentions import ComplaintStatus
from listening.models.tenancy import AnswerPolicy, OverdueCounts
from listening.selectors.response import complaint_events, complaint_list, response_metrics
from listening.services import complaints as lifecycle
from listening.services.complaints import (
    AnswerPolicyForbids,
    AssigneeNotMember,
    ComplaintConflict,
    TransitionNotAllowed,
    holiday_create,
    holiday_delete,
    holiday_update,
    tenant_response_settings_update,
)
from listening.services.queue_settings import tenant_complaints_counted_from_set

STATUSES = [s for s in ComplaintStatus.values if s]
DEFAULT_METRICS_DAYS = 30


class UserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class ComplaintFilterSerializer(StrictInput, serializers.Serializer):
    status = serializers.ChoiceField(required=False, choices=STATUSES)
    assigned_to = serializers.RegexField(
        r"^(none|[0-9]{1,18})$", required=False,
        help_text="A user id, or 'none' for unassigned complaints.",
    )
    overdue = serializers.BooleanField(
        required=False, allow_null=True, default=None,
        help_text="true: only open complaints past the response target in business hours.",
    )

    def validate_assigned_to(self, value: str) -> int | str:
        if value.lower() == "none":
            return "none"
        # isascii: "²" and other digits of other scripts pass isdigit() and fail int().
        if not (value.isascii() and value.isdigit()) or len(value) > 18:
            raise serializers.ValidationError(_("A user id, or 'none'."))
        return int(value)


class ComplaintOutputSerializer(serializers.ModelSerializer):
    status = serializers.CharField(source="complaint_status", read_only=True)
    assigned_to = UserSerializer(allow_null=True, read_only=True)
    url = serializers.CharField(read_only=True, help_text="Its address; empty when the source gave none.")

    class Meta:
        model = Mention
        fields = ["id", "brand", "source", "external_id", "platform", "author_handle", "text", "url",
                  "published_at", "thread_external_id", "parent_external_id", "is_complaint",
                  "status", "assigned_to", "answered_at"]
        read_only_fields = fields


class NoteInputSerializer(StrictInput, serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class AssignInputSerializer(NoteInputSerializer):
    assigned_to = serializers.IntegerField(allow_null=True, help_text="A member's user id; null unassigns.")


class ComplaintEventOutputSerializer(serializers.ModelSerializer):
    actor = UserSerializer(allow_null=True, read_only=True)
    assignee = UserSerializer(allow_null=True, read_only=True)

    class Meta:
        model = ComplaintEvent
        fields = ["id", "action", "from_status", "to_status", "actor", "assignee", "at", "note"]
        read_only_fields = fields


class EventPagination(CursorPagination):
    ordering = ("at", "id")


class HolidayPagination(CursorPagination):
    ordering = ("date", "id")


class ComplaintViewSet(TenantScopedViewSetMixin, GenericViewSet):
    model = Mention
    required_roles = READ_FOR_MEMBERS_WRITE_FOR_ANALYSTS
    serializer_class = ComplaintOutputSerializer
    pagination_class = NewestPublishedPagination

    def safely_get_queryset(self) -> QuerySet[Mention]:
        if self.action != "list":
            return complaint_list()
        params = ComplaintFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        assigned = data.get("assigned_to")
        return complaint_list(
            status=data.get("status"), assigned_to=assigned if isinstance(assigned, int) else None,
            unassigned=assigned == "none", overdue=data.get("overdue"), tenant=self.tenant,
        )

    def _complaint(self) -> Mention:
        mention: Mention = self.get_object()
        mention.tenant = self.tenant  # the same row; spares a query for the answer policy
        return mention

    @extend_schema(parameters=[ComplaintFilterSerializer], responses=ComplaintOutputSerializer(many=True))
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ComplaintOutputSerializer(page, many=True).data)

    @extend_schema(responses=ComplaintOutputSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(ComplaintOutputSerializer(self._complaint()).data)

    def _act(self, request: Request, service: Callable[..., ComplaintEvent], **extra: Any) -> Response:
        mention = self._complaint()  # first: another tenant's id is a 404, whatever the body
        data = NoteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            service(mention=mention, actor=request_user(request), note=data.validated_data["note"], **extra)
        except AnswerPolicyForbids as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        except (TransitionNotAllowed, ComplaintConflict) as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return Response(ComplaintOutputSerializer(mention).data)

    @extend_schema(request=NoteInputSerializer, responses={200: ComplaintOutputSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._act(request, lifecycle.complaint_mark_answered)

    @extend_schema(request=NoteInputSerializer, responses={200: ComplaintOutputSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._act(request, lifecycle.complaint_resolve)

    @extend_schema(request=NoteInputSerializer, responses={200: ComplaintOutputSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._act(request, lifecycle.complaint_dismiss)

    @extend_schema(request=NoteInputSerializer, responses={200: ComplaintOutputSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._act(request, lifecycle.complaint_reopen)

    @extend_schema(request=AssignInputSerializer, responses={200: ComplaintOutputSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        mention = self._complaint()  # first: another tenant's id is a 404, whatever the body
        data = AssignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user_id = data.validated_data["assigned_to"]
        # An unknown id and a non-member get the same answer: ids of other tenants' people leak nothing.
        assignee = get_user_model().objects.filter(pk=user_id).first() if user_id is not None else None
        if user_id is not None and assignee is None:
            raise serializers.ValidationError({"assigned_to": ["Not a member of this tenant."]})
        try:
            lifecycle.complaint_assign(mention=mention, assignee=assignee, actor=request_user(request),
                                       note=data.validated_data["note"])
        except AssigneeNotMember as exc:
            raise serializers.ValidationError({"assigned_to": [str(exc)]}) from None
        except (TransitionNotAllowed, ComplaintConflict) as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return Response(ComplaintOutputSerializer(mention).data)

    @extend_schema(responses=ComplaintEventOutputSerializer(many=True))
    @action(detail=True, methods=["get"])
    def events(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        paginator = EventPagination()
        page = paginator.paginate_queryset(complaint_events(mention=self._complaint()), request, view=self)
        return paginator.get_paginated_response(ComplaintEventOutputSerializer(page, many=True).data)


# --- metrics -------------------------------------------------------------------------------------


class MetricsFilterSerializer(StrictInput, serializers.Serializer):
    since = serializers.DateTimeField(
        required=False, help_text=f"ISO 8601; default {DEFAULT_METRICS_DAYS} days before until.")
    until = serializers.DateTimeField(required=False, help_text="ISO 8601; default now.")
    group_by = serializers.ChoiceField(required=False, choices=["brand", "source"], allow_null=True, default=None)
    scope = serializers.ChoiceField(
        required=False, choices=["overdue", "complaints", "all"], default="overdue",
        help_text="overdue (the default): what the tenant's overdue flag counts (its overdue_counts "
                  "setting: complaints, and questions and requests if chosen); complaints: "
                  "complaints only; all: every customer mention that starts a conversation.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs["until"] = attrs.get("until") or timezone.now()
        if not attrs.get("since"):
            try:
                attrs["since"] = attrs["until"] - timedelta(days=DEFAULT_METRICS_DAYS)
            except OverflowError:
                raise serializers.ValidationError({"until": [
                    _("Too early for the default window: give since as well.")]}) from None
        if attrs["since"] >= attrs["until"]:
            raise serializers.ValidationError({"until": [_("Must be after since.")]})
        return attrs


WALL = "Wall-clock: from publication to the first response, every hour counted."
BUSINESS = "In business hours: only the tenant's working hours count (what the target counts)."


class ResponseMetricsSerializer(serializers.Serializer):
    key = serializers.IntegerField(allow_null=True)
    # A declared field: DRF's metaclass takes it out of the class; the stubs see Field.label.
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()
    answered = serializers.IntegerField()
    response_rate = serializers.FloatField(allow_null=True)
    median_seconds = serializers.FloatField(allow_null=True, help_text=WALL)
    p90_seconds = serializers.FloatField(allow_null=True, help_text=WALL)
    median_business_seconds = serializers.FloatField(allow_null=True, help_text=BUSINESS)
    p90_business_seconds = serializers.FloatField(allow_null=True, help_text=BUSINESS)
    median_human = HumanDurationField(source="median_seconds", help_text=WALL)
    p90_human = HumanDurationField(source="p90_seconds", help_text=WALL)
    median_business_human = HumanDurationField(source="median_business_seconds", help_text=BUSINESS)
    p90_business_human = HumanDurationField(source="p90_business_seconds", help_text=BUSINESS)
    within_target = serializers.IntegerField()
    within_target_share = serializers.FloatField(allow_null=True)


class ResponseReportSerializer(serializers.Serializer):
    since = serializers.DateTimeField()
    until = serializers.DateTimeField()
    scope = serializers.CharField()
    group_by = serializers.CharField(allow_null=True)
    target_minutes = serializers.IntegerField()
    reply_kinds = serializers.ListField(child=serializers.CharField(),
                                        help_text="The reply kinds counted; empty for scope=all.")
    overall = ResponseMetricsSerializer()
    groups = ResponseMetricsSerializer(many=True)


class ResponseMetricsView(TenantScopedViewSetMixin, APIView):
    required_roles = READ_FOR_MEMBERS

    @extend_schema(parameters=[MetricsFilterSerializer], responses=ResponseReportSerializer)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params = MetricsFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        report = response_metrics(tenant=self.tenant, **params.validated_data)
        return Response(ResponseReportSerializer(report).data)


# --- settings and holidays -----------------------------------------------------------------------


class ResponseSettingsSerializer(StrictInput, serializers.Serializer):
    answer_policy = serializers.ChoiceField(choices=AnswerPolicy.choices)
    timezone = serializers.CharField(max_length=64, help_text="An IANA zone, e.g. Asia/Jakarta.")
    response_target_minutes = serializers.IntegerField(min_value=1, max_value=60 * 24 * 30)
    business_day_start = TimeField()
    business_day_end = TimeField(
        help_text="At or before the start: the working window runs past midnight.")
    business_weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6), max_length=7,
        help_text="0 = Monday ... 6 = Sunday.")
    holidays = serializers.ListField(child=serializers.DateField(), read_only=True,
                                     source="holiday_dates")
    complaints_counted_from = serializers.DateField(
        allow_null=True,
        help_text="A backlog: complaints published before this day (in the tenant's zone) are never "
                  "overdue and stay out of the response figures. null: every complaint counts.")
    overdue_counts = serializers.ChoiceField(
        choices=OverdueCounts.choices,
        help_text="What the overdue flag, the overdue count and the default response figures count: "
                  "complaints only, complaints and questions, or all that need a reply (requests too).")

    def validate_timezone(self, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise serializers.ValidationError("Not a known time zone.") from None
        return value

    def validate_business_weekdays(self, value: list[int]) -> list[int]:
        return sorted(set(value))


class ResponseSettingsView(TenantScopedViewSetMixin, APIView):
    required_roles = READ_FOR_MEMBERS_WRITE_FOR_ADMINS

    @extend_schema(responses=ResponseSettingsSerializer)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(ResponseSettingsSerializer(self.tenant).data)

    @extend_schema(request=ResponseSettingsSerializer(partial=True), responses=ResponseSettingsSerializer)
    def patch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ResponseSettingsSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        if "complaints_counted_from" in changes:
            tenant_complaints_counted_from_set(tenant=self.tenant,
                                               counted_from=changes.pop("complaints_counted_from"))
        tenant = tenant_response_settings_update(tenant=self.tenant, **changes)
        return Response(ResponseSettingsSerializer(tenant).data)


class HolidaySerializer(StrictInput, serializers.ModelSerializer):
    class Meta:
        model = TenantHoliday
        fields = ["id", "date", "name"]
        read_only_fields = ["id"]


_DUPLICATE_HOLIDAY = {"date": ["This tenant already has a holiday on this date."]}


class HolidayViewSet(TenantScopedViewSetMixin, GenericViewSet):
    model = TenantHoliday
    required_roles = READ_FOR_MEMBERS_WRITE_FOR_ADMINS
    serializer_class = HolidaySerializer
    pagination_class = HolidayPagination

    def safely_get_queryset(self) -> QuerySet[TenantHoliday]:
        return TenantHoliday.objects.order_by("date")

    @extend_schema(responses=HolidaySerializer(many=True))
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(HolidaySerializer(page, many=True).data)

    @extend_schema(responses=HolidaySerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(HolidaySerializer(self.get_object()).data)

    @extend_schema(request=HolidaySerializer, responses={201: HolidaySerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = HolidaySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        problem = count_problem(name="HOLIDAYS_PER_TENANT", existing=TenantHoliday.objects.count(),
                                what=_("holidays"))
        if problem:
            raise serializers.ValidationError({"date": [problem]})
        try:
            with transaction.atomic():
                holiday = holiday_create(tenant=self.tenant, **data.validated_data)
        except IntegrityError:
            raise serializers.ValidationError(_DUPLICATE_HOLIDAY) from None
        return Response(HolidaySerializer(holiday).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=HolidaySerializer, responses=HolidaySerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        holiday = self.get_object()
        holiday.tenant = self.tenant
        data = HolidaySerializer(data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        try:
            with transaction.atomic():
                holiday_update(holiday=holiday, **data.validated_data)
        except IntegrityError:
            raise serializers.ValidationError(_DUPLICATE_HOLIDAY) from None
        return Response(HolidaySerializer(holiday).data)

    @extend_schema(request=HolidaySerializer(partial=True), responses=HolidaySerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        holiday = self.get_object()
        holiday.tenant = self.tenant
        holiday_delete(holiday=holiday)
        return Response(status=status.HTTP_204_NO_CONTENT)
