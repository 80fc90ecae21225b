"""The demands that wait for someone (待办), one list per waiting step, defined once.

Each list is a ``DemandTodo``: who has the list (the same rule ``opinions.policies.WHO`` applies
to the step that clears it) and which of the demands the user sees wait in it. The to-do page, the
menu badge and the home panel all read these lists through ``demand_todo_querysets`` (counted with
the other apps' lists in one statement, up to a cap) and ``demand_todo_items`` (one query per
list), so one list is one number everywhere. A demand leaves a list exactly when the step is
taken: each condition is the ``policies.WHEN`` of that step, written as a query."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bureau import clock
from bureau.models import Person
from bureau.search import SEARCH_COLUMNS
from bureau.selectors import owned_section_ids, person_for
from bureau.types import AnyUser
from opinions.models import Demand, DemandRules, due_soon_q, overdue_q
from opinions.policies import WHO
from opinions.selectors.demands import LIST_RELATED, demands_visible

State = Demand.State
ITEMS_PER_LIST = 20


@dataclass(frozen=True)
class DemandTodo:
    key: str
    label: str | Promise
    step: str  # the policies action that takes the demand off this list
    applies: Callable[..., bool]  # (user, person) → does this user have the list
    condition: Callable[..., Q]  # (person, now, due_soon_window) → the demands waiting in it
    order: tuple[str, ...] = ("due_at", "pk")


def _may(step: str) -> Callable[..., bool]:
    return lambda user, person: WHO[step](user, None)


_supervises = _may("assign")


def _handler(user: AnyUser, person: Person | None) -> bool:
    return person is not None and user.has_perm("opinions.handle_demand")


def _sign_off_waiting() -> Q:
    """Replied, needing the leader's sign-off (``Demand.needs_sign_off``) and not yet signed off."""
    return Q(state=State.REPLIED, signed_off_at__isnull=True) & (
        Q(kind__in=Demand.SIGN_OFF_KINDS) | Q(about_bureau=True)
    )


def _call_back_waiting() -> Q:
    return Q(state=State.COMPLETED, called_back_at__isnull=True)


DEMAND_TODOS: tuple[DemandTodo, ...] = (
    # Leaders (and spokespeople, for the review)
    DemandTodo(
        "review", _("Replies to review"), "review", _may("review"), lambda person, now, window: Q(state=State.IN_REVIEW)
    ),
    DemandTodo(
        "sign_off",
        _("Replies to sign off"),
        "sign-off",
        _may("sign-off"),
        lambda person, now, window: _sign_off_waiting(),
    ),
    # The office head
    DemandTodo(
        "dispatch",
        _("To dispatch"),
        "assign",
        _supervises,
        lambda person, now, window: Q(state=State.RECEIVED, handler__isnull=True),
    ),
    DemandTodo(
        "hand_back",
        _("Hand-backs to decide"),
        "decide-hand-back",
        _may("decide-hand-back"),
        lambda person, now, window: Q(state=State.HANDED_BACK),
    ),
    DemandTodo(
        "extension",
        _("Extension requests to decide"),
        "decide-extension",
        _may("decide-extension"),
        lambda person, now, window: Q(state__in=Demand.OPEN_STATES, extension_until__isnull=False),
    ),
    DemandTodo("overdue", _("Overdue"), "press", _may("press"), lambda person, now, window: overdue_q(now)),
    DemandTodo("due_soon", _("Due soon"), "press", _may("press"), lambda person, now, window: due_soon_q(now, window)),
    DemandTodo(
        "call_back_due",
        _("Call-backs due"),
        "call-back",
        _supervises,
        lambda person, now, window: _call_back_waiting(),
        ("completed_at", "pk"),
    ),
    # Staff: their own cases
    DemandTodo(
        "sign_for",
        _("To sign for, in my sections"),
        "claim",
        _handler,
        lambda person, now, window: Q(state=State.RECEIVED, section_id__in=owned_section_ids(person)),
    ),
    DemandTodo(
        "reply", _("To reply"), "reply", _handler, lambda person, now, window: Q(state=State.ASSIGNED, handler=person)
    ),
    DemandTodo(
        "complete",
        _("To complete"),
        "complete",
        _handler,
        lambda person, now, window: Q(state=State.REPLIED, handler=person) & ~_sign_off_waiting(),
        ("replied_at", "pk"),
    ),
    DemandTodo(
        "call_back",
        _("My call-backs"),
        "call-back",
        _handler,
        lambda person, now, window: _call_back_waiting() & Q(handler=person),
        ("completed_at", "pk"),
    ),
)
BY_KEY = {todo.key: todo for todo in DEMAND_TODOS}


def _due_soon_window() -> timedelta:
    rules = DemandRules.objects.filter(pk=1).first() or DemandRules()
    return rules.due_soon_window


@dataclass(frozen=True)
class _Scope:
    user: AnyUser
    person: Person | None
    now: datetime
    window: timedelta


def _scope(user: AnyUser, now: datetime | None) -> _Scope:
    return _Scope(user=user, person=person_for(user), now=now or clock.now(), window=_due_soon_window())


def demand_todos_for(*, user: AnyUser) -> list[DemandTodo]:
    """The lists this user has, in the order the page shows them."""
    if not user.is_authenticated:
        return []
    person = person_for(user)
    return [todo for todo in DEMAND_TODOS if todo.applies(user, person)]


def demand_todo_querysets(*, user: AnyUser, now: datetime | None = None) -> dict[str, QuerySet[Demand]]:
    """Every list this user has, as the query of the demands waiting in it (not yet run): the badge,
    the home panel and the page count them together with the other apps' lists
    (``reports.todo.todo_counts``, one statement, each count capped: ``bureau.counting``)."""
    todos = demand_todos_for(user=user)
    if not todos:
        return {}
    scope = _scope(user, now)
    visible = demands_visible(user=user)
    return {todo.key: visible.filter(todo.condition(scope.person, scope.now, scope.window)) for todo in todos}


def demand_todo(*, user: AnyUser, key: str, now: datetime | None = None) -> QuerySet[Demand]:
    """The demands waiting in one list, oldest deadline (or longest waiting) first."""
    todo = BY_KEY[key]
    scope = _scope(user, now)
    if not todo.applies(user, scope.person):
        return Demand.objects.none()
    return (
        demands_visible(user=user)
        .filter(todo.condition(scope.person, scope.now, scope.window))
        .select_related(*LIST_RELATED)
        .defer("content", "reply_text", *SEARCH_COLUMNS)
        .order_by(*todo.order)
    )


def demand_todo_items(
    *, user: AnyUser, key: str, now: datetime | None = None, limit: int = ITEMS_PER_LIST
) -> list[Demand]:
    return list(demand_todo(user=user, key=key, now=now)[:limit])
