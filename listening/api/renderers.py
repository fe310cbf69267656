"""The API's renderers.

``JSONRenderer`` always writes valid JSON: a float that is not finite (a rate over a zero
baseline) is written as ``null`` rather than failing the response (DRF's strict renderer raises,
a 500) or writing ``NaN`` (which no JSON parser reads), and a string holding a lone surrogate
(an error message quoting a client's bad input) is written with ``\\u`` escapes instead of failing
to encode as UTF-8. Both are rare, so the data is walked only when the first attempt fails.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from rest_framework import renderers


def finite(value: Any) -> Any:
    """``value`` with every non-finite float replaced by None, in nested dicts and lists."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [finite(item) for item in value]
    return value


class JSONRenderer(renderers.JSONRenderer):
    def render(self, data: Any, accepted_media_type: str | None = None,
               renderer_context: Mapping[str, Any] | None = None) -> bytes:
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:  # a ValueError too: first
            return _AsciiJSONRenderer().render(data, accepted_media_type, renderer_context)
        except ValueError as exc:
            if "Out of range float values" not in str(exc):
                raise
            return self.render(finite(data), accepted_media_type, renderer_context)


class _AsciiJSONRenderer(JSONRenderer):
    """For data that UTF-8 cannot carry (lone surrogates): escaped as \\uXXXX instead."""

    ensure_ascii = True
