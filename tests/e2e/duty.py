"""Shifts for the browser tests of duty, in real time (the live server does not travel)."""

from datetime import timedelta

from django.utils import timezone

from assignments.models import Shift, ShiftAssignment, ShiftType
from assignments.selectors import my_duty
from assignments.services import shift_ensure
from bureau import clock
from bureau.models import Person


def shift_for_staff_now(*, name: str, started_minutes_ago: int, hours_left: int, sort_order: int) -> ShiftAssignment:
    """The demo's staff member on a shift of its own that started ``started_minutes_ago``."""
    local = timezone.localtime(clock.now())
    begins = local - timedelta(minutes=started_minutes_ago)
    shift_type, _ = ShiftType.objects.update_or_create(
        name=name,
        defaults={
            "starts": begins.time().replace(second=0, microsecond=0),
            "ends": (local + timedelta(hours=hours_left)).time().replace(second=0, microsecond=0),
            "sort_order": sort_order,
        },
    )
    shift = shift_ensure(shift_type=shift_type, on=begins.date())
    return ShiftAssignment.objects.create(shift=shift, person=Person.objects.get(user__username="staff"))


def shift_handed_over(username: str) -> Shift:
    """The shift the duty pages write a handover note for, for this person now: their current one,
    the earliest started of those running (``assignments.selectors.my_duty``). At some hours of
    real time the demo's roster has them on one of its shifts too (the day shift), which then comes
    before the test's own."""
    person = Person.objects.select_related("user").get(user__username=username)
    current = my_duty(user=person.user, person=person).current
    assert current is not None, f"{username} is on no shift now"
    return current.shift
