"""Roster generation: propose a plan for a run of days, then save the reviewed plan.

Every change writes its archive record inside the same transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.services import archive_record
from assignments.models import Leave, Shift, ShiftAssignment, ShiftType
from assignments.planning import Counts, PersonInput, RosterInput, SlotInput, plan_roster
from assignments.policies import roster_require
from assignments.services.shifts import shift_times
from bureau import clock
from bureau.models import Person, User

# Between two shifts of one person the generator leaves at least this much rest.
MINIMUM_REST = timedelta(hours=8)
# The longest roster the generator plans in one go.
MAX_ROSTER_DAYS = 400


@dataclass
class PlannedSlot:
    on: date
    shift_type: ShiftType
    starts_at: datetime
    ends_at: datetime
    kept: list[Person] = field(default_factory=list)  # already on the roster
    added: list[Person] = field(default_factory=list)  # proposed by the plan
    open_places: int = 0

    @property
    def is_weekend(self) -> bool:
        return self.on.weekday() >= 5


@dataclass
class PersonTally:
    person: Person
    total: int = 0
    nights: int = 0
    weekends: int = 0
    leave_days: int = 0


@dataclass
class RosterPlan:
    start: date
    end: date
    slots: list[PlannedSlot]
    tallies: list[PersonTally]

    @property
    def open_places(self) -> int:
        return sum(slot.open_places for slot in self.slots)

    @property
    def added_count(self) -> int:
        return sum(len(slot.added) for slot in self.slots)

    def as_data(self) -> dict:
        """The proposal as JSON-safe data (for the review form): only what the plan adds."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "slots": [
                [slot.on.isoformat(), slot.shift_type.pk, [person.pk for person in slot.added]]
                for slot in self.slots
                if slot.added
            ],
        }


def _days(start: date, end: date) -> Iterator[date]:
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def _local_days(starts_at: datetime, ends_at: datetime) -> set[date]:
    first = timezone.localdate(starts_at)
    last = timezone.localdate(ends_at - timedelta(microseconds=1))
    return set(_days(first, last))


def roster_plan(*, start: date, end: date, shift_types: list[ShiftType], people: list[Person]) -> RosterPlan:
    """Propose who works which shift from ``start`` to ``end`` (inclusive). Saves nothing.

    Places already filled stay as they are and count towards each person's tally; the choice is
    ``assignments.planning.plan_roster``'s (fair rotation: with everyone available each person's
    total, night and weekend counts differ by at most one). Nobody is planned on a day of declared
    leave or within MINIMUM_REST of another shift. Raises ValidationError for a bad request."""
    if end < start:
        raise ValidationError(_("The last day cannot be before the first."))
    if (end - start).days >= MAX_ROSTER_DAYS:
        raise ValidationError(_("Plan at most %(days)s days at a time.") % {"days": MAX_ROSTER_DAYS})
    if not people:
        raise ValidationError(_("Choose the people to put on the roster."))
    if not shift_types:
        raise ValidationError(_("Choose at least one shift type."))
    people = list(dict.fromkeys(people))
    person_ids = [person.pk for person in people]
    type_ids = {shift_type.pk for shift_type in shift_types}

    # Leave one day either side of the period: a night shift reaches into the next day.
    leave_days: dict[int, set[date]] = defaultdict(set)
    leave_count: dict[int, int] = defaultdict(int)  # per leave row, as declared
    for leave in Leave.objects.filter(person_id__in=person_ids, starts_on__lte=end + timedelta(days=1)).filter(
        ends_on__gte=start
    ):
        for day in _days(max(leave.starts_on, start - timedelta(days=1)), min(leave.ends_on, end + timedelta(days=1))):
            leave_days[leave.person_id].add(day)
            leave_count[leave.person_id] += start <= day <= end

    busy: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    window_start = timezone.make_aware(datetime.combine(start - timedelta(days=2), datetime.min.time()))
    window_end = timezone.make_aware(datetime.combine(end + timedelta(days=3), datetime.min.time()))
    for assignment in ShiftAssignment.objects.filter(
        person_id__in=person_ids, shift__starts_at__lt=window_end, shift__ends_at__gt=window_start
    ).select_related("shift", "shift__shift_type"):
        shift = assignment.shift
        busy[assignment.person_id].append((shift.starts_at, shift.ends_at))
        if shift.shift_type_id in type_ids and start <= shift.on <= end:
            tally = counts[assignment.person_id]
            tally[0] += 1
            tally[1] += int(shift.shift_type.is_night)
            tally[2] += int(shift.on.weekday() >= 5)
    existing: dict[tuple[date, int], list[Person]] = defaultdict(list)
    for assignment in ShiftAssignment.objects.filter(
        shift__shift_type_id__in=type_ids, shift__on__gte=start, shift__on__lte=end
    ).select_related("person", "shift"):
        existing[(assignment.shift.on, assignment.shift.shift_type_id)].append(assignment.person)

    slots: list[PlannedSlot] = []
    inputs: list[SlotInput] = []
    for day in _days(start, end):
        for shift_type in shift_types:
            starts_at, ends_at, _due = shift_times(shift_type=shift_type, on=day)
            kept = existing.get((day, shift_type.pk), [])
            slots.append(PlannedSlot(on=day, shift_type=shift_type, starts_at=starts_at, ends_at=ends_at, kept=kept))
            inputs.append(
                SlotInput(
                    on=day,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    is_night=shift_type.is_night,
                    people_needed=shift_type.people_needed,
                    days=frozenset(_local_days(starts_at, ends_at)),
                    kept=tuple(person.pk for person in kept),
                )
            )
    output = plan_roster(
        RosterInput(
            slots=tuple(inputs),
            people=tuple(
                PersonInput(
                    id=pk,
                    leave_days=frozenset(leave_days[pk]),
                    busy=tuple(busy[pk]),
                    counts=Counts(*counts[pk]),
                )
                for pk in person_ids
            ),
            minimum_rest=MINIMUM_REST,
        )
    )

    by_pk = {person.pk: person for person in people}
    for slot, added, open_places in zip(slots, output.added, output.open_places, strict=True):
        slot.added = [by_pk[pk] for pk in added]
        slot.open_places = open_places
    tallies = [
        PersonTally(
            person=by_pk[pk],
            total=output.counts[pk].total,
            nights=output.counts[pk].nights,
            weekends=output.counts[pk].weekends,
            leave_days=leave_count[pk],
        )
        for pk in person_ids
    ]
    slots.sort(key=lambda s: (s.starts_at, s.shift_type.sort_order))
    return RosterPlan(start=start, end=end, slots=slots, tallies=tallies)


