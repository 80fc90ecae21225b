"""Duty: shifts, roster generation, manual edits and swaps, leave, sign-in, handover and the gap sweep.

Every change writes its archive record inside the same transaction."""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.services import archive_record
from assignments.models import SIGN_IN_EARLY_WINDOW, HandoverNote, Leave, Shift, ShiftAssignment, ShiftType
from bureau import clock
from bureau.models import Person, RoleGroup
from bureau.notifications import notification_create
from bureau.selectors import person_for

# Between two shifts of one person the generator leaves at least this much rest.
MINIMUM_REST = timedelta(hours=8)
# A handover note can still be written this long after one's shift ended.
HANDOVER_LATE_WINDOW = timedelta(hours=2)
# Understaffed shifts are flagged when they start within this horizon.
UNDERSTAFFED_HORIZON = timedelta(days=3)
# A gap digest lists at most this many gaps by name; the rest are counted.
DIGEST_LINES = 20
# The longest roster the generator plans in one go.
MAX_ROSTER_DAYS = 400


def _person_of(actor) -> Person:
    person = person_for(actor)
    if person is None:
        raise PermissionDenied(_("Your login is not linked to a person of the bureau."))
    return person


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


# --- Leave --------------------------------------------------------------------------------------


@transaction.atomic
def leave_declare(
    *, person: Person, starts_on: date, ends_on: date, reason: str = "", actor, request=None, now=None
) -> Leave:
    """Record leave; the generator gives the person no shift on those days. Existing shifts are
    not changed (a supervisor swaps them by hand)."""
    now = now or clock.now()
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
def leave_cancel(*, leave: Leave, actor, request=None, now=None) -> None:
    now = now or clock.now()
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


# --- Roster generation --------------------------------------------------------------------------


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


# --- Manual edits and swaps ---------------------------------------------------------------------


@transaction.atomic
def shift_assign(*, shift: Shift, person: Person, actor, request=None, now=None) -> ShiftAssignment:
    """Put a person on a shift by hand. Raises ValidationError if they are already on it."""
    now = now or clock.now()
    shift = Shift.objects.select_for_update().get(pk=shift.pk)
    if ShiftAssignment.objects.filter(shift=shift, person=person).exists():
        raise ValidationError(_("%(person)s is already on this shift.") % {"person": person})
    assignment = ShiftAssignment.objects.create(shift=shift, person=person)
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
def shift_unassign(*, assignment: ShiftAssignment, actor, request=None, now=None) -> None:
    """Take a person off a shift. Someone who already signed in stays on record."""
    now = now or clock.now()
    assignment = ShiftAssignment.objects.select_for_update().select_related("shift", "person").get(pk=assignment.pk)
    if assignment.signed_in_at:
        raise ValidationError(_("%(person)s has already signed in for this shift.") % {"person": assignment.person})
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
    *, first: ShiftAssignment, second: ShiftAssignment, actor, request=None, now=None
) -> tuple[ShiftAssignment, ShiftAssignment]:
    """Swap the people of two assignments on different shifts. Raises ValidationError if either
    has signed in, a shift has started, or a person is already on the other shift."""
    now = now or clock.now()
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
    first.late_flagged_at = second.late_flagged_at = None
    first.save(update_fields=["person", "late_flagged_at"])
    second.save(update_fields=["person", "late_flagged_at"])
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


# --- Sign-in and handover -----------------------------------------------------------------------


@transaction.atomic
def shift_sign_in(
    *, assignment: ShiftAssignment, actor, ip_address: str | None = None, request=None, now=None
) -> ShiftAssignment:
    """The person on duty signs in (签到): only for their own shift, only during it (or just
    before), only once. The time and address are recorded; after the grace period it is late."""
    now = now or clock.now()
    assignment = ShiftAssignment.objects.select_for_update().select_related("shift", "person").get(pk=assignment.pk)
    if assignment.person.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("You can only sign in for your own shift."))
    if assignment.signed_in_at:
        raise ValidationError(_("You have already signed in for this shift."))
    shift = assignment.shift
    if now < shift.starts_at - SIGN_IN_EARLY_WINDOW:
        raise ValidationError(_("This shift has not started yet."))
    if now >= shift.ends_at:
        raise ValidationError(_("This shift is over: it is too late to sign in."))
    assignment.signed_in_at = now
    assignment.sign_in_ip = ip_address or (request.META.get("REMOTE_ADDR") if request is not None else None)
    assignment.save(update_fields=["signed_in_at", "sign_in_ip"])
    is_late = now > shift.sign_in_due_at
    archive_record(
        action="assignments.shiftassignment.signed_in",
        actor=actor,
        request=request,
        target=assignment,
        summary=_("Late sign-in") if is_late else _("Signed in on time"),
        after={"signed_in_at": now, "late": is_late},
        now=now,
    )
    return assignment


