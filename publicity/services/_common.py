"""Helpers the publicity services share."""

from collections.abc import Iterable
from datetime import datetime

from bureau.models import Person, Role
from bureau.notifications import notification_create
from bureau.selectors import acting_person

# The person acting (PermissionDenied for a login with none): the one definition, in the core.
person_of = acting_person


def notify(*, people: Iterable[Person], kind: str, key: str, title: str, body: str, link: str, now: datetime) -> None:
    for person in people:
        notification_create(
            recipient=person.user, kind=kind, dedupe_key=key, title=title, body=body, link=link, now=now
        )


def leaders_in_charge() -> list[Person]:
    """Who approves: the leaders in charge, or the director when there is none."""
    leaders = list(Person.objects.active().filter(role=Role.LEADER).select_related("user"))
    return leaders or list(Person.objects.active().filter(role=Role.DIRECTOR).select_related("user"))
