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
            return super().decode_cursor(request)
        except NotFound as error:  # DRF answers a bad cursor with 404: it is bad input
            raise ValidationError({"cursor": "This cursor is not valid."}) from error
