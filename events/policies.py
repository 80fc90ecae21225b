"""Who may do what to an opinion event, written once. Services call ``event_require`` (a refusal is
PermissionDenied, a 403); the event page asks ``event_can`` which buttons to show."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied

from bureau.types import AnyUser
from events.models import Event


def _manages(user: AnyUser) -> bool:
    return user.has_perm("events.manage_events")


WHO: dict[str, Callable] = {
    "view": lambda user, event: user.has_perm("events.view_events"),
    "create": lambda user, event: _manages(user),
    "confirm": lambda user, event: _manages(user),
    "add": lambda user, event: _manages(user),
    "remove": lambda user, event: _manages(user),
    "split": lambda user, event: _manages(user),
    "merge": lambda user, event: _manages(user),
    "link": lambda user, event: _manages(user),
    "close": lambda user, event: _manages(user),
    "grade": lambda user, event: user.has_perm("events.grade_events"),
    "respond": lambda user, event: user.has_perm("events.respond_events"),
}

# When: an event merged into another or closed takes no more changes.
WHEN: dict[str, Callable[[Event], bool]] = {
    "view": lambda event: True,
    "create": lambda event: True,
    "confirm": lambda event: event.is_open and not event.is_confirmed,
    "add": lambda event: event.is_open,
    "remove": lambda event: event.is_open,
    "split": lambda event: event.is_open,
    "merge": lambda event: event.is_open,
    "link": lambda event: event.is_open,
    "close": lambda event: event.is_open,
    "grade": lambda event: event.is_open,
    "respond": lambda event: event.is_open,
}


def event_may(user: AnyUser, event: Event | None, action: str) -> bool:
    return bool(WHO[action](user, event))


def event_require(user: AnyUser, event: Event | None, action: str) -> None:
    """Raise PermissionDenied unless ``user`` may do ``action`` (to this event)."""
    if not event_may(user, event, action):
        raise PermissionDenied


def event_can(user: AnyUser, event: Event, action: str) -> bool:
    """Whether the page offers ``action``: the user may, and the event's state allows it."""
    return WHEN[action](event) and event_may(user, event, action)
