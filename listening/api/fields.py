"""Serializer fields for input a person or a program sends us, refused with a field-level 400
where DRF's own would let it through to a 500 further down.

- ``TextSafeJSONField``: a JSON object whose strings (keys included, at any depth) hold no NUL
  (PostgreSQL refuses it in text and jsonb) and no lone surrogate (not encodable as UTF-8).
  DRF's ``CharField`` refuses both already; its ``JSONField`` does not.
- ``TimeField``: a time of day as the schema describes it.
- ``HumanDurationField``: a duration in seconds, written as every page says it.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from listening import figures


def text_problem(value: Any) -> str | None:
    """Why ``value`` (a JSON value) cannot be stored as text, or None."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, str):
            if "\x00" in item:
                return str(_("Null characters are not allowed."))
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return str(_("Surrogate characters are not allowed."))
    return None


@extend_schema_field({"type": "object", "additionalProperties": True})
class TextSafeJSONField(serializers.JSONField):
    """A JSON object (a source's config, an adapter's settings) holding only storable text."""

    def to_internal_value(self, data: Any) -> Any:
        value = super().to_internal_value(data)
        problem = text_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return value


TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"


@extend_schema_field({"type": "string", "pattern": TIME_PATTERN, "example": "09:00:00"})
class TimeField(serializers.TimeField):
    """A local time of day, ``HH:MM`` or ``HH:MM:SS``, no offset; written ``HH:MM:SS``.

    OpenAPI's ``format: time`` is RFC 3339's full-time, which requires an offset ("09:00:00Z"),
    so a validator holds "09:00:00" invalid; the document gives the pattern instead, and the
    field accepts exactly what the pattern allows (Python would also read "0900" or "09").
    """

    default_error_messages = {"invalid": _("Time has wrong format. Use HH:MM or HH:MM:SS.")}

    def to_internal_value(self, value: Any) -> Any:
        if not isinstance(value, str) or not re.fullmatch(TIME_PATTERN, value):
            self.fail("invalid")
        return super().to_internal_value(value)


@extend_schema_field({"type": "string", "nullable": True, "example": "3 h 20 min"})
class HumanDurationField(serializers.Field):
    """Seconds as every page says them (listening.figures.duration): "45 min", "2 d 4 h"; null
    with no figure. Read-only."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: float) -> str:
        return figures.duration(value)
