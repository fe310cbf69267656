"""Serializer fields for input a person or a program sends us, refused with a field-level 400
where DRF's own would let it through to a 500 further down.

- ``TextSafeJSONField``: a JSON value whose strings (keys included, at any depth) hold no NUL
  (PostgreSQL refuses it in text and jsonb) and no lone surrogate (not encodable as UTF-8).
  DRF's ``CharField`` refuses both already; its ``JSONField`` does not.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


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


class TextSafeJSONField(serializers.JSONField):
    def to_internal_value(self, data: Any) -> Any:
        value = super().to_internal_value(data)
        problem = text_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return value

