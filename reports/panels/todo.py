"""The to-do panel that leads the home page: each list's count, linking to the to-do page."""

from bureau import clock
from opinions.selectors.todo import BY_KEY
from reports.panels.panel import HomePanel
from reports.todo import OTHER_LISTS, todo_counts


def panels(*, user, person) -> list[HomePanel]:
    counts = todo_counts(user=user, person=person, now=clock.now())
    if not counts:
        return []
    labels = {key: todo.label for key, todo in BY_KEY.items()} | {
        key: label for key, (label, _c) in OTHER_LISTS.items()
    }
    rows = [{"key": key, "label": labels[key], "count": count} for key, count in counts.items()]
    return [
        HomePanel(
            template="reports/_todo_panel.html",
            context={"rows": rows, "waiting": any(row["count"] for row in rows)},
            order=0,
        )
    ]
