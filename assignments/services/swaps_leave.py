"""Manual roster edits (assign, unassign, swap) and declared leave.

Every change writes its archive record inside the same transaction."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _

from archive.services import archive_record
from assignments.models import Leave, Shift, ShiftAssignment
from assignments.policies import roster_require, unassign_require
from bureau import clock
from bureau.models import Person, User


@transaction.atomic
def shift_assign(
    *, shift: Shift, person: Person, actor: User, request: HttpRequest | None = None, now: datetime | None = None
) -> ShiftAssignment:
    """Put a person on a shift by hand. Raises ValidationError if they are already on it."""
    now = now or clock.now()
    roster_require(actor)
    shift = Shift.objects.select_for_update().get(pk=shift.pk)
    if ShiftAssignment.objects.filter(shift=shift, person=person).exists():
        raise ValidationError(_("%(person)s is already on this shift.") % {"person": person})
    assignment = ShiftAssignment.objects.create(shift=shift, person=person, department_id=person.department_id)
    Shift.objects.filter(pk=shift.pk).update(understaffed_at=None)
    archive_record(
        action="assignments.shiftassignment.added",
        actor=actor,
        request=request,
        target=assignment,
        after={"shift": shift.pk, "person": person.pk},
        now=now,
    )
    return assignment


@transaction.atomic
def shift_unassign(
    *, assignment: ShiftAssignment, actor: User, request: HttpRequest | None = None, now: datetime | None = None
) -> None:
    """Take a person off a shift. Someone who already signed in stays on record."""
    now = now or clock.now()
    assignment = ShiftAssignment.objects.select_for_update().select_related("shift", "person").get(pk=assignment.pk)
    unassign_require(actor, assignment)
    before = {"shift": assignment.shift_id, "person": assignment.person_id}
    text, pk = str(assignment), assignment.pk
    assignment.delete()
    Shift.objects.filter(pk=before["shift"]).update(understaffed_at=None)
    archive_record(
        action="assignments.shiftassignment.removed",
        actor=actor,
        request=request,
        target_type="assignments.shiftassignment",
        target_id=str(pk),
        target_text=text,
        before=before,
        now=now,
    )


@transaction.atomic
def assignments_swap(
    *,
    first: ShiftAssignment,
    second: ShiftAssignment,
    actor: User,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> tuple[ShiftAssignment, ShiftAssignment]:
    """Swap the people of two assignments on different shifts. Raises ValidationError if either
    has signed in, a shift has started, or a person is already on the other shift."""
    now = now or clock.now()
    roster_require(actor)
    locked = {
        a.pk: a
        for a in ShiftAssignment.objects.select_for_update()
        .select_related("shift", "person")
        .filter(pk__in=[first.pk, second.pk])
        .order_by("pk")
    }
    if len(locked) != 2:
        raise ValidationError(_("Choose two different assignments."))
    first, second = locked[first.pk], locked[second.pk]
    if first.shift_id == second.shift_id:
        raise ValidationError(_("Both people are on the same shift: there is nothing to swap."))
    for assignment in (first, second):
        if assignment.signed_in_at or assignment.shift.starts_at <= now:
            raise ValidationError(_("Only shifts that have not started can be swapped."))
    if ShiftAssignment.objects.filter(
        Q(shift=first.shift, person=second.person) | Q(shift=second.shift, person=first.person)
    ).exists():
        raise ValidationError(_("One of them is already on the other shift."))
    before = {"first": [first.shift_id, first.person_id], "second": [second.shift_id, second.person_id]}
    first_person, second_person = first.person, second.person
    first.person, second.person = second_person, first_person
    first.department_id, second.department_id = second_person.department_id, first_person.department_id
    first.late_flagged_at = second.late_flagged_at = None
    first.save(update_fields=["person", "department", "late_flagged_at"])
    second.save(update_fields=["person", "department", "late_flagged_at"])
    archive_record(
        action="assignments.shiftassignment.swapped",
        actor=actor,
        request=request,
        target=first,
        summary=_("%(first)s ⇄ %(second)s") % {"first": first_person, "second": second_person},
        before=before,
        after={"first": [first.shift_id, first.person_id], "second": [second.shift_id, second.person_id]},
        now=now,
    )
    return first, second


# --- Leave --------------------------------------------------------------------------------------


@transaction.atomic
def leave_declare(
    *,
    person: Person,
    starts_on: date,
    ends_on: date,
    reason: str = "",
    actor: User,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Leave:
    """Record leave; the generator gives the person no shift on those days. Existing shifts are
    not changed (a supervisor swaps them by hand)."""
    now = now or clock.now()
    roster_require(actor)
    if ends_on < starts_on:
        raise ValidationError(_("The last day of leave cannot be before the first."))
    leave = Leave.objects.create(
        person=person, starts_on=starts_on, ends_on=ends_on, reason=reason, created_at=now, created_by=actor
    )
    archive_record(
        action="assignments.leave.declared",
        actor=actor,
        request=request,
        target=leave,
        summary=reason,
        after={"person": person.pk, "starts_on": starts_on, "ends_on": ends_on},
        now=now,
    )
    return leave


@transaction.atomic
def leave_cancel(*, leave: Leave, actor: User, request: HttpRequest | None = None, now: datetime | None = None) -> None:
    now = now or clock.now()
    roster_require(actor)
    before = {"person": leave.person_id, "starts_on": leave.starts_on, "ends_on": leave.ends_on}
    text, pk = str(leave), leave.pk
    leave.delete()
    archive_record(
        action="assignments.leave.cancelled",
        actor=actor,
        request=request,
        target_type="assignments.leave",
        target_id=str(pk),
        target_text=text,
        before=before,
        now=now,
    )
