from rest_framework import pagination


class CursorPagination(pagination.CursorPagination):
    """Stable pages while new mentions keep arriving at the top."""

    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 500


class ByNamePagination(CursorPagination):
    """For rows whose name is unique per tenant (brands, sources); id breaks any tie."""

    ordering = ("name", "id")


class NewestPublishedPagination(CursorPagination):
    """Mentions, newest first by publication. The cursor keeps its place among equal
    timestamps by offset, and id orders them, so a page never repeats or skips a row."""

    ordering = ("-published_at", "-id")
