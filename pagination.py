"""What the pagination macro reads of a page of results, from `page`, `per_page` and `total`."""

from __future__ import annotations


class PageNumbers:
    """Mixin for a page of results that has `page` (1-based), `per_page` and `total` attributes."""

    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1
