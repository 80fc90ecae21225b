"""Pages without a total count: COUNT(*) over a million posts grows with the table, while
"fetch one more than a page" costs the same at any size."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass
class QuickPage:
    object_list: list[Any]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


MAX_PAGE = 500


def quick_page(queryset: QuerySet[Any], page: str | int | None, *, per_page: int = 50) -> QuickPage:
    try:
        number = max(1, min(int(page or 1), MAX_PAGE))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return QuickPage(object_list=rows[:per_page], number=number, has_next=len(rows) > per_page)
