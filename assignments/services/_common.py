"""What the assignments services share: the acting person, and the step every task and duty
transition ends with (write the locked row's changed fields, then archive the change)."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import models
from django.http import HttpRequest

from archive.services import archive_record
from bureau.selectors import acting_person
from bureau.types import AnyUser

# The person acting (PermissionDenied for a login with none): the one definition, in the core.
person_of = acting_person


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
