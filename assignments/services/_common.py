"""What the assignments services share: the acting person, and the step every task and duty
transition ends with (write the locked row's changed fields, then archive the change)."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext as _

from archive.services import archive_record
from bureau.models import Person
from bureau.selectors import person_for
from bureau.types import AnyUser


def person_of(actor: AnyUser | None) -> Person:
    """The person acting; a login with none may not act (PermissionDenied)."""
    person = person_for(actor)
    if person is None:
        raise PermissionDenied(_("Your login is not linked to a person of the bureau."))
    return person


def save_and_archive(
    row: models.Model,
    *,
    action: str,
    actor: AnyUser | None,
    now: datetime,
    request: HttpRequest | None = None,
    summary: str = "",
    compare: Iterable[str] = ("state",),
    after: dict[str, Any] | None = None,
    **fields: Any,
) -> None:
    """Set ``fields`` on ``row`` (already locked and checked by the caller), save only those, and
    archive ``action`` in the caller's transaction. The record's ``before`` and ``after`` hold the
    ``compare`` fields' values either side of the change; ``after`` adds what else it should say."""
    compared = list(compare)
    before = {name: getattr(row, name) for name in compared}
    for name, value in fields.items():
        setattr(row, name, value)
    row.save(update_fields=list(fields))
    archive_record(
        action=action,
        actor=actor,
        request=request,
        target=row,
        summary=summary,
        before=before or None,
        after={**{name: getattr(row, name) for name in compared}, **(after or {})},
        now=now,
    )