@transaction.atomic
def roster_save(*, data: dict, actor: User, request: HttpRequest | None = None, now: datetime | None = None) -> int:
    """Save a reviewed plan (``RosterPlan.as_data()``). Creates the missing shifts and the planned
    assignments; a place someone filled meanwhile, or a person who went on leave meanwhile, is
    skipped. Returns the number of assignments created. Only for whom may change the roster."""
    now = now or clock.now()
    roster_require(actor)
    start, end = date.fromisoformat(data["start"]), date.fromisoformat(data["end"])
    wanted = [(date.fromisoformat(on), int(type_id), [int(pk) for pk in pks]) for on, type_id, pks in data["slots"]]
    types = {t.pk: t for t in ShiftType.objects.filter(pk__in={type_id for _on, type_id, _pks in wanted})}
    # person → their department now: each assignment keeps the department it is worked for.
    people = dict(
        Person.objects.filter(pk__in={pk for *_x, pks in wanted for pk in pks}).values_list("pk", "department_id")
    )
    leave_days = {
        (leave.person_id, day)
        for leave in Leave.objects.filter(person_id__in=people, starts_on__lte=end, ends_on__gte=start)
        for day in _days(max(leave.starts_on, start), min(leave.ends_on, end))
    }
    new_shifts = []
    for on, type_id, _pks in wanted:
        if type_id in types:
            starts_at, ends_at, due_at = shift_times(shift_type=types[type_id], on=on)
            new_shifts.append(
                Shift(
                    shift_type_id=type_id,
                    on=on,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    sign_in_due_at=due_at,
                    people_needed=types[type_id].people_needed,
                )
            )
    Shift.objects.bulk_create(new_shifts, ignore_conflicts=True)
    shifts = {
        (shift.on, shift.shift_type_id): shift
        for shift in Shift.objects.filter(shift_type_id__in=types, on__gte=start, on__lte=end).annotate(
            filled=Count("assignments")
        )
    }
    rows = []
    for on, type_id, pks in wanted:
        shift = shifts.get((on, type_id))
        if shift is None:
            continue
        room = max(0, shift.people_needed - shift.filled)
        for pk in pks:
            if room and pk in people and (pk, on) not in leave_days:
                rows.append(ShiftAssignment(shift=shift, person_id=pk, department_id=people[pk]))
                room -= 1
    created = ShiftAssignment.objects.bulk_create(rows, ignore_conflicts=True)
    Shift.objects.filter(pk__in=[row.shift_id for row in rows]).update(understaffed_at=None)
    archive_record(
        action="assignments.roster.generated",
        actor=actor,
        request=request,
        target_type="assignments.roster",
        target_id=f"{start}/{end}",
        target_text=_("Roster %(start)s – %(end)s") % {"start": start, "end": end},
        summary=_("%(count)s assignments") % {"count": len(created)},
        after={"start": start, "end": end, "slots": data["slots"]},
        now=now,
    )
    return len(created)
