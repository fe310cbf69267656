"""Error pages that say nothing an attacker can use, and a debug page that keeps passwords out.

``server_error`` is handler500: the dashboard's look, the request id to quote to support, no detail
and no database query (the database may be why it failed). ``SafeExceptionReporterFilter`` is
DEFAULT_EXCEPTION_REPORTER_FILTER: even with DEBUG on (development only) the debug page hides
settings and environment variables that hold URLs and DSNs, and masks any password inside a URL.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.debug import ExceptionReporter
from django.views.debug import SafeExceptionReporterFilter as DjangoFilter
from django.views.decorators.csrf import requires_csrf_token

from listening.serving.logs import MASK, redact


class SafeExceptionReporterFilter(DjangoFilter):
    hidden_settings = re.compile(
        "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|URL|DSN|BROKER|DATABASE|CREDENTIAL",
        flags=re.IGNORECASE,
    )
    # Settings and environment variables that are plain addresses and useful when debugging.
    shown_anyway = frozenset({"STATIC_URL", "MEDIA_URL", "LOGIN_URL", "LOGOUT_REDIRECT_URL", "LOGIN_REDIRECT_URL"})

    def cleanse_setting(self, key: Any, value: Any) -> Any:
        if isinstance(key, str) and key in self.shown_anyway:
            return value
        cleansed = super().cleanse_setting(key, value)
        return redact(cleansed) if isinstance(cleansed, str) else cleansed

    def get_traceback_frame_variables(self, request: HttpRequest | None, tb_frame: Any) -> Any:
        cleansed = []
        for name, value in super().get_traceback_frame_variables(request, tb_frame):
            if isinstance(name, str) and self.hidden_settings.search(name) and not callable(value):
                value = self.cleansed_substitute
            elif isinstance(value, str):
                value = redact(value)
            cleansed.append((name, value))
        return cleansed


def _redact_strings(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _redact_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact_strings(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_redact_strings(v) for v in value)
    return value


class SafeExceptionReporter(ExceptionReporter):
    """DEFAULT_EXCEPTION_REPORTER: the debug page (and its text twin) with every string in it
    redacted too: the exception's message and its causes may hold a DSN or a token."""

    def get_traceback_data(self) -> dict[str, Any]:
        return _redact_strings(super().get_traceback_data())


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.META.get("HTTP_ACCEPT", "")


@requires_csrf_token
def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    request_id = getattr(request, "request_id", "")
    if _wants_json(request):
        return JsonResponse({"detail": _("Server error."), "request_id": request_id}, status=500)
    # No RequestContext: context processors may query the database, which may be what failed.
    body = loader.get_template(template_name).render({"request_id": request_id})
    return HttpResponse(body, status=500)


__all__ = ["MASK", "SafeExceptionReporter", "SafeExceptionReporterFilter", "server_error"]
