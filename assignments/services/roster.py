"""Roster generation: propose a plan for a run of days, then save the reviewed plan.

Every change writes its archive record inside the same transaction."""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.services import archive_record
from assignments.models import Leave, Shift, ShiftAssignment, ShiftType
from assignments.services.shifts import shift_times
from bureau import clock
from bureau.models import Person

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


def _days(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def _local_days(starts_at: datetime, ends_at: datetime) -> set[date]:
    first = timezone.localdate(starts_at)
    last = timezone.localdate(ends_at - timedelta(microseconds=1))
    return set(_days(first, last))


class _Busy:
    """Per person, the sorted intervals they already work, to keep shifts apart by MINIMUM_REST."""

    def __init__(self):
        self.starts: dict[int, list[datetime]] = defaultdict(list)
        self.intervals: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)

    def add(self, person_id: int, starts_at: datetime, ends_at: datetime) -> None:
        index = bisect.bisect_left(self.starts[person_id], starts_at)
        self.starts[person_id].insert(index, starts_at)
        self.intervals[person_id].insert(index, (starts_at, ends_at))

    def remove(self, person_id: int, starts_at: datetime) -> None:
        index = self.starts[person_id].index(starts_at)
        del self.starts[person_id][index]
        del self.intervals[person_id][index]

    def is_free(self, person_id: int, starts_at: datetime, ends_at: datetime) -> bool:
        starts, intervals = self.starts[person_id], self.intervals[person_id]
        index = bisect.bisect_left(starts, starts_at)
        for neighbour in intervals[max(0, index - 1) : index + 1]:
            if neighbour[0] < ends_at + MINIMUM_REST and starts_at < neighbour[1] + MINIMUM_REST:
                return False
        return True

    def distance(self, person_id: int, starts_at: datetime) -> float:
        """Hours to the person's nearest shift (large when none): spreads each one's shifts out."""
        starts = self.starts[person_id]
        if not starts:
            return float("inf")
        index = bisect.bisect_left(starts, starts_at)
        nearest = [abs((starts[i] - starts_at).total_seconds()) for i in (index - 1, index) if 0 <= i < len(starts)]
        return min(nearest) / 3600


