"""The dashboard keeps its sums over the stored daily rows until the next refresh
(``opinions.selectors.figures.stored_sum_kept``), with a real cache as the office runs with (the
suite's is a dummy): read once per refresh, counted again after one, and never standing in for a
day that changed since (those are counted live, as without the cache).

The rows are built with factories, which write no archive record: a demand added so is in no
stored row until a rebuild, which is how the test tells kept sums from counted ones. The test
clock stands at 09:00 on Monday 2 March 2026 (Shanghai)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opinions.models import Demand
from opinions.services.daily_figures import daily_figures_rebuild
from opinions.services.demands import demand_reply
from reports.dashboard.selectors import Period, dashboard
from tests.opinions.factories import ChannelFactory, DemandFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST_OF_MARCH = Period(key="custom", first=date(2026, 3, 1), last=date(2026, 3, 1))
pytestmark = pytest.mark.usefixtures("travel")


def _received_on_the_first(**fields) -> Demand:
    return DemandFactory(received_at=datetime(2026, 3, 1, 10, tzinfo=SHANGHAI), **fields)


# Committed, not in a test's transaction: the sums are kept only when read in the dashboard's own
# snapshot (figures_snapshot), which it opens only outside a transaction.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("committed_db")
def test_sums_kept_until_the_next_refresh(cast, kept_cache, travel):
    channel = ChannelFactory()
    _received_on_the_first(channel=channel)
    daily_figures_rebuild()
    with CaptureQueriesContext(connection) as first:
        assert dashboard(period=FIRST_OF_MARCH).demands.total.received == 1
    _received_on_the_first(channel=channel)  # no record, in no stored row yet
    with CaptureQueriesContext(connection) as second:
        assert dashboard(period=FIRST_OF_MARCH).demands.total.received == 1
    # Kept, a query each: the stored demand sums by key, by day, the overdue by key, the posts (4);
    # and the publicity figures while the archive stands (published, the quotas — none here, so no
    # progress query — and per day: 3; the archive's head is read both times): 7 fewer.
    assert len(first) - len(second) == 7

    travel.shift(timedelta(minutes=5))
    daily_figures_rebuild()  # a new refresh: the two demands of 1 March in its rows
    assert dashboard(period=FIRST_OF_MARCH).demands.total.received == 2


def test_a_day_changed_since_the_refresh_is_counted_live_not_kept(cast, kept_cache):
    staff = cast["staff"]
    waiting = _received_on_the_first(state=Demand.State.ASSIGNED, handler=staff)
    daily_figures_rebuild()
    assert dashboard(period=FIRST_OF_MARCH).demands.total.replied == 0
    demand_reply(demand=waiting, actor=staff.user, reply_text="已联系供电所修复路灯。")
    assert dashboard(period=FIRST_OF_MARCH).demands.total.replied == 1


def test_stored_sums_not_kept_inside_another_transaction(cast, kept_cache):
    """In a transaction already (a job; this test's own), the state and the rows are not read in
    one snapshot of the dashboard's, so the stored sums are counted each time; the publicity
    figures, kept by the archive's head, still are."""
    _received_on_the_first(channel=ChannelFactory())
    daily_figures_rebuild()
    with CaptureQueriesContext(connection) as first:
        assert dashboard(period=FIRST_OF_MARCH).demands.total.received == 1
    with CaptureQueriesContext(connection) as second:
        assert dashboard(period=FIRST_OF_MARCH).demands.total.received == 1
    # Only the publicity figures kept (published, the quotas — none —, per day: 3).
    assert len(first) - len(second) == 3
