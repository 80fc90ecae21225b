"""The roster planner: a pure function of plain data, like ``opinions.screening``.

No ORM and no clock: the service loads the days, shift places, people, their leave and the shifts
they already work, calls ``plan_roster`` and writes what it returns."""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

# Greedy phases: weekend nights first (else a seven-person rotation puts the same people on every
# Saturday night), then weekday nights, weekend days, weekday days.
WEEKEND_NIGHT, WEEKDAY_NIGHT, WEEKEND_DAY, WEEKDAY_DAY = 0, 1, 2, 3


@dataclass(frozen=True)
class Counts:
    """How many shifts a person works, of which nights and of which on a weekend."""

    total: int = 0
    nights: int = 0
    weekends: int = 0


@dataclass(frozen=True)
class SlotInput:
    """One shift to staff: its day, times, the local days it touches, who is already on it."""

    on: date
    starts_at: datetime
    ends_at: datetime
    is_night: bool
    people_needed: int
    days: frozenset[date]
    kept: tuple[int, ...] = ()

    @property
    def is_weekend(self) -> bool:
        return self.on.weekday() >= 5

    @property
    def phase(self) -> int:
        if self.is_night:
            return WEEKEND_NIGHT if self.is_weekend else WEEKDAY_NIGHT
        return WEEKEND_DAY if self.is_weekend else WEEKDAY_DAY


@dataclass(frozen=True)
class PersonInput:
    """Someone who may be planned: days of leave, the shifts they already work (start, end) and
    what those already count for in the planned days."""

    id: int
    leave_days: frozenset[date] = frozenset()
    busy: tuple[tuple[datetime, datetime], ...] = ()
    counts: Counts = Counts()


@dataclass(frozen=True)
class RosterInput:
    slots: tuple[SlotInput, ...]
    people: tuple[PersonInput, ...]
    minimum_rest: timedelta


@dataclass(frozen=True)
class PlanOutput:
    """``added[i]``: the people proposed for ``slots[i]``; ``open_places[i]``: places left empty;
    ``counts``: each person's counts including what they already worked."""

    added: tuple[tuple[int, ...], ...]
    open_places: tuple[int, ...]
    counts: dict[int, Counts]


def plan_roster(data: RosterInput) -> PlanOutput:
    """Who works which place. Saves nothing, reads nothing but ``data``.

    The rotation is fair: weekend nights are shared out first, then the other nights, weekend days
    and the rest, each time to whoever has had fewest of that kind (then fewest shifts in all, then
    the longest rest, then the order of ``people``), so with everyone available each person's total,
    night and weekend counts differ by at most one. A greedy pass is followed by moves (and swaps)
    from the most to the least loaded where rest rules left a spread of two. Nobody is planned on a
    day of leave or within ``minimum_rest`` of another shift."""
    return _Planner(data).run()


@dataclass
class _Tally:
    total: int = 0
    nights: int = 0
    weekends: int = 0

    def count(self, slot: SlotInput, by: int = 1) -> None:
        self.total += by
        self.nights += by * int(slot.is_night)
        self.weekends += by * int(slot.is_weekend)


class _Busy:
    """Per person, the sorted intervals they work, to keep shifts apart by the minimum rest."""

    def __init__(self, rest: timedelta):
        self.rest = rest
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
            if neighbour[0] < ends_at + self.rest and starts_at < neighbour[1] + self.rest:
                return False
        return True

    def distance(self, person_id: int, starts_at: datetime) -> float:
        """Hours to the person's nearest shift (infinite when none): spreads each one's shifts out."""
        starts = self.starts[person_id]
        if not starts:
            return float("inf")
        index = bisect.bisect_left(starts, starts_at)
        nearest = [abs((starts[i] - starts_at).total_seconds()) for i in (index - 1, index) if 0 <= i < len(starts)]
        return min(nearest) / 3600


@dataclass
class _Place:
    slot: SlotInput
    added: list[int] = field(default_factory=list)
    open_places: int = 0


