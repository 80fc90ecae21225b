"""Roster generation, swaps, sign-in, handover and the gap sweep, on the test clock."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from archive.models import ArchiveRecord
from assignments.models import HandoverNote, Shift, ShiftAssignment
from assignments.selectors import duty_figures, handover_notes_for, on_duty_now
from assignments.services.gaps import duty_flag_gaps
from assignments.services.handover import handover_note_create
from assignments.services.roster import roster_plan, roster_save
from assignments.services.shifts import shift_ensure
from assignments.services.signin import shift_sign_in
from assignments.services.swaps_leave import assignments_swap, leave_declare, shift_assign, shift_unassign
from bureau.models import Notification
from tests.assignments.factories import (
    NightShiftTypeFactory,
    ShiftAssignmentFactory,
    ShiftFactory,
    ShiftTypeFactory,
    people,
)
from tests.factories import PersonFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Error messages are matched in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def day_and_night(db):
    return [ShiftTypeFactory(), NightShiftTypeFactory()]


def spread(values) -> int:
    values = list(values)
    return max(values) - min(values)


# --- Roster generation --------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "days"), [(4, 14), (5, 31), (6, 21), (7, 30), (8, 28), (9, 60)])
def test_rotation_is_fair_in_totals_nights_and_weekends(day_and_night, size, days):
    team = people(size)
    start = date(2026, 3, 2)
    plan = roster_plan(start=start, end=start + timedelta(days=days - 1), shift_types=day_and_night, people=team)
    assert plan.open_places == 0
    assert plan.added_count == 2 * days
    assert spread(t.total for t in plan.tallies) <= 1
    assert spread(t.nights for t in plan.tallies) <= 1
    assert spread(t.weekends for t in plan.tallies) <= 1


def test_rotation_of_thirty_people_over_a_year_is_fair(day_and_night):
    team = people(30)
    plan = roster_plan(start=date(2026, 1, 1), end=date(2026, 12, 31), shift_types=day_and_night, people=team)
    assert plan.added_count == 730
    assert spread(t.total for t in plan.tallies) <= 1
    assert spread(t.nights for t in plan.tallies) <= 1
    assert spread(t.weekends for t in plan.tallies) <= 1


def test_night_shift_crosses_midnight_and_nobody_works_straight_through(day_and_night):
    team = people(4)
    plan = roster_plan(start=date(2026, 3, 2), end=date(2026, 3, 15), shift_types=day_and_night, people=team)
    night = next(slot for slot in plan.slots if slot.shift_type.is_night)
    assert night.starts_at == at(2026, 3, 2, 17, 30)
    assert night.ends_at == at(2026, 3, 3, 8, 30)
    worked: dict[int, list[tuple[datetime, datetime]]] = {}
    for slot in plan.slots:
        for person in slot.added:
            worked.setdefault(person.pk, []).append((slot.starts_at, slot.ends_at))
    for intervals in worked.values():
        intervals.sort()
        for (_s1, end1), (start2, _e2) in zip(intervals, intervals[1:], strict=False):
            assert start2 - end1 >= timedelta(hours=8)


def test_declared_leave_is_respected(day_and_night, cast):
    team = people(6)
    on_leave = team[0]
    leave_declare(person=on_leave, starts_on=date(2026, 3, 9), ends_on=date(2026, 3, 15), actor=cast["supervisor"].user)
    plan = roster_plan(start=date(2026, 3, 2), end=date(2026, 3, 29), shift_types=day_and_night, people=team)
    assert plan.open_places == 0
    for slot in plan.slots:
        if date(2026, 3, 8) <= slot.on <= date(2026, 3, 15):  # the night of the 8th ends on the 9th
            assert on_leave not in slot.added, slot.on
    others = [t for t in plan.tallies if t.person != on_leave]
    assert spread(t.total for t in others) <= 1
    assert next(t for t in plan.tallies if t.person == on_leave).leave_days == 7


def test_two_people_per_shift_are_different_people(db):
    shift_type = ShiftTypeFactory(name="双人白班", people_needed=2)
    team = people(5)
    plan = roster_plan(start=date(2026, 3, 2), end=date(2026, 3, 11), shift_types=[shift_type], people=team)
    assert all(len(set(slot.added)) == 2 for slot in plan.slots)
    assert spread(t.total for t in plan.tallies) <= 1


def test_too_few_people_leaves_places_open(day_and_night):
    team = people(1)
    plan = roster_plan(start=date(2026, 3, 2), end=date(2026, 3, 3), shift_types=day_and_night, people=team)
    assert plan.open_places > 0


def test_saving_a_plan_creates_the_roster_once(day_and_night, cast):
    team = people(4)
    plan = roster_plan(start=date(2026, 3, 2), end=date(2026, 3, 8), shift_types=day_and_night, people=team)
    actor = cast["supervisor"].user
    assert roster_save(data=plan.as_data(), actor=actor) == 14
    assert Shift.objects.count() == 14
    assert ArchiveRecord.objects.filter(action="assignments.roster.generated").count() == 1
    night = Shift.objects.get(on=date(2026, 3, 2), shift_type=day_and_night[1])
    assert night.ends_at == at(2026, 3, 3, 8, 30)
    assert night.sign_in_due_at == at(2026, 3, 2, 17, 45)
    assert roster_save(data=plan.as_data(), actor=actor) == 0  # places already filled
    assert ShiftAssignment.objects.count() == 14


def test_a_new_plan_keeps_what_is_on_the_roster(day_and_night, cast):
    team = people(4)
    kept = ShiftAssignmentFactory(shift=ShiftFactory(shift_type=day_and_night[0], on=date(2026, 3, 2)), person=team[3])
    plan = roster_plan(start=date(2026, 3, 2), end=date(2026, 3, 8), shift_types=day_and_night, people=team)
    first = plan.slots[0]
    assert first.kept == [kept.person]
    assert first.added == []
    assert plan.added_count == 13
    assert next(t for t in plan.tallies if t.person == team[3]).total in (3, 4)


def test_a_person_gone_on_leave_after_review_is_not_saved(day_and_night, cast):
    team = people(3)
    plan = roster_plan(start=date(2026, 3, 2), end=date(2026, 3, 4), shift_types=day_and_night, people=team)
    first_day_people = {p.pk for slot in plan.slots if slot.on == date(2026, 3, 2) for p in slot.added}
    leaver = next(p for p in team if p.pk in first_day_people)
    leave_declare(person=leaver, starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 2), actor=cast["supervisor"].user)
    roster_save(data=plan.as_data(), actor=cast["supervisor"].user)
    assert not ShiftAssignment.objects.filter(person=leaver, shift__on=date(2026, 3, 2)).exists()


# --- Manual edits and swaps ---------------------------------------------------------------------


def test_swap_exchanges_the_people_and_is_recorded(travel, day_and_night, cast):
    first = ShiftAssignmentFactory(shift=ShiftFactory(shift_type=day_and_night[0], on=date(2026, 3, 5)))
    second = ShiftAssignmentFactory(shift=ShiftFactory(shift_type=day_and_night[1], on=date(2026, 3, 6)))
    a, b = first.person, second.person
    assignments_swap(first=first, second=second, actor=cast["supervisor"].user)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.person, second.person) == (b, a)
    record = ArchiveRecord.objects.get(action="assignments.shiftassignment.swapped")
    assert record.before["first"][1] == a.pk


def test_swap_refuses_started_shifts_and_same_shift(travel, day_and_night, cast):
    today = ShiftAssignmentFactory(shift=ShiftFactory(shift_type=day_and_night[0], on=date(2026, 3, 2)))
    later = ShiftAssignmentFactory(shift=ShiftFactory(shift_type=day_and_night[0], on=date(2026, 3, 3)))
    other_on_later = ShiftAssignmentFactory(shift=later.shift)
    with pytest.raises(ValidationError):
        assignments_swap(first=today, second=later, actor=cast["supervisor"].user)  # today's started at 08:30
    with pytest.raises(ValidationError):
        assignments_swap(first=later, second=other_on_later, actor=cast["supervisor"].user)


def test_manual_assign_and_remove_are_recorded(travel, day_and_night, cast):
    shift = shift_ensure(shift_type=day_and_night[0], on=date(2026, 3, 4))
    person = PersonFactory()
    assignment = shift_assign(shift=shift, person=person, actor=cast["supervisor"].user)
    with pytest.raises(ValidationError):
        shift_assign(shift=shift, person=person, actor=cast["supervisor"].user)
    shift_unassign(assignment=assignment, actor=cast["supervisor"].user)
    actions = list(ArchiveRecord.objects.values_list("action", flat=True))
    assert "assignments.shiftassignment.added" in actions
    assert "assignments.shiftassignment.removed" in actions


# --- Sign-in ------------------------------------------------------------------------------------


@pytest.fixture
def todays_day_shift(travel, day_and_night):
    return ShiftAssignmentFactory(shift=ShiftFactory(shift_type=day_and_night[0], on=date(2026, 3, 2)))


def test_sign_in_records_time_and_address_and_only_once(todays_day_shift):
    assignment = todays_day_shift
    shift_sign_in(assignment=assignment, actor=assignment.person.user, ip_address="10.0.0.8")
    assignment.refresh_from_db()
    assert assignment.signed_in_at == at(2026, 3, 2, 9, 0)
    assert assignment.sign_in_ip == "10.0.0.8"
    with pytest.raises(ValidationError, match="already signed in"):
        shift_sign_in(assignment=assignment, actor=assignment.person.user)


def test_nobody_signs_in_for_someone_else(todays_day_shift, cast):
    with pytest.raises(PermissionDenied, match="own shift"):
        shift_sign_in(assignment=todays_day_shift, actor=cast["staff"].user)


def test_no_sign_in_outside_ones_shift(travel, day_and_night):
    tonight = ShiftAssignmentFactory(shift=ShiftFactory(shift_type=day_and_night[1], on=date(2026, 3, 2)))
    with pytest.raises(ValidationError, match="not started"):
        shift_sign_in(assignment=tonight, actor=tonight.person.user)  # 09:00, the night starts 17:30
    travel.move_to(at(2026, 3, 2, 17, 5))  # half an hour early is allowed
    shift_sign_in(assignment=tonight, actor=tonight.person.user)
    yesterday = ShiftAssignmentFactory(shift=ShiftFactory(shift_type=day_and_night[0], on=date(2026, 3, 1)))
    with pytest.raises(ValidationError, match="over"):
        shift_sign_in(assignment=yesterday, actor=yesterday.person.user)


def test_late_sign_in_counts_as_late(travel, day_and_night):
    on_time = ShiftAssignmentFactory(shift=ShiftFactory(shift_type=day_and_night[0], on=date(2026, 3, 2)))
    late = ShiftAssignmentFactory(shift=on_time.shift)
    missed = ShiftAssignmentFactory(shift=on_time.shift)
    travel.move_to(at(2026, 3, 2, 8, 40))
    shift_sign_in(assignment=on_time, actor=on_time.person.user)
    travel.move_to(at(2026, 3, 2, 8, 46))  # grace ends 08:45
    shift_sign_in(assignment=late, actor=late.person.user)
    signed_in = ArchiveRecord.objects.filter(action="assignments.shiftassignment.signed_in").order_by("pk")
    assert signed_in.last().after["late"] is True
    figures = duty_figures(start=at(2026, 3, 2, 0, 0), end=at(2026, 3, 3, 0, 0), now=at(2026, 3, 2, 18, 0))
    assert (figures.shifts, figures.on_time, figures.late, figures.missed) == (1, 1, 1, 1)
    del missed


def test_on_duty_now_lists_the_night_shift_after_midnight(travel, day_and_night):
    night = ShiftAssignmentFactory(shift=ShiftFactory(shift_type=day_and_night[1], on=date(2026, 3, 1)))
    travel.move_to(at(2026, 3, 2, 2, 0))
    assert list(on_duty_now()) == [night]


# --- Handover -----------------------------------------------------------------------------------


def test_the_next_shift_sees_the_handover_note(todays_day_shift, day_and_night, cast):
    assignment = todays_day_shift
    travel_note = handover_note_create(
        shift=assignment.shift, body="论坛有网民反映网吧噪音，已记录待核实。", actor=assignment.person.user
    )
    night = ShiftFactory(shift_type=day_and_night[1], on=date(2026, 3, 2))
    assert list(handover_notes_for(shift=night)) == [travel_note]
    assert list(handover_notes_for(shift=assignment.shift)) == []
    with pytest.raises(PermissionDenied, match="Only the people on this shift"):
        handover_note_create(shift=assignment.shift, body="x", actor=cast["staff"].user)
    assert HandoverNote.objects.count() == 1


# --- The gap sweep ------------------------------------------------------------------------------


def test_gap_sweep_flags_late_then_missed_and_notifies_once(travel, day_and_night, cast):
    supervisor = cast["supervisor"].user
    assignment = ShiftAssignmentFactory(shift=ShiftFactory(shift_type=day_and_night[0], on=date(2026, 3, 2)))
    ShiftAssignmentFactory(shift=ShiftFactory(shift_type=day_and_night[1], on=date(2026, 3, 2)))
    ShiftAssignmentFactory(shift=ShiftFactory(shift_type=day_and_night[0], on=date(2026, 3, 3)))
    ShiftFactory(shift_type=day_and_night[1], on=date(2026, 3, 3))  # nobody on it
    travel.move_to(at(2026, 3, 2, 8, 44))
    report = duty_flag_gaps()
    assert (report.late, report.missed, report.understaffed) == (0, 0, 1)
    travel.move_to(at(2026, 3, 2, 8, 46))
    report = duty_flag_gaps()
    assert (report.late, report.missed, report.understaffed) == (1, 0, 0)
    assert duty_flag_gaps().total == 0  # a second run finds nothing
    notices = Notification.objects.filter(recipient=supervisor, kind="assignments.duty_gaps")
    assert notices.count() == 2
    assert assignment.person.name in notices.first().body
    travel.move_to(at(2026, 3, 2, 17, 31))
    report = duty_flag_gaps()
    assert (report.late, report.missed) == (0, 1)
    assert duty_flag_gaps().total == 0
    assert notices.count() == 3
    assert not Notification.objects.filter(recipient=cast["staff"].user).exists()


def test_signing_in_before_the_deadline_is_no_gap(todays_day_shift, cast):
    shift_sign_in(assignment=todays_day_shift, actor=todays_day_shift.person.user)
    assert duty_flag_gaps().total == 0


def test_gap_sweep_queries_do_not_grow_with_shifts(travel, day_and_night, cast):
    def build(days: int, offset: int):
        for n in range(days):
            for shift_type in day_and_night:
                ShiftAssignmentFactory(
                    shift=ShiftFactory(shift_type=shift_type, on=date(2025, 1, 1) + timedelta(offset + n))
                )

    build(2, 0)
    with CaptureQueriesContext(connection) as small:
        first = duty_flag_gaps()
    build(40, 10)
    travel.shift(timedelta(seconds=1))
    with CaptureQueriesContext(connection) as large:
        second = duty_flag_gaps()
    assert first.missed == 4
    assert second.missed == 80
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
