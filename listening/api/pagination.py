from rest_framework import pagination


class CursorPagination(pagination.CursorPagination):
    """Stable pages while new mentions keep arriving at the top."""

    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 500