class _Planner:
    """The working state of one ``plan_roster`` call (never shared between calls)."""

    def __init__(self, data: RosterInput):
        self.people = list(dict.fromkeys(person.id for person in data.people))
        self.order = {pk: index for index, pk in enumerate(self.people)}
        self.leave = {person.id: person.leave_days for person in data.people}
        self.tallies = {person.id: _Tally(**vars(person.counts)) for person in data.people}
        self.busy = _Busy(data.minimum_rest)
        for person in data.people:
            for starts_at, ends_at in person.busy:
                self.busy.add(person.id, starts_at, ends_at)
        self.places = [
            _Place(slot=slot, open_places=max(0, slot.people_needed - len(slot.kept))) for slot in data.slots
        ]

    def run(self) -> PlanOutput:
        self._greedy()
        self._rebalance(lambda t: t.weekends, lambda p: p.slot.phase == WEEKEND_DAY, swap=True)
        self._rebalance(lambda t: t.total, lambda p: p.slot.phase == WEEKDAY_DAY)
        return PlanOutput(
            added=tuple(tuple(place.added) for place in self.places),
            open_places=tuple(place.open_places for place in self.places),
            counts={pk: Counts(**vars(self.tallies[pk])) for pk in self.people},
        )

    def _available(self, pk: int, place: _Place) -> bool:
        slot = place.slot
        return (
            pk not in slot.kept
            and pk not in place.added
            and not (self.leave[pk] & slot.days)
            and self.busy.is_free(pk, slot.starts_at, slot.ends_at)
        )

    def _key(self, pk: int, slot: SlotInput) -> tuple:
        tally = self.tallies[pk]
        first = {
            WEEKEND_NIGHT: (tally.weekends, tally.nights),
            WEEKDAY_NIGHT: (tally.nights, 0),
            WEEKEND_DAY: (tally.weekends, 0),
            WEEKDAY_DAY: (tally.total, 0),
        }[slot.phase]
        return (*first, tally.total, -self.busy.distance(pk, slot.starts_at), self.order[pk])

    def _give(self, pk: int, place: _Place, by: int = 1) -> None:
        if by > 0:
            self.busy.add(pk, place.slot.starts_at, place.slot.ends_at)
        self.tallies[pk].count(place.slot, by=by)

    def _greedy(self) -> None:
        for place in sorted(self.places, key=lambda p: (p.slot.phase, p.slot.starts_at)):
            while place.open_places:
                candidates = [pk for pk in self.people if self._available(pk, place)]
                if not candidates:
                    break
                chosen = min(candidates, key=lambda pk, slot=place.slot: self._key(pk, slot))
                self._give(chosen, place)
                place.added.append(chosen)
                place.open_places -= 1

    def _rebalance(self, metric, movable, swap: bool = False) -> None:
        """Narrow a spread of two left where rest rules got in the way of the greedy pass."""
        for _attempt in range(len(self.places)):
            values = {pk: metric(self.tallies[pk]) for pk in self.people}
            high, low = max(values.values()), min(values.values())
            if high - low <= 1:
                return
            if not self._move_one(values, high, movable) and not (swap and self._swap_one(values, high, movable)):
                return

    def _move_one(self, values: dict[int, int], high: int, movable) -> bool:
        # Anyone at least two below the top may take a shift: each move narrows the spread.
        receivers = sorted(
            (pk for pk in self.people if values[pk] <= high - 2), key=lambda pk: (values[pk], self.order[pk])
        )
        for place in self.places:
            if not movable(place):
                continue
            for giver in [pk for pk in place.added if values[pk] == high]:
                self.busy.remove(giver, place.slot.starts_at)
                for receiver in receivers:
                    if self._available(receiver, place):
                        place.added[place.added.index(giver)] = receiver
                        self.busy.add(receiver, place.slot.starts_at, place.slot.ends_at)
                        self.tallies[giver].count(place.slot, by=-1)
                        self.tallies[receiver].count(place.slot)
                        return True
                self.busy.add(giver, place.slot.starts_at, place.slot.ends_at)
        return False

    def _swap_one(self, values: dict[int, int], high: int, movable) -> bool:
        """Exchange a movable shift of someone at the top for a weekday day shift of someone at
        least two below: the totals stay, the measured count narrows."""
        receivers = [pk for pk in self.people if values[pk] <= high - 2]
        weekdays = [place for place in self.places if place.slot.phase == WEEKDAY_DAY]
        for mine in self.places:
            if not movable(mine):
                continue
            for giver in [pk for pk in mine.added if values[pk] == high]:
                for receiver in receivers:
                    for theirs in weekdays:
                        if receiver not in theirs.added or giver in theirs.slot.kept or giver in theirs.added:
                            continue
                        self.busy.remove(giver, mine.slot.starts_at)
                        self.busy.remove(receiver, theirs.slot.starts_at)
                        if self._available(receiver, mine) and self._available(giver, theirs):
                            mine.added[mine.added.index(giver)] = receiver
                            theirs.added[theirs.added.index(receiver)] = giver
                            self.busy.add(receiver, mine.slot.starts_at, mine.slot.ends_at)
                            self.busy.add(giver, theirs.slot.starts_at, theirs.slot.ends_at)
                            for pk, sign in ((giver, -1), (receiver, 1)):
                                self.tallies[pk].count(mine.slot, by=sign)
                                self.tallies[pk].count(theirs.slot, by=-sign)
                            return True
                        self.busy.add(giver, mine.slot.starts_at, mine.slot.ends_at)
                        self.busy.add(receiver, theirs.slot.starts_at, theirs.slot.ends_at)
        return False
