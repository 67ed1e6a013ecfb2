"""Pagination that stays fast on large case lists."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

MAX_RAKNADE = 1000


class BegransadPaginator(Paginator):
    """Counts at most MAX_RAKNADE rows.

    An exact COUNT over an access-filtered list of hundreds of thousands of cases
    costs more than the page itself; beyond a thousand hits the user needs a
    narrower filter, not a page number. `count` is capped and `fler` tells the
    template to say "fler än 1 000".

    A list may carry a lower cap as the attribute `max_raknade`, and its row count, if
    already known, as `antal`: a free-text search shows its best matches among the
    newest hundred, which it has fetched (kvalitet.sok).
    """

    def __init__(self, object_list, per_page, *args, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.max_raknade = getattr(object_list, "max_raknade", MAX_RAKNADE)

    @cached_property
    def count(self):
        if (antal := getattr(self.object_list, "antal", None)) is not None:
            return min(antal, self.max_raknade + 1)
        return self.object_list[: self.max_raknade + 1].count()

    @property
    def fler(self):
        return self.count > self.max_raknade

    @property
    def visat_antal(self):
        return min(self.count, self.max_raknade)

    def page(self, number):
        """The page, never past the cap (`count` may be one more than is shown)."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.visat_antal)
        if top + self.orphans >= self.visat_antal:
            top = self.visat_antal
        return self._get_page(self.object_list[bottom:top], number, self)

    @cached_property
    def num_pages(self):
        if self.count == 0 and not self.allow_empty_first_page:
            return 0
        hits = max(1, self.visat_antal - self.orphans)
        return -(-hits // self.per_page)
