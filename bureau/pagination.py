"""Counted pages for the lists that show "page 3 of 12" (archive, notifications, publicity, tasks)."""

from django.core.paginator import EmptyPage, Paginator


class LastPagePaginator(Paginator):
    """A page number past the end shows the last page, and one below 1 the first, instead of a
    404: a bookmarked or shared ``?page=40`` stays useful after records were filtered away."""

    def validate_number(self, number: int | float | str) -> int:
        try:
            return super().validate_number(number)
        except EmptyPage:
            return 1 if int(number) < 1 else self.num_pages
