"""/api/v1/hooks/meta/<webhook_key>/: where Meta delivers an Instagram or Facebook Page source's
comments (the address and the verify token to give Meta are on the source; see the README).

Public by nature: no login, no CSRF token, the platform cannot send either. What protects it:
the key names one source (a random UUID), the GET handshake must carry that source's verify
token, every POST must be signed with that source's app secret (checked over the raw body,
before it is parsed), bodies are bounded, and requests are throttled per key.
"""

from __future__ import annotations

import os
import uuid
from typing import Any

from django.http import Http404, HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from listening.services.webhooks import (
    WebhookAnswer,
    meta_delivery_receive,
    meta_subscription_answer,
    webhook_source,
)

MAX_BODY_BYTES = 1024 * 1024


class WebhookThrottle(SimpleRateThrottle):
    """Per webhook address, not per client: Meta sends from a few shared addresses."""

    rate = os.environ.get("DENGAR_API_RATE_WEBHOOK", "600/min")

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        return f"throttle_webhook_{view.kwargs.get('webhook_key')}"


def _plain(answer: WebhookAnswer) -> HttpResponse:
    response = HttpResponse(answer.body, status=answer.status, content_type="text/plain; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@extend_schema(exclude=True)
class MetaWebhookView(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [WebhookThrottle]

    def get(self, request: Request, webhook_key: uuid.UUID) -> HttpResponse:
        source = webhook_source(key=webhook_key)
        if source is None:
            raise Http404
        params = request.query_params
        return _plain(meta_subscription_answer(
            source=source, mode=params.get("hub.mode", ""), verify_token=params.get("hub.verify_token", ""),
            challenge=params.get("hub.challenge", "")))

    def post(self, request: Request, webhook_key: uuid.UUID) -> HttpResponse:
        source = webhook_source(key=webhook_key)
        if source is None:
            raise Http404
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > MAX_BODY_BYTES:
            return _plain(WebhookAnswer(413))
        body = request.body  # the raw bytes, as signed: never request.data
        if len(body) > MAX_BODY_BYTES:
            return _plain(WebhookAnswer(413))
        return _plain(meta_delivery_receive(
            source=source, body=body, signature=request.META.get("HTTP_X_HUB_SIGNATURE_256", "")))

    def options(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:  # type: ignore[override]
        raise Http404
