from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError
from rest_framework import pagination
from rest_framework.exceptions import NotFound

from listening.limits import limit


class CursorPagination(pagination.CursorPagination):
    """Stable pages while new mentions keep arriving at the top.

    A cursor is the client's to send back unchanged; one that does not decode to a position of
    the ordering's field (``?cursor=cD14`` is ``p=x``: "x" is no id) is DRF's "Invalid cursor"
    404, as is a position the database could not compare with (a NUL, a date with no UTC form).
    """

    ordering = "-id"
    page_size_query_param = "page_size"

    @property
    def max_page_size(self) -> int:  # type: ignore[override]
        return limit("PAGE_SIZE_MAX")

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> list[Any] | None:
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)  # type: ignore[no-any-return]

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
        except (ValidationError, ValueError, TypeError, OverflowError):
            raise NotFound(self.invalid_cursor_message) from None
        return cursor


class ByNamePagination(CursorPagination):
    """For rows whose name is unique per tenant (brands, sources); id breaks any tie."""

    ordering = ("name", "id")


class NewestPublishedPagination(CursorPagination):
    """Mentions, newest first by publication. The cursor keeps its place among equal
    timestamps by offset, and id orders them, so a page never repeats or skips a row."""

    ordering = ("-published_at", "-id")
