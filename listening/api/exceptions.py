"""The API's exception handler: DRF's, with a narrow safety net under it.

Text the database cannot store (a NUL, refused by PostgreSQL; a lone surrogate, which no
database driver can encode as UTF-8) is refused by the serializer fields where it comes in. If
some field forgets, the request is still the client's mistake, not ours: a 400 rather than a
500. It is logged as an error with its traceback all the same, so that the field gets fixed.
Anything else propagates: a real bug stays a 500, with its traceback in the logs.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import DataError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger("dengar.api")


def _unstorable_text(exc: Exception) -> bool:
    if isinstance(exc, UnicodeEncodeError):
        return exc.reason == "surrogates not allowed"
    if isinstance(exc, DataError):
        return "NUL" in str(exc) or "0x00" in str(exc)
    return False


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    response = drf_exception_handler(exc, context)
    if response is not None:
        return response
    if _unstorable_text(exc):
        view = context.get("view")
        logger.error("Unstorable text reached %s unchecked: refused with a 400",
                     type(view).__qualname__, exc_info=exc)
        return Response(
            {"detail": _("The request holds text that cannot be stored: a NUL or a lone surrogate.")},
            status=status.HTTP_400_BAD_REQUEST,
        )
    return None


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: under /api/, an address no route matches (``/brands/abc/``, whose id is not a
    number) gets the JSON 404 every API view gives, not the dashboard's HTML page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)
