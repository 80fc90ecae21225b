"""Sign-in (签到) of the person on duty."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from assignments.models import ShiftAssignment
from assignments.policies import sign_in_require
from assignments.services._common import save_and_archive
from bureau import clock
from bureau.models import User


@transaction.atomic
def shift_sign_in(
    *,
    assignment: ShiftAssignment,
    actor: User,
    ip_address: str | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> ShiftAssignment:
    """The person on duty signs in (签到): only for their own shift, only during it (or just
    before), only once. The time and address are recorded; after the grace period it is late."""
    now = now or clock.now()
    # The shift's type comes along for the archive line's text (the shift is named by it), unlocked:
    # the assignment, its shift and person are locked, as before.
    assignment = (
        ShiftAssignment.objects.select_for_update(of=("self", "shift", "person"))
        .select_related("shift__shift_type", "person")
        .get(pk=assignment.pk)
    )
    sign_in_require(actor, assignment, now=now)
    shift = assignment.shift
    is_late = now > shift.sign_in_due_at
    save_and_archive(
        assignment,
        action="assignments.shiftassignment.signed_in",
        actor=actor,
        request=request,
        now=now,
        summary=_("Late sign-in") if is_late else _("Signed in on time"),
        compare=(),
        after={"signed_in_at": now, "late": is_late},
        signed_in_at=now,
        sign_in_ip=ip_address or (request.META.get("REMOTE_ADDR") if request is not None else None),
    )
    return assignment
