"""The duty panel on the home page: who is on duty now, my next shift, my open tasks."""

from django.db.models import Count

from assignments import selectors
from assignments.models import CountyTask, CountyTaskQuerySet
from bureau import clock
from reports.panels.panel import HomePanel


def panels(*, user, person) -> list[HomePanel]:
    if not user.has_perm("assignments.view_duty"):
        return []
    now = clock.now()
    upcoming = selectors.upcoming_assignments(person=person, now=now, limit=1) if person else []
    next_assignment = upcoming[0] if upcoming else None
    tasks = {"open": 0, "overdue": 0}
    if person is not None and user.has_perm("assignments.view_tasks"):
        tasks = (
            CountyTask.objects.filter(handler=person)
            .open()
            .aggregate(open=Count("pk"), overdue=Count("pk", filter=CountyTaskQuerySet.overdue_q(at=now)))
        )
    return [
        HomePanel(
            template="assignments/_home_panel.html",
            context={
                "on_duty": selectors.on_duty_now(now=now),
                "next_assignment": next_assignment,
                "can_sign_in": bool(next_assignment and selectors.sign_in_open(assignment=next_assignment, now=now)),
                "open_tasks": tasks["open"],
                "overdue_tasks": tasks["overdue"],
            },
            order=20,
        )
    ]
