"""Shifts: their stored times, created on demand."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from assignments.models import Shift, ShiftType


def shift_times(*, shift_type: ShiftType, on: date) -> tuple[datetime, datetime, datetime]:
    """(starts_at, ends_at, sign_in_due_at) for a shift type on a local day; a shift whose end
    is not after its start ends on the next day."""
    starts_at = timezone.make_aware(datetime.combine(on, shift_type.starts))
    end_day = on + timedelta(days=1) if shift_type.crosses_midnight else on
    ends_at = timezone.make_aware(datetime.combine(end_day, shift_type.ends))
    return starts_at, ends_at, starts_at + shift_type.sign_in_grace


def shift_ensure(*, shift_type: ShiftType, on: date) -> Shift:
    """The shift of that type on that day, created (with its times stored) if missing."""
    starts_at, ends_at, due_at = shift_times(shift_type=shift_type, on=on)
    shift, _created = Shift.objects.get_or_create(
        shift_type=shift_type,
        on=on,
        defaults={
            "starts_at": starts_at,
            "ends_at": ends_at,
            "sign_in_due_at": due_at,
            "people_needed": shift_type.people_needed,
        },
    )
    return shift
