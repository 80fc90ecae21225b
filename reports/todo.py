"""The to-do page (待办): everything that waits for this user, one list per waiting step.

The lists come from each app's selectors — demands from ``opinions.selectors.todo`` (one
definition per list), publicity approval from ``publicity.selectors.approval_queue``, task
feedback and major reports upward from ``assignments.selectors`` — and the page, the menu badge and
the home panel all read them here, so a count is the same number in all three (the badge may lag
the page by up to a minute on lists that move with the clock alone: it is kept, ``todo_badge``). Counts are fixed in
number of queries whatever the rows: the demand lists in one aggregate, one COUNT per other list.

Leaders: replies to review (where they review), sign-offs, publicity to approve, task feedback to
approve, major (重大) reports upward, briefings to sign off. Office head: to dispatch, hand-backs, extension requests,
overdue and due soon, call-backs due. Staff: to sign for, to reply, to complete, call-backs, and
their shifts of the coming week (shown, not counted in the badge: a shift is not a decision)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from archive.selectors import kept_while_unchanged
from assignments import selectors as duty
from bureau import clock
from bureau.counting import counts_up_to
from bureau.models import Person
from bureau.types import AnyUser
from opinions.models import Demand
from opinions.selectors import todo as demand_todo
from publicity import selectors as publicity
from reports.briefings.selectors import briefings_to_sign

# The lists besides the demands', in page order after them: key → (label, counted in the badge).
OTHER_LISTS: dict[str, tuple[str | Promise, bool]] = {
    "publicity_approve": (_("Publicity to approve"), True),
    "feedback_approve": (_("Task feedback to approve"), True),
    "major_reports": (_("Major reports upward (last 7 days)"), True),
    "briefings_sign": (_("Briefings to sign off"), True),
    "my_shifts": (_("My shifts (next 7 days)"), False),
}


@dataclass
class TodoItem:
    title: str
    url: str
    when: datetime | None = None
    when_label: str | Promise = ""
    note: str | Promise = ""
    late: bool = False


# What the time beside a demand is, by the field its list is ordered on.
WHEN_LABELS = {"due_at": _("Reply due at"), "replied_at": _("Replied at"), "completed_at": _("Completed at")}


@dataclass
class TodoList:
    key: str
    label: str | Promise
    count: int
    counted: bool = True
    items: list[TodoItem] = field(default_factory=list)


def _other_querysets(*, user: AnyUser, person: Person | None, now: datetime) -> dict[str, QuerySet[Any]]:
    """The non-demand lists this user has, as querysets (not yet run)."""
    lists: dict[str, QuerySet[Any]] = {}
    if user.has_perm("publicity.approve_publicitypost"):
        lists["publicity_approve"] = publicity.approval_queue(user=user)
    if user.has_perm("assignments.approve_feedback"):
        lists["feedback_approve"] = duty.feedback_to_approve(user=user)
    if person is not None and person.is_leader and user.has_perm("assignments.view_reports"):
        lists["major_reports"] = duty.major_reports_recent(user=user, now=now)
    if user.has_perm("reports.sign_briefings"):
        lists["briefings_sign"] = briefings_to_sign(user=user)
    if person is not None and user.has_perm("assignments.view_duty"):
        lists["my_shifts"] = duty.my_shifts_ahead(person=person, now=now)
    return lists


def todo_counts(*, user: AnyUser, person: Person | None, now: datetime | None = None) -> dict[str, int]:
    """Every list's count for this user (list key → count), in page order, in one statement; a
    count past ``TODO_COUNT_CAP`` is ``TODO_COUNT_CAP + 1`` and shown as "99+" (``bureau.counting``)."""
    if not user.is_authenticated:
        return {}
    now = now or clock.now()
    lists: dict[str, QuerySet[Any]] = {
        **demand_todo.demand_todo_querysets(user=user, now=now),
        **_other_querysets(user=user, person=person, now=now),
    }
    return counts_up_to(lists)


def todo_badge(*, user: AnyUser, person: Person | None, now: datetime | None = None) -> int:
    """The menu badge: how many things wait for this user's decision or action. On every page,
    and about 12 ms to count (a dozen lists, the user's permissions), more than the rest of a list
    page's queries: kept per user while nothing changes (``kept_while_unchanged``: never behind a
    recorded change, at most a minute behind the clock)."""
    if now is not None:  # a moment asked for (a test, a job): counted at it, never kept
        return badge_of(todo_count_rows(user=user, person=person, now=now))
    return kept_while_unchanged(
        "todo-badge",
        (user.pk, person.pk if person else None),
        lambda: badge_of(todo_count_rows(user=user, person=person)),
    )


def badge_of(rows: Iterable["TodoCount | TodoList"]) -> int:
    """The menu badge's number from lists already counted (a page that counted them hands this to
    the menu as ``todo_count``, so the counting statement runs once per page): the counted ones."""
    return sum(row.count for row in rows if row.counted)


@dataclass
class TodoCount:
    key: str
    label: str | Promise
    count: int
    counted: bool = True  # counted in the menu badge (``todo_badge``)


def todo_count_rows(*, user: AnyUser, person: Person | None, now: datetime | None = None) -> list[TodoCount]:
    """Each list's label and count (``todo_counts``), in page order: the home panel and the duty desk."""
    labels = {key: todo.label for key, todo in demand_todo.BY_KEY.items()} | {
        key: label for key, (label, _counted) in OTHER_LISTS.items()
    }
    counts = todo_counts(user=user, person=person, now=now)
    return [
        TodoCount(key=key, label=labels[key], count=count, counted=OTHER_LISTS.get(key, ("", True))[1])
        for key, count in counts.items()
    ]


