"""What every demand service shares: the lock, the state check, the notice and the archive line."""

from collections.abc import Container
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from archive.services import archive_record
from bureau.models import Person
from bureau.notifications import notification_create
from bureau.types import AnyUser
from opinions.models import Demand

State = Demand.State


def _require(actor: AnyUser, perm: str) -> None:
    if not actor.has_perm(perm):
        raise PermissionDenied


def _lock(demand: Demand) -> Demand:
    return Demand.objects.select_for_update().get(pk=demand.pk)


def _refuse_unless(demand: Demand, states: Container[str], message: str) -> None:
    if demand.state not in states:
        raise ValidationError(message)


def _notify(
    *, recipient_person: Person | None, demand: Demand, key: str, title: str, body: str = "", now: datetime | None
) -> None:

    if recipient_person is None:
        return
    notification_create(
        recipient=recipient_person.user,
        kind=f"opinions.demand.{key.split(':')[0]}",
        dedupe_key=f"opinions.demand.{key}:{demand.pk}",
        title=title,
        body=body,
        link=demand.get_absolute_url(),
        now=now,
    )


def _record(
    action: str,
    *,
    actor: AnyUser | None,
    demand: Demand,
    before: dict[str, Any],
    after: dict[str, Any],
    summary: str = "",
    request: HttpRequest | None,
    now: datetime | None,
) -> None:
    archive_record(
        action=f"opinions.demand.{action}",
        actor=actor,
        target=demand,
        summary=summary or demand.subject[:200],
        before=before,
        after=after,
        request=request,
        now=now,
    )
