"""/api/v1/tenants/<tenant_slug>/mentions/: what was said about a tenant's brands (read-only)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from listening.api.pagination import NewestPublishedPagination
from listening.api.permissions import READ_FOR_MEMBERS
from listening.api.routing import TenantScopedViewSetMixin
from listening.api.strict import StrictInput
from listening.models import Mention
from listening.models.mentions import ComplaintStatus, ReplyKind, Sentiment
from listening.selectors.mentions import MentionFilters, mention_feed, mention_list


def _flag(help_text: str) -> serializers.BooleanField:
    # allow_null keeps an absent flag None ("don't filter") instead of DRF's form default False.
    return serializers.BooleanField(required=False, allow_null=True, default=None,
                                    help_text=help_text)


class MentionFilterSerializer(StrictInput, serializers.Serializer):
    brand = serializers.IntegerField(required=False, min_value=1)
    # A declared field: DRF's metaclass takes it out of the class, so it does not shadow
    # Field.source, which is all the stubs see.
    source = serializers.IntegerField(required=False, min_value=1)  # type: ignore[assignment]
    since = serializers.DateTimeField(required=False, help_text="ISO 8601; published at or after.")
    until = serializers.DateTimeField(required=False, help_text="ISO 8601; published before.")
    complaint = _flag("Only complaints (true) or only the rest (false).")
    spam = serializers.ChoiceField(
        required=False, choices=["false", "true", "all"], default="false",
        help_text="false (the default): spam is left out; true: only spam; all: both.",
    )
    lang = serializers.CharField(required=False, max_length=8)
    sentiment = serializers.ChoiceField(required=False, choices=Sentiment.choices)
    unanswered = _flag("true: only complaints unanswered past the tenant's response target.")
    q = serializers.CharField(required=False, max_length=200,
                              help_text="The text or the author's handle contains it (any case).")
    status = serializers.ChoiceField(required=False, choices=[s for s in ComplaintStatus.values if s],
                                     help_text="The complaint's status.")
    assigned_to = serializers.RegexField(
        r"^(none|[0-9]{1,18})$", required=False,
        help_text="A user id, or 'none' for complaints assigned to nobody.",
    )
    platform = serializers.CharField(required=False, max_length=40)
    answered = _flag("true: only those with a first response (a brand reply or a mark); "
                     "false: only those without.")
    needs_reply = _flag("true: only those that wait for a reply (a complaint, or a question or "
                        "request put to the brand); false: only those that need none.")
    reply_kind = serializers.ChoiceField(
        required=False, choices=[k for k in ReplyKind.values if k],
        help_text="Only those that wait for this kind of reply.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        since, until = attrs.get("since"), attrs.get("until")
        if since and until and since >= until:
            raise serializers.ValidationError({"until": ["Must be after since."]})
        return attrs

    def filters(self) -> MentionFilters:
        data = dict(self.validated_data)
        data["spam"] = {"false": False, "true": True, "all": None}[data.get("spam", "false")]
        assigned = data.pop("assigned_to", None)
        if assigned == "none":
            data["unassigned"] = True
        elif assigned is not None:
            data["assigned_to"] = int(assigned)
        return MentionFilters(**data)


class MentionOutputSerializer(serializers.ModelSerializer):
    url = serializers.CharField(read_only=True, help_text="Its address; empty when the source gave none.")

    class Meta:
        model = Mention
        fields = [
            "id", "brand", "source", "external_id", "platform", "author_handle", "text", "url",
            "published_at", "ingested_at", "parent_external_id", "thread_external_id",
            "is_brand_reply", "lang", "sentiment", "sentiment_score", "intent", "is_complaint",
            "complaint_confidence", "is_spam", "answered_at", "reply_kind",
        ]
        read_only_fields = fields


class MentionViewSet(TenantScopedViewSetMixin, GenericViewSet):
    model = Mention
    required_roles = READ_FOR_MEMBERS
    serializer_class = MentionOutputSerializer
    pagination_class = NewestPublishedPagination

    def safely_get_queryset(self) -> QuerySet[Mention]:
        if self.action != "list":
            return mention_feed()  # one mention by id: spam too
        params = MentionFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return mention_list(filters=params.filters())

    @extend_schema(parameters=[MentionFilterSerializer],
                   responses=MentionOutputSerializer(many=True))
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(MentionOutputSerializer(page, many=True).data)

    @extend_schema(responses=MentionOutputSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(MentionOutputSerializer(self.get_object()).data)
