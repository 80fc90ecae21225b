"""The pure roster planner on small hand-made inputs: the expected plans are worked out by hand."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from assignments.planning import Counts, PersonInput, RosterInput, SlotInput, plan_roster

SHANGHAI = ZoneInfo("Asia/Shanghai")
REST = timedelta(hours=8)
MON, TUE = date(2026, 3, 2), date(2026, 3, 3)
SAT, SUN = date(2026, 3, 7), date(2026, 3, 8)


def day_shift(on: date, needed: int = 1, kept: tuple[int, ...] = ()) -> SlotInput:
    return SlotInput(
        on=on,
        starts_at=datetime(on.year, on.month, on.day, 8, 30, tzinfo=SHANGHAI),
        ends_at=datetime(on.year, on.month, on.day, 17, 30, tzinfo=SHANGHAI),
        is_night=False,
        people_needed=needed,
        days=frozenset({on}),
        kept=kept,
    )


def night_shift(on: date) -> SlotInput:
    after = on + timedelta(days=1)
    return SlotInput(
        on=on,
        starts_at=datetime(on.year, on.month, on.day, 17, 30, tzinfo=SHANGHAI),
        ends_at=datetime(after.year, after.month, after.day, 8, 30, tzinfo=SHANGHAI),
        is_night=True,
        people_needed=1,
        days=frozenset({on, after}),
    )


def plan(slots, people):
    return plan_roster(RosterInput(slots=tuple(slots), people=tuple(people), minimum_rest=REST))


def test_two_people_take_turns_in_the_order_given():
    result = plan([day_shift(MON), day_shift(TUE)], [PersonInput(id=1), PersonInput(id=2)])
    assert result.added == ((1,), (2,))
    assert result.open_places == (0, 0)
    assert result.counts == {1: Counts(total=1), 2: Counts(total=1)}


def test_nobody_is_planned_on_a_day_of_leave():
    result = plan([day_shift(MON), day_shift(TUE)], [PersonInput(id=1, leave_days=frozenset({MON})), PersonInput(id=2)])
    assert result.added == ((2,), (1,))


def test_a_night_shift_keeps_its_person_off_the_next_morning_and_the_same_day():
    # The night is planned first (person 1); person 1 then has no rest for either day shift.
    result = plan([day_shift(MON), night_shift(MON), day_shift(TUE)], [PersonInput(id=1), PersonInput(id=2)])
    assert result.added == ((2,), (1,), (2,))
    assert result.counts == {1: Counts(total=1, nights=1), 2: Counts(total=2)}


def test_weekend_nights_go_to_whoever_had_fewest_weekends():
    result = plan([night_shift(SAT), night_shift(SUN)], [PersonInput(id=1), PersonInput(id=2)])
    assert result.added == ((1,), (2,))
    assert result.counts == {1: Counts(total=1, nights=1, weekends=1), 2: Counts(total=1, nights=1, weekends=1)}


def test_places_already_filled_stay_and_count():
    monday = day_shift(MON, needed=2, kept=(1,))
    person_1 = PersonInput(id=1, busy=((monday.starts_at, monday.ends_at),), counts=Counts(total=1))
    result = plan([monday, day_shift(TUE, needed=2)], [person_1, PersonInput(id=2)])
    assert result.added == ((2,), (1, 2))
    assert result.counts == {1: Counts(total=2), 2: Counts(total=2)}


def test_a_place_nobody_can_take_stays_open():
    result = plan([day_shift(MON, needed=2)], [PersonInput(id=1)])
    assert result.added == ((1,),)
    assert result.open_places == (1,)


def test_rest_is_kept_before_a_shift_already_worked_too():
    # Person 2 works 06:30-07:30 on Tuesday, so cannot take Tuesday's 08:30 shift: Monday goes to
    # person 1 (first in order), Tuesday to person 1 (the only one free), Wednesday to person 2.
    wednesday = day_shift(date(2026, 3, 4))
    tuesday = day_shift(TUE)
    busy_tuesday = ((tuesday.starts_at - timedelta(hours=2), tuesday.starts_at - timedelta(hours=1)),)
    result = plan([day_shift(MON), tuesday, wednesday], [PersonInput(id=1), PersonInput(id=2, busy=busy_tuesday)])
    assert result.added == ((1,), (1,), (2,))
    assert result.counts == {1: Counts(total=2), 2: Counts(total=1)}
