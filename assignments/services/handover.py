"""Handover notes (交接班) from the outgoing shift to the next."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from archive.services import archive_record
from assignments.models import HandoverNote, Shift
from assignments.policies import handover_require
from assignments.services._common import person_of
from bureau import clock
from bureau.models import User


@transaction.atomic
def handover_note_create(
    *, shift: Shift, body: str, actor: User, request: HttpRequest | None = None, now: datetime | None = None
) -> HandoverNote:
    """The outgoing shift writes what the next one must know. Only someone on the shift, while
    it runs or shortly after it ends."""
    now = now or clock.now()
    handover_require(actor, shift, now=now)
    author = person_of(actor)
    body = body.strip()
    if not body:
        raise ValidationError(_("Write what the next shift must know."))
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
