"""Between a refresh and a page: the dashboard reads the rows the last refresh stored (as of its
moment) and adds only what changed since, and is exact all the same. A change made after the
refresh, a deadline passing after it, a demand received after it and changed again, and a refresh at
local midnight, each counted by hand and checked against ``demand_figures`` counted directly.

The test clock starts at 09:00 on Monday 2 March 2026 (Shanghai)."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from opinions.models import Demand, DemandDay, DemandOverdueDay
from opinions.selectors.figures import demand_figures, overdue_now_count
from opinions.services.daily_figures import daily_figures_rebuild, daily_figures_refresh
from opinions.services.demands import demand_reply
from reports.dashboard.selectors import Period, dashboard
from tests.opinions.factories import ChannelFactory, DemandFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.usefixtures("travel")
FEBRUARY_MARCH = Period(key="range", first=date(2026, 2, 1), last=date(2026, 3, 31))


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def _board(period: Period = FEBRUARY_MARCH) -> tuple:
    total = dashboard(period=period)
    figures = total.demands.total
    return (
        figures.received,
        figures.replied,
        figures.replied_late,
        figures.overdue,
        figures.redo_overdue,
        total.overdue_now,
    )


def _direct(user, period: Period = FEBRUARY_MARCH) -> tuple:
    """The same counts from the demands themselves (no stored row read)."""
    figures, _rows = demand_figures(user=user, start=period.start, end=period.end)
    return (
        figures.received,
        figures.replied,
        figures.replied_late,
        figures.overdue,
        figures.redo_overdue,
        overdue_now_count(),
    )


def test_a_reply_and_a_new_demand_after_the_refresh_count_at_once_and_once(travel, cast):
    staff, supervisor = cast["staff"], cast["supervisor"].user
    channel = ChannelFactory()
    late = DemandFactory(
        channel=channel,
        received_at=at(2026, 2, 27, 10),
        due_at=at(2026, 2, 28, 10),
        state=Demand.State.ASSIGNED,
        handler=staff,
    )
    DemandFactory(
        channel=channel,
        received_at=at(2026, 3, 2, 8),
        due_at=at(2026, 3, 3, 8),
        state=Demand.State.ASSIGNED,
        handler=staff,
    )
    daily_figures_rebuild()  # 09:00: today's demand is stored, and the 27 February one as overdue
    assert sum(DemandDay.objects.filter(day=date(2026, 3, 2)).values_list("received", flat=True)) == 1
    assert list(DemandOverdueDay.objects.values_list("day", "overdue")) == [(date(2026, 2, 27), 1)]
    # received 2, replied 0, late 0, overdue 1 (27 Feb), redo 0, overdue now 1
    assert _board() == _direct(supervisor) == (2, 0, 0, 1, 0, 1)

    # 09:30: the overdue one is replied (late); no refresh runs.
    travel.move_to(at(2026, 3, 2, 9, 30))
    demand_reply(demand=late, actor=staff.user, reply_text="已联系供电所修复路灯。")
    assert _board() == _direct(supervisor) == (2, 1, 1, 0, 0, 0)

    # 09:40: one more received, and replied at 09:50: counted once, live, though the archive names it.
    travel.move_to(at(2026, 3, 2, 9, 40))
    fresh = DemandFactory(
        channel=channel, received_at=at(2026, 3, 2, 9, 40), state=Demand.State.ASSIGNED, handler=staff
    )
    travel.move_to(at(2026, 3, 2, 9, 50))
    demand_reply(demand=fresh, actor=staff.user, reply_text="已答复。")
    assert _board() == _direct(supervisor) == (3, 2, 1, 0, 0, 0)

    # The next refresh stores all of it; the page reads the same.
    travel.move_to(at(2026, 3, 2, 10))
    daily_figures_refresh()
    assert not DemandOverdueDay.objects.exists()
    assert _board() == _direct(supervisor) == (3, 2, 1, 0, 0, 0)


def test_deadlines_passing_after_the_refresh_are_overdue_on_the_page(travel, cast):
    staff, supervisor = cast["staff"], cast["supervisor"].user
    channel = ChannelFactory()
    for received, due in ((at(2026, 3, 1, 10), at(2026, 3, 2, 9, 30)), (at(2026, 3, 2, 8), at(2026, 3, 2, 9, 45))):
        DemandFactory(channel=channel, received_at=received, due_at=due, state=Demand.State.ASSIGNED, handler=staff)
    # A case reopened after an unsatisfied call-back: its redo round due at 09:50.
    DemandFactory(
        channel=channel,
        received_at=at(2026, 2, 20, 10),
        due_at=at(2026, 3, 2, 9, 50),
        state=Demand.State.ASSIGNED,
        handler=staff,
        redo_count=1,
    )
    daily_figures_rebuild()  # 09:00: nothing overdue yet
    assert not DemandOverdueDay.objects.exists()
    assert _board() == _direct(supervisor) == (3, 0, 0, 0, 0, 0)
    travel.move_to(at(2026, 3, 2, 9, 40))  # the 1 March one's deadline (09:30) has passed
    assert _board() == _direct(supervisor) == (3, 0, 0, 1, 0, 1)
    travel.move_to(at(2026, 3, 2, 9, 45))  # today's is due this second: not yet overdue
    assert _board() == _direct(supervisor) == (3, 0, 0, 1, 0, 1)
    travel.move_to(at(2026, 3, 2, 10))  # both first rounds overdue, and the redo round
    assert _board() == _direct(supervisor) == (3, 0, 0, 2, 1, 3)


def test_a_refresh_at_local_midnight_splits_the_days_where_the_clock_does(travel, cast):
    staff, supervisor = cast["staff"], cast["supervisor"].user
    channel = ChannelFactory()
    daily_figures_rebuild()  # 2 March 09:00
    # Received a second before midnight, due at midnight exactly; and one received at midnight.
    DemandFactory(
        channel=channel,
        received_at=at(2026, 3, 2, 23, 59, 59),
        due_at=at(2026, 3, 3),
        state=Demand.State.ASSIGNED,
        handler=staff,
    )
    DemandFactory(channel=channel, received_at=at(2026, 3, 3), state=Demand.State.ASSIGNED, handler=staff)
    travel.move_to(at(2026, 3, 3))
    daily_figures_refresh()  # at midnight: 2 March stored whole, 3 March holds nothing yet
    assert sum(DemandDay.objects.filter(day=date(2026, 3, 2)).values_list("received", flat=True)) == 1
    assert not DemandDay.objects.filter(day=date(2026, 3, 3)).exists()
    assert not DemandOverdueDay.objects.exists()  # due at midnight: on time at midnight itself

    travel.move_to(at(2026, 3, 3, 0, 5))
    DemandFactory(channel=channel, received_at=at(2026, 3, 3, 0, 5), state=Demand.State.ASSIGNED, handler=staff)
    travel.move_to(at(2026, 3, 3, 0, 10))
    second = Period(key="range", first=date(2026, 3, 2), last=date(2026, 3, 2))
    third = Period(key="range", first=date(2026, 3, 3), last=date(2026, 3, 3))
    # 2 March: the one received at 23:59:59, overdue since midnight. 3 March: two received, none due.
    assert _board(second) == _direct(supervisor, second) == (1, 0, 0, 1, 0, 1)
    assert _board(third) == _direct(supervisor, third) == (2, 0, 0, 0, 0, 1)
    travel.shift(timedelta(minutes=5))
    daily_figures_refresh()
    assert _board(second) == _direct(supervisor, second) == (1, 0, 0, 1, 0, 1)
    assert _board(third) == _direct(supervisor, third) == (2, 0, 0, 0, 0, 1)


def test_the_changes_since_the_refresh_bound_the_deadline_on_both_sides_inside_the_or(db):
    """The deadlines passed since the refresh are one range [since, now) inside the OR, not a lower
    bound there and overdue()'s upper bound outside it: PostgreSQL multiplies bounds split that way
    as independent, and at 1,000,000 demands (300,000 open) estimated 37,216 rows for 1,362 and
    hashed every demand round (249 ms; with the range, an index per demand, 4.5 ms)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from opinions.selectors.figures import demand_overdue_day_rows

    now, since = at(2026, 3, 2, 9), at(2026, 3, 2, 8)
    with CaptureQueriesContext(connection) as queries:
        demand_overdue_day_rows(now=now, since=since, end=now)
    [sql] = [query["sql"] for query in queries.captured_queries]
    where = sql[sql.index(" WHERE ") :]
    # The deadline branch: due_at from since, and below now, together in one parenthesised branch.
    branch = re.search(r'OR \("opinions_demand"\."due_at" >= [^()]+ AND "opinions_demand"\."due_at" < [^()]+\)', where)
    assert branch is not None, where
