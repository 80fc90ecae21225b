"""The to-do panel that leads the home page: each list's count, linking to the to-do page."""

from bureau import clock
from reports.panels.panel import HomePanel
from reports.todo import badge_of, todo_count_rows


def panels(*, user, person) -> list[HomePanel]:
    rows = todo_count_rows(user=user, person=person, now=clock.now())
    if not rows:
        return []
    return [
        HomePanel(
            template="reports/_todo_panel.html",
            context={"rows": rows, "waiting": any(row.count for row in rows)},
            order=0,
            todo_badge=badge_of(rows),
        )
    ]
