"""The to-do badge in the menu, on every page (``reports.todo.todo_badge``)."""

from functools import cache

from bureau.selectors import person_for
from reports.todo import todo_badge


def todo(request):
    """``todo_count`` is computed only if the page shows it, and once per page however often used."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def count() -> int:
        return todo_badge(user=user, person=person_for(user))

    return {"todo_count": count}
