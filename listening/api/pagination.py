from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError

from listening.limits import limit


class CursorPagination(pagination.CursorPagination):
    """Stable pages while new mentions keep arriving at the top.

    A cursor is the client's to send back unchanged; one that does not decode to a position of
    the ordering's field (``?cursor=cD14`` is ``p=x``: "x" is no id) is DRF's "Invalid cursor"
    404, as is a position the database could not compare with (a NUL, a date with no UTC form).
    """

    # DRF takes one field name or a sequence of them; its stub says str only.
    ordering: str | tuple[str, ...] = "-id"
    page_size_query_param = "page_size"

    @property
    def max_page_size(self) -> int:  # type: ignore[override]  # DRF's attribute, read per request
        return limit("PAGE_SIZE_MAX")

    def get_page_size(self, request: Any) -> int | None:
        # DRF falls back to the default for a page size it cannot read, and clips one too large;
        # a client asking for what it cannot have is told so (and the schema gives the range).
        given = request.query_params.get(self.page_size_query_param)
        if given is None:
            return self.page_size
        if not (given.isascii() and given.isdigit() and 1 <= int(given) <= self.max_page_size):
            raise ValidationError({self.page_size_query_param: [
                _("A whole number from 1 to %(max)d.") % {"max": self.max_page_size}]})
        return int(given)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size,
                                       "default": self.page_size}
        return parameters

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> list[Any] | None:
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request: Any) -> pagination.Cursor | None:
        cursor = super().decode_cursor(request)
        if cursor is None or cursor.position is None:
            return cursor
        field = self._model._meta.get_field(self.ordering[0].lstrip("-"))
        try:
            # Checked, not replaced: the pagination compares positions as the strings it wrote.
            value = field.to_python(cursor.position)
            if isinstance(value, datetime) and value.tzinfo is not None:
                value.astimezone(UTC)
            if isinstance(value, str) and "\x00" in value:
                raise ValueError("NUL in a cursor")
        except (DjangoValidationError, ValueError, TypeError, OverflowError):
            raise NotFound(self.invalid_cursor_message) from None
        return cursor


class ByNamePagination(CursorPagination):
    """For rows whose name is unique per tenant (brands, sources); id breaks any tie."""

    ordering = ("name", "id")


class NewestPublishedPagination(CursorPagination):
    """Mentions, newest first by publication. The cursor keeps its place among equal
    timestamps by offset, and id orders them, so a page never repeats or skips a row."""

    ordering = ("-published_at", "-id")