@transaction.atomic
def handover_note_create(*, shift: Shift, body: str, actor, request=None, now=None) -> HandoverNote:
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


# --- The gap sweep ------------------------------------------------------------------------------


@dataclass
class GapReport:
    late: int = 0
    missed: int = 0
    understaffed: int = 0

    @property
    def total(self) -> int:
        return self.late + self.missed + self.understaffed


def _supervisor_users():
    return get_user_model().objects.filter(groups__name=RoleGroup.SUPERVISORS, is_active=True).distinct()


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@transaction.atomic
def duty_flag_gaps(*, now: datetime | None = None) -> GapReport:
    """Flag late and missed sign-ins and understaffed shifts, each once, and send the supervisors
    one digest of what this run flagged.

    Each kind is one conditional UPDATE (``… WHERE flag IS NULL``), so a second or concurrent run
    flags nothing again; the digest lists only the rows stamped with this run's ``now``. The
    number of queries does not depend on the number of shifts."""
    now = now or clock.now()
    report = GapReport()
    # The shift condition is a subquery on the other table, not a join: with a join Django moves
    # every condition into a "pk IN (…)" subquery, which PostgreSQL does not re-check for a
    # concurrent update, and two sweeps would both flag the row.
    ended = Shift.objects.filter(ends_at__lte=now).values("pk")
    report.missed = ShiftAssignment.objects.filter(
        signed_in_at=None, missed_flagged_at=None, shift_id__in=ended
    ).update(missed_flagged_at=now)
    overdue = Shift.objects.filter(sign_in_due_at__lt=now).values("pk")
    report.late = ShiftAssignment.objects.filter(
        signed_in_at=None, late_flagged_at=None, missed_flagged_at=None, shift_id__in=overdue
    ).update(late_flagged_at=now)
    understaffed = (
        Shift.objects.filter(understaffed_at=None, ends_at__gt=now, starts_at__lt=now + UNDERSTAFFED_HORIZON)
        .annotate(filled=Count("assignments"))
        .filter(filled__lt=F("people_needed"))
        .values("pk")
    )
    report.understaffed = Shift.objects.filter(pk__in=understaffed, understaffed_at=None).update(understaffed_at=now)
    if report.total:
        archive_record(
            action="assignments.shift.gaps_flagged",
            target_type="assignments.shift",
            target_text=_("Duty gaps"),
            summary=_("%(late)s late, %(missed)s missed sign-ins, %(understaffed)s understaffed shifts")
            % {"late": report.late, "missed": report.missed, "understaffed": report.understaffed},
            after={"late": report.late, "missed": report.missed, "understaffed": report.understaffed, "at": now},
            now=now,
        )
        _notify_gaps(report=report, now=now)
    return report


def _notify_gaps(*, report: GapReport, now: datetime) -> None:
    lines = []
    flagged = (
        ShiftAssignment.objects.filter(Q(missed_flagged_at=now) | Q(late_flagged_at=now, missed_flagged_at=None))
        .select_related("person", "shift", "shift__shift_type")
        .order_by("shift__starts_at")[:DIGEST_LINES]
    )
    for assignment in flagged:
        text = (
            _("Missed sign-in: %(person)s, %(shift)s %(start)s")
            if assignment.missed_flagged_at == now
            else _("Not signed in yet: %(person)s, %(shift)s %(start)s")
        )
        lines.append(
            text
            % {
                "person": assignment.person.name,
                "shift": assignment.shift.shift_type.name,
                "start": _local(assignment.shift.starts_at),
            }
        )
    for shift in (
        Shift.objects.filter(understaffed_at=now)
        .select_related("shift_type")
        .annotate(filled=Count("assignments"))
        .order_by("starts_at")[:DIGEST_LINES]
    ):
        lines.append(
            _("Too few people: %(shift)s %(start)s (%(filled)s of %(needed)s)")
            % {
                "shift": shift.shift_type.name,
                "start": _local(shift.starts_at),
                "filled": shift.filled,
                "needed": shift.people_needed,
            }
        )
    more = report.total - len(lines)
    if more > 0:
        lines.append(_("… and %(count)s more.") % {"count": more})
    title = _("Duty gaps: %(late)s late, %(missed)s missed sign-ins, %(understaffed)s understaffed shifts") % {
        "late": report.late,
        "missed": report.missed,
        "understaffed": report.understaffed,
    }
    for user in _supervisor_users():
        notification_create(
            recipient=user,
            kind="assignments.duty_gaps",
            dedupe_key=f"assignments.duty_gaps:{now.isoformat()}",
            title=title,
            body="\n".join(lines),
            link=reverse("assignments:gaps"),
            now=now,
        )
