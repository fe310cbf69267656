"""Input serializers that take what the OpenAPI document says, and nothing DRF would guess at.

DRF is lenient by design: an integer field takes ``"5"`` and ``5.0``, a boolean takes ``"yes"``
and ``1``, a string takes ``42``, and a query parameter given empty (``?status=``) counts as not
given. The document says "integer", "boolean", "string", "one of these values"; a client that
sends something else has a bug we should tell it about, not one we quietly paper over.
``StrictInput`` goes first in an input serializer's bases and refuses, field by field, a value of
the wrong JSON type (in a body) or a malformed one (in a query string), before DRF's own checks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.utils import html

_QUERY_INTEGER = re.compile(r"-?[0-9]+")
_QUERY_BOOLEANS = {"true", "false"}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def json_type_problem(field: serializers.Field, value: Any) -> str | None:
    """Why ``value``, from a JSON body, is not of the type ``field``'s schema gives, or None."""
    if value is None or isinstance(field, serializers.JSONField):
        return None  # null is the field's own business (allow_null); JSON is anything
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else _("Must be true or false.")
    if isinstance(field, serializers.IntegerField | serializers.PrimaryKeyRelatedField):
        return None if _is_int(value) else _("Must be a whole number.")
    if isinstance(field, serializers.FloatField | serializers.DecimalField):
        return None if _is_int(value) or isinstance(value, float) else _("Must be a number.")
    if isinstance(field, serializers.ListField | serializers.ListSerializer | serializers.MultipleChoiceField):
        return _list_problem(field, value)
    if isinstance(field, serializers.Serializer | serializers.DictField):
        return None if isinstance(value, Mapping) else _("Must be an object.")
    if isinstance(field, serializers.ChoiceField):
        strings = all(isinstance(key, str) for key in field.choices)
        return None if not strings or isinstance(value, str) else _("Must be a string.")
    if isinstance(field, serializers.CharField | serializers.DateField | serializers.DateTimeField
                  | serializers.TimeField | serializers.DurationField):
        return None if isinstance(value, str) else _("Must be a string.")
    return None


def _list_problem(field: serializers.Field, value: Any) -> str | None:
    """Why ``value`` is not a list whose items are of the type of ``field``'s child, or None."""
    if not isinstance(value, list):
        return _("Must be a list.")
    child = getattr(field, "child", None)
    for index, item in enumerate(value):
        problem = json_type_problem(child, item) if child is not None else None
        if problem:
            return _("Item %(index)d: %(problem)s") % {"index": index, "problem": problem}
    return None


def query_problem(field: serializers.Field, value: str) -> str | None:
    """Why ``value``, from a query string, is not what ``field``'s schema gives, or None."""
    if value == "":
        return _("May not be blank: leave the parameter out instead.")
    if isinstance(field, serializers.BooleanField):
        return None if value.lower() in _QUERY_BOOLEANS else _('Must be "true" or "false".')
    if isinstance(field, serializers.IntegerField | serializers.PrimaryKeyRelatedField):
        return None if value.isascii() and _QUERY_INTEGER.fullmatch(value) else _("Must be a whole number.")
    return None


class StrictInput(serializers.Serializer):
    def to_internal_value(self, data: Any) -> Any:
        errors: dict[str, list[str]] = {}
        if html.is_html_input(data):
            # A query string. One value per name (the last, as QueryDict.get gives), and an empty
            # one is refused rather than read as "not given".
            data = {name: data.get(name) for name in data}
            check = query_problem
        elif isinstance(data, Mapping):
            check = json_type_problem
        else:
            return super().to_internal_value(data)  # DRF's "expected a dictionary"
        for name, field in self.fields.items():
            if field.read_only or name not in data:
                continue
            problem = check(field, data[name])
            if problem:
                errors[name] = [problem]
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            # Every field's problem in one answer: DRF's for the others, ours for these.
            detail = exc.detail if isinstance(exc.detail, dict) else {}
            raise serializers.ValidationError({**detail, **errors}) from None
        if errors:
            raise serializers.ValidationError(errors)
        return value
