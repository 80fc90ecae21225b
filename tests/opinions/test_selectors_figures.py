"""The figures for a crafted data set whose answers are known by hand."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opinions.models import Demand, DemandKind
from opinions.selectors.figures import demand_figures
from tests.opinions.factories import ChannelFactory, DemandFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
MARCH = (datetime(2026, 3, 1, tzinfo=SHANGHAI), datetime(2026, 4, 1, tzinfo=SHANGHAI))
pytestmark = pytest.mark.usefixtures("travel")  # now: 2026-03-02 09:00


@pytest.fixture
def crafted(db):
    """In March: 40 complaints on the hotline, all replied, 38 on time, 30 completed; of those 20
    called back: 15 satisfied, 3 fairly, 1 unsatisfied, 1 unreachable. Plus 6 consultations on the
    forum: 2 replied on time, 4 not replied of which 3 past their deadline. Plus a merged duplicate
    and a demand received in February, neither counted."""
    hotline, forum = ChannelFactory(name="12345热线"), ChannelFactory(name="论坛")
    start = datetime(2026, 3, 1, 8, 0, tzinfo=SHANGHAI)
    satisfaction = ["satisfied"] * 15 + ["fairly"] * 3 + ["unsatisfied", "unreachable"] + [""] * 10
    for i in range(40):
        received = start + timedelta(minutes=i)
        late = i < 2
        DemandFactory(
            channel=hotline,
            kind=DemandKind.COMPLAINT,
            received_at=received,
            state=Demand.State.COMPLETED if i < 30 else Demand.State.REPLIED,
            first_replied_at=received + timedelta(hours=30 if late else 3),
            replied_at=received + timedelta(hours=30 if late else 3),
            completed_at=received + timedelta(hours=40) if i < 30 else None,
            satisfaction=satisfaction[i] if i < 30 else "",
        )
    for i in range(6):
        replied = i < 2
        DemandFactory(
            channel=forum,
            kind=DemandKind.CONSULTATION,
            received_at=start - timedelta(hours=10) + timedelta(days=0, hours=i * 8) + timedelta(hours=10),
            due_at=datetime(2026, 3, 1, 12, 0, tzinfo=SHANGHAI) if i < 5 else datetime(2026, 3, 3, tzinfo=SHANGHAI),
            state=Demand.State.REPLIED if replied else Demand.State.ASSIGNED,
            first_replied_at=start if replied else None,
            replied_at=start if replied else None,
        )
    DemandFactory(channel=forum, received_at=start, state=Demand.State.MERGED)
    DemandFactory(channel=forum, received_at=start - timedelta(days=3))


def test_totals(crafted, cast):
    total, _rows = demand_figures(user=cast["supervisor"].user, start=MARCH[0], end=MARCH[1])
    assert (total.received, total.replied, total.replied_on_time, total.completed) == (46, 42, 40, 30)
    assert total.overdue == 3
    # 20 called back (the unreachable one included), 19 of them reached, 18 satisfied or fairly.
    assert (total.called_back, total.reached, total.satisfied) == (20, 19, 18)
    assert total.reply_rate == Decimal("91.3")  # 42 / 46 = 91.30…%
    assert total.on_time_rate == Decimal("87.0")  # 40 / 46 = 86.96…%
    assert total.completion_rate == Decimal("65.2")  # 30 / 46 = 65.22…%
    assert total.satisfaction == Decimal("94.7")  # 18 / 19 = 94.74…%
    assert total.call_back_rate == Decimal("66.7")  # 20 of the 30 completed called back = 66.67…%


def test_grouped_by_kind_and_channel(crafted, cast):
    _total, rows = demand_figures(user=cast["supervisor"].user, start=MARCH[0], end=MARCH[1], group_by="kind")
    by_kind = {row.key: row for row in rows}
    complaint = by_kind["complaint"]
    assert (complaint.received, complaint.replied, complaint.replied_on_time) == (40, 40, 38)
    assert complaint.on_time_rate == Decimal("95.0")
    assert (by_kind["consultation"].received, by_kind["consultation"].overdue) == (6, 3)
    _total, rows = demand_figures(user=cast["supervisor"].user, start=MARCH[0], end=MARCH[1], group_by="channel")
    assert {row.key: row.received for row in rows} == {"12345热线": 40, "论坛": 6}


def test_staff_sees_only_their_figures(crafted, cast):
    total, _rows = demand_figures(user=cast["staff"].user, start=MARCH[0], end=MARCH[1])
    assert total.received == 0
    assert total.reply_rate is None


def test_four_queries_whatever_the_size(crafted, cast):
    """The demands, their rounds, presses and hand-backs: one grouped query each."""
    with CaptureQueriesContext(connection) as queries:
        demand_figures(user=cast["supervisor"].user, start=MARCH[0], end=MARCH[1], group_by="department")
    assert len([q for q in queries.captured_queries if "opinions_demand" in q["sql"]]) == 4


def test_totals_equal_with_and_without_groups(crafted, cast):
    plain, _rows = demand_figures(user=cast["supervisor"].user, start=MARCH[0], end=MARCH[1])
    for group in ("kind", "channel", "department"):
        grouped, _rows = demand_figures(user=cast["supervisor"].user, start=MARCH[0], end=MARCH[1], group_by=group)
        assert grouped == plain
