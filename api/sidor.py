"""Paging of the API's lists: a cursor, never a page number."""

from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import CursorPagination


class Markorsidor(CursorPagination):
    """Cursor paging ordered by the unique id, newest first: a page costs the same at
    the millionth row as at the first (no OFFSET), and rows added meanwhile neither
    repeat nor skip a row of the pages that follow."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    cursor_query_description = _("Markören till en sida: ta den från länken next eller previous.")
    page_size_query_description = _("Antal per sida (högst 200, annars 50).")
    invalid_cursor_message = _("Markören (cursor) är ogiltig. Använd länken next eller previous.")