def roster_plan(*, start: date, end: date, shift_types: list[ShiftType], people: list[Person]) -> RosterPlan:
    """Propose who works which shift from ``start`` to ``end`` (inclusive). Saves nothing.

    Places already filled stay as they are and count towards each person's tally. The rotation is
    fair: weekend nights are shared out first, then the other nights, weekend days and the
    rest, each time to whoever has had fewest of that kind (then fewest shifts in all, then the longest rest), so with
    everyone available each person's total, night and weekend counts differ by at most one.
    Nobody is planned on a day of declared leave or within MINIMUM_REST of another shift."""
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
    order = {pk: index for index, pk in enumerate(person_ids)}
    tallies = {person.pk: PersonTally(person=person) for person in people}
    type_ids = {shift_type.pk for shift_type in shift_types}

    leave_days: set[tuple[int, date]] = set()
    for leave in Leave.objects.filter(person_id__in=person_ids, starts_on__lte=end + timedelta(days=1)).filter(
        ends_on__gte=start
    ):
        for day in _days(max(leave.starts_on, start - timedelta(days=1)), min(leave.ends_on, end + timedelta(days=1))):
            leave_days.add((leave.person_id, day))
            if start <= day <= end:
                tallies[leave.person_id].leave_days += 1

    busy = _Busy()
    window_start = timezone.make_aware(datetime.combine(start - timedelta(days=2), datetime.min.time()))
    window_end = timezone.make_aware(datetime.combine(end + timedelta(days=3), datetime.min.time()))
    existing: dict[tuple[date, int], list[Person]] = defaultdict(list)
    for assignment in ShiftAssignment.objects.filter(
        person_id__in=person_ids, shift__starts_at__lt=window_end, shift__ends_at__gt=window_start
    ).select_related("shift", "shift__shift_type"):
        shift = assignment.shift
        busy.add(assignment.person_id, shift.starts_at, shift.ends_at)
        if shift.shift_type_id in type_ids and start <= shift.on <= end:
            _count(tallies[assignment.person_id], shift.shift_type.is_night, shift.on.weekday() >= 5)
    for assignment in ShiftAssignment.objects.filter(
        shift__shift_type_id__in=type_ids, shift__on__gte=start, shift__on__lte=end
    ).select_related("person", "shift"):
        existing[(assignment.shift.on, assignment.shift.shift_type_id)].append(assignment.person)

    slots: list[PlannedSlot] = []
    for day in _days(start, end):
        for shift_type in shift_types:
            starts_at, ends_at, _due = shift_times(shift_type=shift_type, on=day)
            kept = existing.get((day, shift_type.pk), [])
            slots.append(
                PlannedSlot(
                    on=day,
                    shift_type=shift_type,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    kept=list(kept),
                    open_places=max(0, shift_type.people_needed - len(kept)),
                )
            )

    # Weekend nights first (else a seven-person rotation puts the same people on every Saturday
    # night), then weekday nights, weekend days, weekday days.
    def phase(slot: PlannedSlot) -> int:
        if slot.shift_type.is_night:
            return 0 if slot.is_weekend else 1
        return 2 if slot.is_weekend else 3

    def available(pk: int, slot: PlannedSlot) -> bool:
        return (
            pk not in {person.pk for person in (*slot.kept, *slot.added)}
            and not any((pk, day) in leave_days for day in _local_days(slot.starts_at, slot.ends_at))
            and busy.is_free(pk, slot.starts_at, slot.ends_at)
        )

    for slot in sorted(slots, key=lambda s: (phase(s), s.starts_at)):
        kind = phase(slot)
        while slot.open_places:
            candidates = [pk for pk in person_ids if available(pk, slot)]
            if not candidates:
                break

            def key(pk: int, kind=kind, slot=slot) -> tuple:
                tally = tallies[pk]
                first = {
                    0: (tally.weekends, tally.nights),
                    1: (tally.nights, 0),
                    2: (tally.weekends, 0),
                    3: (tally.total, 0),
                }[kind]
                return (*first, tally.total, -busy.distance(pk, slot.starts_at), order[pk])

            chosen = min(candidates, key=key)
            busy.add(chosen, slot.starts_at, slot.ends_at)
            _count(tallies[chosen], slot.shift_type.is_night, slot.is_weekend)
            slot.added.append(tallies[chosen].person)
            slot.open_places -= 1

    # The greedy pass can leave a spread of two where rest rules got in the way: move weekend
    # day shifts, then weekday day shifts, from the most loaded to the least loaded person.
    def rebalance(metric, movable, swap: bool = False) -> None:
        for _attempt in range(len(slots)):
            values = {pk: metric(tallies[pk]) for pk in person_ids}
            high, low = max(values.values()), min(values.values())
            if high - low <= 1:
                return
            if not _move_one(values, high, low, movable) and not (swap and _swap_one(values, high, movable)):
                return

    def _move_one(values, high, low, movable) -> bool:
        # Anyone at least two below the top may take a shift: each move narrows the spread.
        receivers = sorted((pk for pk in person_ids if values[pk] <= high - 2), key=lambda pk: (values[pk], order[pk]))
        for slot in slots:
            if not movable(slot):
                continue
            for giver in [person for person in slot.added if values[person.pk] == high]:
                busy.remove(giver.pk, slot.starts_at)
                for receiver in receivers:
                    if available(receiver, slot):
                        slot.added[slot.added.index(giver)] = tallies[receiver].person
                        busy.add(receiver, slot.starts_at, slot.ends_at)
                        _count(tallies[giver.pk], slot.shift_type.is_night, slot.is_weekend, by=-1)
                        _count(tallies[receiver], slot.shift_type.is_night, slot.is_weekend)
                        return True
                busy.add(giver.pk, slot.starts_at, slot.ends_at)
        return False

    def _swap_one(values, high, movable) -> bool:
        """Exchange a movable shift of someone at the top for a weekday day shift of someone at
        least two below: the totals stay, the measured count narrows."""
        receivers = [pk for pk in person_ids if values[pk] <= high - 2]
        weekdays = [slot for slot in slots if phase(slot) == 3]
        for mine in slots:
            if not movable(mine):
                continue
            for giver in [person for person in mine.added if values[person.pk] == high]:
                for receiver in receivers:
                    for theirs in weekdays:
                        taker = next((p for p in theirs.added if p.pk == receiver), None)
                        if taker is None or any(p.pk == giver.pk for p in (*theirs.kept, *theirs.added)):
                            continue
                        busy.remove(giver.pk, mine.starts_at)
                        busy.remove(receiver, theirs.starts_at)
                        if available(receiver, mine) and available(giver.pk, theirs):
                            mine.added[mine.added.index(giver)] = taker
                            theirs.added[theirs.added.index(taker)] = giver
                            busy.add(receiver, mine.starts_at, mine.ends_at)
                            busy.add(giver.pk, theirs.starts_at, theirs.ends_at)
                            for tally, sign in ((tallies[giver.pk], -1), (tallies[receiver], 1)):
                                _count(tally, mine.shift_type.is_night, mine.is_weekend, by=sign)
                                _count(tally, theirs.shift_type.is_night, theirs.is_weekend, by=-sign)
                            return True
                        busy.add(giver.pk, mine.starts_at, mine.ends_at)
                        busy.add(receiver, theirs.starts_at, theirs.ends_at)
        return False

    rebalance(lambda tally: tally.weekends, lambda slot: phase(slot) == 2, swap=True)
    rebalance(lambda tally: tally.total, lambda slot: phase(slot) == 3)

    slots.sort(key=lambda s: (s.starts_at, s.shift_type.sort_order))
    return RosterPlan(start=start, end=end, slots=slots, tallies=[tallies[pk] for pk in person_ids])


def _count(tally: PersonTally, is_night: bool, is_weekend: bool, by: int = 1) -> None:
    tally.total += by
    tally.nights += by * int(is_night)
    tally.weekends += by * int(is_weekend)


@transaction.atomic
def roster_save(*, data: dict, actor, request=None, now=None) -> int:
    """Save a reviewed plan (``RosterPlan.as_data()``). Creates the missing shifts and the planned
    assignments; a place someone filled meanwhile, or a person who went on leave meanwhile, is
    skipped. Returns the number of assignments created."""
    now = now or clock.now()
    start, end = date.fromisoformat(data["start"]), date.fromisoformat(data["end"])
    wanted = [(date.fromisoformat(on), int(type_id), [int(pk) for pk in pks]) for on, type_id, pks in data["slots"]]
    types = {t.pk: t for t in ShiftType.objects.filter(pk__in={type_id for _on, type_id, _pks in wanted})}
    people = set(Person.objects.filter(pk__in={pk for *_x, pks in wanted for pk in pks}).values_list("pk", flat=True))
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
                rows.append(ShiftAssignment(shift=shift, person_id=pk))
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
