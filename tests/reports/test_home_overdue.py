"""The office's overdue count on the office head's, leader's and director's home pages: read from the
counts the last refresh stored plus what changed since (``overdue_now_visible``), as the dashboard's
headline is, so the page does not count the open backlog; and exact all the same, counted by hand
and against ``overdue_now_count`` counted directly.

The test clock starts at 09:00 on Monday 2 March 2026 (Shanghai)."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opinions.models import Demand, DemandOverdueDay
from opinions.selectors.figures import overdue_now_count
from opinions.services.daily_figures import daily_figures_rebuild
from opinions.services.demands import demand_reply
from tests.opinions.factories import ChannelFactory, DemandFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.usefixtures("travel")
HOME_PAGES = ("supervisor", "leader", "director")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def _shown(client) -> int:
    """The number in the home page's overdue alert (0 when the page shows none)."""
    page = client.get("/").content.decode()
    alert = re.search(r'data-testid="overdue-count">(.*?)</div>', page, re.S)
    if alert is None:
        return 0
    [number] = re.findall(r"\d+", re.sub(r"<[^>]+>", "", alert.group(1)))
    return int(number)


def _shown_to_each(client_as) -> list[int]:
    """The number on each of the three home pages, each signed in afresh (the clock moves past the
    session's idle timeout)."""
    return [_shown(client_as(role)) for role in HOME_PAGES]


def _assigned(staff, channel, received: datetime, due: datetime, **extra) -> Demand:
    return DemandFactory(
        channel=channel, received_at=received, due_at=due, state=Demand.State.ASSIGNED, handler=staff, **extra
    )


def test_the_home_pages_count_stored_overdue_plus_the_changes_since_the_refresh(travel, cast, client_as):
    staff = cast["staff"]
    channel = ChannelFactory()
    late = _assigned(staff, channel, at(2026, 2, 27, 10), at(2026, 2, 28, 10))
    _assigned(staff, channel, at(2026, 2, 26, 10), at(2026, 2, 27, 10))
    _assigned(staff, channel, at(2026, 3, 1, 10), at(2026, 3, 2, 9, 30))  # due at 09:30 today
    _assigned(staff, channel, at(2026, 2, 20, 10), at(2026, 3, 2, 9, 50), redo_count=1)  # redo round due 09:50
    daily_figures_rebuild()  # 09:00: two overdue, stored
    assert sum(DemandOverdueDay.objects.values_list("overdue", flat=True)) == 2
    assert _shown_to_each(client_as) == [2, 2, 2]

    # 09:30 this second: the third is due, not yet overdue.
    travel.move_to(at(2026, 3, 2, 9, 30))
    assert _shown_to_each(client_as) == [2, 2, 2]
    # 09:40: its deadline has passed (3); the 27 February one is replied, late (2). No refresh ran.
    travel.move_to(at(2026, 3, 2, 9, 40))
    demand_reply(demand=late, actor=staff.user, reply_text="已联系供电所修复路灯。")
    assert _shown_to_each(client_as) == [2, 2, 2]
    # 09:55: the redo round's deadline (09:50) has passed too.
    travel.move_to(at(2026, 3, 2, 9, 55))
    assert _shown_to_each(client_as) == [3, 3, 3]
    assert overdue_now_count() == 3


def _page_sql(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_the_count_reads_the_stored_rows_and_sends_as_many_queries_at_two_sizes(travel, cast, client_as):
    staff = cast["staff"]
    channel = ChannelFactory()
    _assigned(staff, channel, at(2026, 2, 26, 10), at(2026, 2, 27, 10))
    daily_figures_rebuild()
    client = client_as("leader")
    client.get("/")  # the first request's one-off reads (session, site settings)
    few = _page_sql(client)
    for day in range(10, 20):
        _assigned(staff, channel, at(2026, 2, day, 10), at(2026, 2, day + 1, 10))
    daily_figures_rebuild()
    many = _page_sql(client)
    assert len(few) == len(many)
    assert any("opinions_demandoverdueday" in sql for sql in many)
    assert _shown(client) == 11
