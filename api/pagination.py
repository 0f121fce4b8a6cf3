from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination


class NewestFirstCursor(CursorPagination):
    """Stable pages over a list that grows while it is read."""

    ordering = ("-created_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound as error:  # DRF answers a bad cursor with 404: it is bad input
            raise ValidationError({"cursor": "This cursor is not valid."}) from error
        # A cursor decodes to any text; its position must be a time of `created_at`,
        # or the query would fail in PostgreSQL.
        if cursor is not None and cursor.position is not None:
            try:
                valid = parse_datetime(cursor.position) is not None
            except ValueError:
                valid = False
            if not valid:
                raise ValidationError({"cursor": "This cursor is not valid."})
        return cursor
