"""The demand list pages open cases first (by deadline) and then the rest (newest first) as two
index reads (``open_first_parts`` + ``quick_page_of_parts``): the same rows in the same order as
one read sorted by ``open_first_order``, page by page, without a count."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bureau import clock
from bureau.pagination import quick_page, quick_page_of_parts
from opinions.models import Demand
from opinions.selectors.demands import open_first_order, open_first_parts
from tests.opinions.factories import ChannelFactory, DemandFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def nineteen(travel):
    """7 open demands (due at different hours, two with the same deadline) and 12 replied ones."""
    channel = ChannelFactory()
    now = clock.now()
    for hours in (5, 1, 3, 3, 9, 2, 7):
        DemandFactory(
            channel=channel, received_at=now - timedelta(hours=30 - hours), due_at=now + timedelta(hours=hours)
        )
    for days in range(12):
        DemandFactory(channel=channel, received_at=now - timedelta(days=days + 1), state=Demand.State.REPLIED)


def test_pages_of_the_two_parts_are_the_pages_of_the_one_sort(nineteen):
    everything = Demand.objects.order_by(*open_first_order())
    parts = open_first_parts(Demand.objects.all())
    seen = []
    for number in (1, 2, 3, 4, 5):
        page = quick_page_of_parts(parts, number, per_page=5)
        reference = quick_page(everything, number, per_page=5)
        assert [d.pk for d in page] == [d.pk for d in reference]
        assert page.has_next == reference.has_next
        seen.append((len(page), page.has_next))
    # 19 rows, 5 a page: three full pages, four rows on the fourth, nothing on the fifth.
    assert seen == [(5, True), (5, True), (5, True), (4, False), (0, False)]
    first = quick_page_of_parts(parts, 1, per_page=5)
    assert [d.due_at - clock.now() for d in first] == [timedelta(hours=h) for h in (1, 2, 3, 3, 5)]


def test_every_page_sends_the_same_queries_whatever_part_it_falls_in(nineteen):
    parts = open_first_parts(Demand.objects.all())
    counts = []
    for number in (1, 2, 3, 5):  # all open; open then closed; all closed; past the end
        with CaptureQueriesContext(connection) as queries:
            quick_page_of_parts(parts, number, per_page=5)
        counts.append(len(queries))
    # Page 1: each part read once. Later pages: the open part counted up to the page's start too.
    assert counts == [2, 3, 3, 3]


def test_a_list_of_open_cases_only_reads_its_empty_part_as_false(nineteen):
    """The overdue box confines the list to open cases: the second part is read as ``WHERE false``
    (PostgreSQL walked the whole received_at index for it), the same pages and the same queries."""
    from opinions.filters import DemandFilter

    overdue = DemandFilter({"overdue": "true"}, queryset=Demand.objects.all())
    assert overdue.open_only
    assert not DemandFilter({}, queryset=Demand.objects.all()).open_only
    assert not DemandFilter({"state": "replied"}, queryset=Demand.objects.all()).open_only
    assert DemandFilter({"state": "assigned"}, queryset=Demand.objects.all()).open_only
    open_rows = Demand.objects.filter(state__in=Demand.OPEN_STATES)
    plain, confined = open_first_parts(open_rows), open_first_parts(open_rows, open_only=True)
    for number in (1, 2, 3):
        with CaptureQueriesContext(connection) as queries:
            page = quick_page_of_parts(confined, number, per_page=5)
        assert [d.pk for d in page] == [d.pk for d in quick_page_of_parts(plain, number, per_page=5)]
        assert len(queries) == (2 if number == 1 else 3)
    assert [d.pk for d in confined[1]] == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the partial index is read by PostgreSQL's planner")
def test_the_closed_part_reads_the_closed_cases_index(nineteen):
    """The second part (closed cases, newest first) is read from the index that holds only them:
    the received_at index walked backwards stepped over every open case first (300,000 at
    1,000,000 demands: 59 ms for the page's one row of that part, 0.05 ms with this index)."""
    # A test table holds a handful of rows, where a sequential scan is cheapest whatever indexes
    # exist: told not to scan sequentially (this transaction only), the planner shows which index
    # serves the order, not whether one pays at this size.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    _open, rest = open_first_parts(Demand.objects.all())
    plan = rest[:1].explain()
    assert "demand_closed_recent_idx" in plan, plan
    assert "Sort" not in plan, plan  # the index gives the order (newest first, then the larger id)
