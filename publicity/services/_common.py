"""Helpers the publicity services share."""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from bureau.models import Person, Role
from bureau.notifications import notification_create
from bureau.selectors import person_for
from bureau.types import AnyUser


def person_of(actor: AnyUser | None) -> Person:
    person = person_for(actor)
    if person is None:
        raise PermissionDenied(_("Your login is not linked to a person of the bureau."))
    return person


def notify(*, people: Iterable[Person], kind: str, key: str, title: str, body: str, link: str, now: datetime) -> None:
    for person in people:
        notification_create(
            recipient=person.user, kind=kind, dedupe_key=key, title=title, body=body, link=link, now=now
        )


def leaders_in_charge() -> list[Person]:
    """Who approves: the leaders in charge, or the director when there is none."""
    leaders = list(Person.objects.active().filter(role=Role.LEADER).select_related("user"))
    return leaders or list(Person.objects.active().filter(role=Role.DIRECTOR).select_related("user"))
