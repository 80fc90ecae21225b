"""The demand figures of the rounds crafted year (``tests.crafted_year``: the story, and the
expectations counted by hand from it, not from the code under test), from the live path
(``demand_figures``) and the daily aggregates path (``DemandDay`` after a rebuild, plus
``demand_overdue_rows`` for what depends on the moment). The same year is read on every surface in
``tests/reports/test_crafted_year_every_surface.py``."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from opinions.models import Demand, DemandDay, DemandKind, DemandPress
from opinions.selectors.figures import (
    DAILY_DEMAND_COUNTS,
    demand_figures,
    demand_overdue_rows,
    figures_sum,
    office_demand_figures,
)
from opinions.services import demands as s
from opinions.services.daily_figures import daily_figures_rebuild
from opinions.services.demand_sweep import demands_sweep_deadlines
from tests.crafted_year import EXPECTED, EXPECTED_A, EXPECTED_B, NOW, SHANGHAI, YEAR, at, build_crafted_year, counts

pytestmark = pytest.mark.usefixtures("travel")  # now: 2026-03-02 09:00


@pytest.fixture
def year(db, cast):
    return build_crafted_year(cast)


def test_the_calendar_puts_the_consultations_deadline_after_the_make_up_workday(year):
    # Tue 09-30 + 3 working days: 10-09, 10-10 and Saturday 10-11 (调休): due at 10-12 00:00.
    assert year["cases"]["C1"].rounds.get(number=0).due_at == at(10, 12, 0)


def test_live_figures_match_the_hand_counts(year):
    total, _rows = demand_figures(user=year["sup"], start=YEAR[0], end=YEAR[1], now=NOW)
    assert counts(total) == EXPECTED
    assert total.reply_rate == Decimal("92.9")  # 13 / 14 = 92.857…%
    assert total.on_time_rate == Decimal("57.1")  # 8 / 14 = 57.142…%
    assert total.completion_rate == Decimal("35.7")  # 5 / 14 = 35.714…%
    assert total.satisfaction == Decimal("60.0")  # 3 / 5
    assert total.first_satisfaction == Decimal("25.0")  # 1 / 4
    assert total.call_back_rate == Decimal("80.0")  # 4 completed and called back / 5 completed
    assert total.sign_for_on_time_rate == Decimal("92.9")  # 13 / 14
    assert total.hand_back_rate == Decimal("7.1")  # 1 / 14 = 7.142…%
    assert total.redo_rate == Decimal("21.4")  # 3 / 14 = 21.428…%
    office, _rows = office_demand_figures(start=YEAR[0], end=YEAR[1], now=NOW)
    assert counts(office) == EXPECTED


def test_live_figures_by_department_count_where_each_case_belonged(year):
    total, rows = demand_figures(user=year["sup"], start=YEAR[0], end=YEAR[1], group_by="department", now=NOW)
    by_name = {row.key: row for row in rows}
    assert counts(by_name["综合科"]) == EXPECTED_A
    assert counts(by_name["城管科"]) == EXPECTED_B
    assert counts(by_name[None]) == dict.fromkeys(EXPECTED, 0) | {"merged": 1}  # D10, never signed for
    assert counts(total) == EXPECTED


def test_daily_aggregates_give_the_same_literals(year):
    daily_figures_rebuild(now=NOW)
    stored = DemandDay.objects.filter(day__gte=date(2025, 1, 1), day__lte=date(2025, 12, 31))
    sums = stored.aggregate(**{name: Sum(name) for name in DAILY_DEMAND_COUNTS})
    moment = demand_overdue_rows(now=NOW, start=YEAR[0], end=YEAR[1])
    assert counts(figures_sum([sums, *moment])) == EXPECTED
    for department, expected in ((year["a"], EXPECTED_A), (year["b"], EXPECTED_B)):
        mine = stored.filter(department=department).aggregate(**{name: Sum(name) for name in DAILY_DEMAND_COUNTS})
        live = [row for row in moment if row["department_id"] == department.pk]
        assert counts(figures_sum([mine, *live])) == expected


def test_a_move_in_january_does_not_rewrite_last_year(year):
    _total, rows = demand_figures(user=year["sup"], start=YEAR[0], end=YEAR[1], group_by="department", now=NOW)
    assert {row.key: row.received for row in rows} == {"综合科": 11, "城管科": 3, None: 0}
    next_year = (YEAR[1], datetime(2027, 1, 1, tzinfo=SHANGHAI))
    _total, rows = demand_figures(user=year["sup"], start=next_year[0], end=next_year[1], group_by="department")
    assert {row.key: row.received for row in rows} == {"城管科": 1}


def test_each_round_keeps_its_own_deadline(year):
    d3, d6 = year["cases"]["D3"], year["cases"]["D6"]
    first = d3.rounds.get(number=0)
    assert (first.due_at, first.extension_until, first.extension_decision) == (at(4, 2, 9), at(4, 3, 18), "approved")
    assert first.deadline_in_force == at(4, 3, 18)
    assert [(r.number, r.due_at, r.replied_at) for r in d6.rounds.order_by("number")] == [
        (0, at(5, 7, 9), at(5, 6, 15)),
        (1, at(5, 9, 10), at(5, 9, 11)),
    ]
    assert list(d6.call_backs.order_by("number").values_list("number", "round", "result")) == [
        (0, 0, "unsatisfied"),
        (1, 1, "satisfied"),
    ]
    d8 = year["cases"]["D8"]
    hand_back = d8.hand_backs.get()
    assert (hand_back.department, hand_back.decision) == (year["a"], "accepted")
    assert d8.rounds.get(number=0).department == year["b"]


def test_the_sweep_flags_the_redo_round_at_its_own_deadline(year, travel):
    """D11's redo (due 2025-11-05 09:00) was never answered: the sweep flags it one second after,
    not at the deadline second, and names round 1 in the pressing record."""
    d11 = Demand.objects.get(pk=year["cases"]["D11"].pk)
    assert d11.due_at == at(11, 5, 9)
    # Everything else open at that moment is flagged first, so only D11 is left to decide.
    Demand.objects.exclude(pk=d11.pk).update(overdue_at=NOW, due_soon_at=NOW)
    assert demands_sweep_deadlines(now=at(11, 5, 9)).overdue == 0
    assert demands_sweep_deadlines(now=at(11, 5, 9, 0, 1)).overdue == 1
    assert list(DemandPress.objects.filter(demand=d11, step="overdue").values_list("round", flat=True)) == [1]
    assert demands_sweep_deadlines(now=at(11, 5, 9, 0, 2)).overdue == 0


def test_an_extension_may_be_asked_at_the_deadline_second_and_once_per_round(cast, channel_factory):
    staff, sup = cast["staff"], cast["supervisor"].user

    def claimed():
        demand = s.demand_create(
            actor=sup,
            kind=DemandKind.COMPLAINT,
            channel=channel_factory(),
            subject="路灯",
            content="不亮",
            received_at=at(7, 1, 9),
            now=at(7, 1, 9),
        )
        return s.demand_claim(demand=demand, actor=staff.user, now=at(7, 1, 9, 5))

    at_the_second = claimed()  # due 07-02 09:00:00: asking at that second is still before it passed
    s.demand_request_extension(
        demand=at_the_second, actor=staff.user, until=at(7, 3, 9), reason="核查", now=at(7, 2, 9)
    )
    assert at_the_second.rounds.get(number=0).extension_asked_at == at(7, 2, 9)
    twice = claimed()
    s.demand_request_extension(demand=twice, actor=staff.user, until=at(7, 3, 9), reason="核查", now=at(7, 2, 8))
    s.demand_decide_extension(demand=twice, actor=sup, approve=False, now=at(7, 2, 8, 30))
    with pytest.raises(ValidationError, match="already been asked"):
        s.demand_request_extension(
            demand=twice, actor=staff.user, until=at(7, 4, 9), reason="再延", now=at(7, 2, 8, 40)
        )
