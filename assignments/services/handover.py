"""Handover notes (交接班) from the outgoing shift to the next."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from archive.services import archive_record
from assignments.models import HandoverNote, Shift, ShiftAssignment
from bureau import clock
from bureau.models import Person, User
from bureau.selectors import person_for

# A handover note can still be written this long after one's shift ended.
HANDOVER_LATE_WINDOW = timedelta(hours=2)


def _person_of(actor: User | None) -> Person:
    person = person_for(actor)
    if person is None:
        raise PermissionDenied(_("Your login is not linked to a person of the bureau."))
    return person


@transaction.atomic
def handover_note_create(
    *, shift: Shift, body: str, actor: User, request: HttpRequest | None = None, now: datetime | None = None
) -> HandoverNote:
    """The outgoing shift writes what the next one must know. Only someone on the shift, while
    it runs or shortly after it ends."""
    now = now or clock.now()
    author = _person_of(actor)
    body = body.strip()
    if not body:
        raise ValidationError(_("Write what the next shift must know."))
    if not ShiftAssignment.objects.filter(shift=shift, person=author).exists():
        raise PermissionDenied(_("Only the people on this shift can write its handover note."))
    if not (shift.starts_at <= now <= shift.ends_at + HANDOVER_LATE_WINDOW):
        raise ValidationError(_("A handover note is written during the shift or just after it."))
    note = HandoverNote.objects.create(shift=shift, author=author, body=body, created_at=now)
    archive_record(
        action="assignments.handovernote.written",
        actor=actor,
        request=request,
        target=note,
        summary=body[:200],
        now=now,
    )
    return note
