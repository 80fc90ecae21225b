"""The two ways a list pages.

``quick_page``: pages without a total count, for lists that grow without bound (the monitor, the
demand list, the archive): COUNT(*) over a million rows grows with the table, while "fetch one more
than a page" costs the same at any size. ``LastPagePaginator``: counted pages ("page 3 of 12") for
lists that stay small (notifications, a person's own publicity posts, tasks)."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.paginator import EmptyPage, Paginator
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


def query_string_without_page(request: Any, *also: str) -> str:
    """The request's query string less ``page`` (and the parameters named in ``also``, such as the
    monitor's ``partial``): what a list's pager, sort and export links carry over."""
    query = request.GET.copy()
    for key in ("page", *also):
        query.pop(key, None)
    return query.urlencode()


def total_if_asked(request: Any, queryset: QuerySet[Any]) -> int | None:
    """The list's total when the request asks for it (``count=1``), else None: a quick page sends
    no COUNT of a table that grows without bound unless someone wants the number."""
    return queryset.count() if request.GET.get("count") == "1" else None


def quick_page(queryset: QuerySet[Any], page: str | int | None, *, per_page: int = 50) -> QuickPage:
    """Page ``page`` (1 to ``MAX_PAGE``; anything else reads as the nearest) of ``queryset`` in its
    own order, with one query of ``per_page + 1`` rows: the extra row says whether a next page exists."""
    try:
        number = max(1, min(int(page or 1), MAX_PAGE))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return QuickPage(object_list=rows[:per_page], number=number, has_next=len(rows) > per_page)


def quick_page_of_parts(parts: list[QuerySet[Any]], page: str | int | None, *, per_page: int = 50) -> QuickPage:
    """Page ``page`` of the parts one after the other (each in its own order), without a total
    count. Each part is read from its own index: a list "open cases first by deadline, then the rest
    newest first" is two short ordered reads instead of a sort of every row by a CASE expression.

    Every page reads every part (at least one row of each, even when an earlier part filled the
    page), and on a page after the first each part but the last is counted up to the page's start
    (at most ``MAX_PAGE * per_page`` rows) to know where the next part begins. So a page sends the
    same queries whatever the data: two parts read 2 queries on page 1 and 3 on later pages."""
    try:
        number = max(1, min(int(page or 1), MAX_PAGE))
    except (TypeError, ValueError):
        number = 1
    skip = (number - 1) * per_page
    wanted = per_page + 1
    rows: list[Any] = []
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        before = part[:skip].count() if skip and not last else 0
        got = list(part[skip : skip + max(1, wanted - len(rows))])
        rows.extend(got)
        # A part with rows at the page's start holds it from there; the next part starts at its top.
        skip = 0 if got else skip - before
    return QuickPage(object_list=rows[:per_page], number=number, has_next=len(rows) > per_page)


class LastPagePaginator(Paginator):
    """A page number past the end shows the last page, and one below 1 the first, instead of a
    404: a bookmarked or shared ``?page=40`` stays useful after records were filtered away."""

    def validate_number(self, number: int | float | str) -> int:
        try:
            return super().validate_number(number)
        except EmptyPage:
            return 1 if int(number) < 1 else self.num_pages
