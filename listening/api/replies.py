"""/api/v1/tenants/<tenant_slug>/mentions/<id>/reply/: answer a mention on its platform.

POST ``{"text": "...", "idempotency_key": "..."}`` (analysts and above). The same key posts once:
sending it again gives the first attempt's outcome. 201: sent, and the mention is answered;
502: the platform refused or could not be reached, with why, and nothing changed; 400: nothing
can be sent (no text, a source that cannot reply...); 409: another reply is being sent.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from listening.api.authentication import request_user
from listening.api.permissions import READ_FOR_MEMBERS_WRITE_FOR_ANALYSTS
from listening.api.routing import TenantScopedViewSetMixin
from listening.api.strict import StrictInput
from listening.models import Mention, OutgoingReply, ReplyStatus
from listening.services.replies import MAX_REPLY_CHARS, ReplyInProgress, ReplyRefused, mention_reply_send


class ReplyInputSerializer(StrictInput, serializers.Serializer):
    text = serializers.CharField(max_length=MAX_REPLY_CHARS, trim_whitespace=True)
    idempotency_key = serializers.RegexField(
        r"^[A-Za-z0-9_\-]{8,80}$", help_text="Any 8 to 80 letters, digits, _ or -, new for each reply: "
                                            "the same key posts once.")


class ReplyOutputSerializer(serializers.ModelSerializer):
    sent_by = serializers.CharField(source="sent_by.get_username", default=None, read_only=True)
    status = serializers.CharField(read_only=True, help_text="sent, failed or pending.")

    class Meta:
        model = OutgoingReply
        fields = ["id", "mention", "text", "status", "error", "external_id", "sent_by", "created_at", "finished_at"]
        read_only_fields = fields


class MentionReplyView(TenantScopedViewSetMixin, APIView):
    model = Mention
    required_roles = READ_FOR_MEMBERS_WRITE_FOR_ANALYSTS

    def safely_get_queryset(self) -> QuerySet[Mention]:
        return Mention.objects.select_related("source")

    @extend_schema(request=ReplyInputSerializer, responses={201: ReplyOutputSerializer, 502: ReplyOutputSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        mention = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        data = ReplyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            attempt = mention_reply_send(mention=mention, actor=request_user(request),
                                         text=data.validated_data["text"],
                                         idempotency_key=data.validated_data["idempotency_key"])
        except ReplyRefused as exc:
            code = status.HTTP_409_CONFLICT if isinstance(exc, ReplyInProgress) else status.HTTP_400_BAD_REQUEST
            return Response({"detail": str(exc)}, status=code)
        answer: dict[str, int] = {ReplyStatus.SENT: status.HTTP_201_CREATED,
                                  ReplyStatus.FAILED: status.HTTP_502_BAD_GATEWAY}
        return Response(ReplyOutputSerializer(attempt).data,
                        status=answer.get(attempt.status, status.HTTP_409_CONFLICT))