def todo_lists(*, user: AnyUser, person: Person | None, now: datetime | None = None) -> list[TodoList]:
    """The page: each list with its count (``todo_counts``) and its first items; lists with nothing
    waiting are included (an empty list says so) but their items are not queried."""
    now = now or clock.now()
    counts = todo_counts(user=user, person=person, now=now)
    result = []
    for todo in demand_todo.demand_todos_for(user=user):
        demands = demand_todo.demand_todo_items(user=user, key=todo.key, now=now) if counts[todo.key] else []
        items = [
            TodoItem(
                title=demand.subject,
                url=demand.get_absolute_url(),
                when=getattr(demand, todo.order[0]),
                when_label=WHEN_LABELS[todo.order[0]],
                note=" · ".join(filter(None, [demand.get_state_display(), demand.channel.name, _handler(demand)])),
                late=demand.is_overdue_at(now),
            )
            for demand in demands
        ]
        result.append(TodoList(key=todo.key, label=todo.label, count=counts[todo.key], items=items))
    for key, queryset in _other_querysets(user=user, person=person, now=now).items():
        rows = list(queryset[: demand_todo.ITEMS_PER_LIST]) if counts[key] else []
        label, counted = OTHER_LISTS[key]
        result.append(
            TodoList(key=key, label=label, count=counts[key], counted=counted, items=[_item(key, row) for row in rows])
        )
    return result


def _handler(demand: Demand) -> str:
    return demand.handler.name if demand.handler is not None else ""  # loaded with the list


def _item(key: str, row: Any) -> TodoItem:
    if key == "publicity_approve":
        return TodoItem(
            title=row.title,
            url=reverse("publicity:post-detail", args=[row.pk]),
            when=row.submitted_at,
            when_label=_("Submitted at"),
            note=row.author.name,
        )
    if key == "feedback_approve":
        return TodoItem(
            title=f"{row.reference} {row.title}",
            url=row.get_absolute_url(),
            when=row.feedback_submitted_at,
            when_label=_("Submitted at"),
            note=row.handler.name if row.handler_id else "",
        )
    if key == "briefings_sign":
        return TodoItem(
            title=row.title,
            url=row.get_absolute_url(),
            when=row.submitted_at,
            when_label=_("Submitted at"),
            note=row.get_kind_display(),
        )
    if key == "major_reports":
        return TodoItem(
            title=row.title,
            url=row.get_absolute_url(),
            when=row.reported_at,
            when_label=_("Reported at"),
            note=row.reported_to,
        )
    return TodoItem(  # my_shifts
        title=str(row.shift.shift_type),
        url=reverse("assignments:shift-detail", args=[row.shift_id]),
        when=row.shift.starts_at,
        when_label=_("Starts at"),
        note=_("signed in") if row.signed_in_at else "",
    )
