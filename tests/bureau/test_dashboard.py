"""The supervisors' dashboard: a crafted year known by hand, equal to ``demand_figures``; permissions;
constant query count; every number links to a list showing the same count; local-time cut."""

import copy
import re
from datetime import date, datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from opinions.models import DailyFiguresState, Demand, DemandDay, DemandKind, Post, PostDay
from opinions.selectors.figures import demand_figures, post_figures
from opinions.services.daily_figures import daily_figures_rebuild
from reports.dashboard.selectors import dashboard, period_for, year_period
from tests.assignments.factories import CountyTaskFactory
from tests.factories import DepartmentFactory
from tests.opinions.factories import ChannelFactory, DemandFactory, PostFactory, ScreeningCategoryFactory
from tests.publicity.factories import PublicityPostFactory, QuotaFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.usefixtures("travel")  # now: 2026-03-02 09:00
URL = "/dashboard/"


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def _figures(total) -> tuple:
    return (
        total.received,
        total.replied,
        total.replied_on_time,
        total.completed,
        total.overdue,
        total.called_back,
        total.satisfied,
    )


@pytest.fixture(scope="module")
def _crafted(module_rows):
    """Built once for the module's tests (``module_rows``); the tests that do not ask for it read
    nothing it writes (permissions, charts of given series, the range form's messages)."""
    return module_rows.build(_build_crafted)


@pytest.fixture
def crafted(_crafted, db):
    return copy.deepcopy(_crafted)


def _build_crafted() -> dict:
    """2025: 10 complaints on the hotline (8 replied, 6 of them on time, 5 completed, 4 called back: 3
    satisfied), 4 consultations on the forum (none replied, all overdue), a merged duplicate (not
    counted). On 1 January 2026 at 00:30 one more (2026, not 2025). Today (2 March 2026): 2 more,
    1 replied. Posts: 6 found in 2025, 2 taken down as 谣言. Department 办公室 has 10 of the demands."""
    office = DepartmentFactory(name="办公室")
    hotline, forum = ChannelFactory(name="12345热线"), ChannelFactory(name="论坛")
    start = at(2025, 4, 1, 9)
    for i in range(10):
        received = start + timedelta(days=i * 20)
        replied = received + timedelta(hours=30 if i in (6, 7) else 2) if i < 8 else None
        DemandFactory(
            channel=hotline,
            department=office,
            kind=DemandKind.COMPLAINT,
            received_at=received,
            state=Demand.State.COMPLETED if i < 5 else (Demand.State.REPLIED if i < 8 else Demand.State.ASSIGNED),
            first_replied_at=replied,
            replied_at=replied,
            completed_at=received + timedelta(days=2) if i < 5 else None,
            satisfaction=["satisfied", "satisfied", "fairly", "unsatisfied", ""][i] if i < 5 else "",
        )
    for i in range(4):
        DemandFactory(channel=forum, kind=DemandKind.CONSULTATION, received_at=at(2025, 11, 1 + i, 10))
    DemandFactory(channel=forum, received_at=at(2025, 5, 5), state=Demand.State.MERGED)
    DemandFactory(channel=forum, received_at=at(2026, 1, 1, 0, 30), state=Demand.State.ASSIGNED)
    DemandFactory(channel=hotline, received_at=at(2026, 3, 2, 8), state=Demand.State.ASSIGNED)
    DemandFactory(
        channel=hotline,
        received_at=at(2026, 3, 2, 7),
        state=Demand.State.REPLIED,
        first_replied_at=at(2026, 3, 2, 8),
        replied_at=at(2026, 3, 2, 8),
    )
    rumour = ScreeningCategoryFactory(name="谣言", purpose="prohibited")
    for i in range(6):
        PostFactory(
            channel=forum,
            found_at=at(2025, 7, 1 + i, 12),
            status=Post.Status.TAKEN_DOWN if i < 2 else Post.Status.NEW,
            category=rumour if i < 2 else None,
        )
    daily_figures_rebuild()
    return {"office": office, "hotline": hotline, "forum": forum, "rumour": rumour}


def test_crafted_year_is_known_by_hand(crafted):
    board = dashboard(period=year_period(2025))
    assert _figures(board.demands.total) == (14, 8, 6, 5, 6, 4, 3)
    assert {group.label: group.figures.received for group in board.demands.by_channel} == {"12345热线": 10, "论坛": 4}
    by_kind = {group.key: group.figures.received for group in board.demands.by_kind}
    assert by_kind == {"complaint": 10, "consultation": 4}
    assert (board.posts.found, board.posts.taken_down) == (6, 2)
    assert board.posts.by_category == [(crafted["rumour"].pk, "谣言", 2)]


def test_year_totals_equal_demand_figures(crafted, cast):
    user = cast["supervisor"].user
    for year in (2025, 2026):
        board = dashboard(period=year_period(year))
        total, _rows = demand_figures(user=user, start=at(year, 1, 1), end=at(year + 1, 1, 1))
        assert _figures(board.demands.total) == _figures(total), year
        posts = post_figures(start=at(year, 1, 1), end=at(year + 1, 1, 1))
        assert (board.posts.found, board.posts.taken_down) == (posts.found, posts.taken_down)
        for group_by, groups in (("kind", board.demands.by_kind), ("department", board.demands.by_department)):
            _total, rows = demand_figures(user=user, start=at(year, 1, 1), end=at(year + 1, 1, 1), group_by=group_by)
            assert sorted(row.received for row in rows) == sorted(group.figures.received for group in groups)


def test_this_year_includes_today_live_and_the_new_years_half_past_midnight(crafted):
    board = dashboard(period=period_for(key="year", today=date(2026, 3, 2)))
    assert (board.demands.total.received, board.demands.total.replied) == (3, 1)
    today = dashboard(period=period_for(key="today", today=date(2026, 3, 2)))
    assert today.demands.total.received == 2
    new_year = period_for(key="range", today=date(2026, 3, 2), first=date(2026, 1, 1), last=date(2026, 1, 1))
    assert dashboard(period=new_year).demands.total.received == 1
    eve = period_for(key="range", today=date(2026, 3, 2), first=date(2025, 12, 31), last=date(2025, 12, 31))
    assert dashboard(period=eve).demands.total.received == 0


def test_a_late_change_shows_at_once(crafted, cast):
    from opinions.services.demands import demand_merge

    open_one = Demand.objects.filter(kind=DemandKind.CONSULTATION).first()
    into = Demand.objects.filter(kind=DemandKind.COMPLAINT).first()
    demand_merge(demand=open_one, actor=cast["supervisor"].user, into=into)
    board = dashboard(period=year_period(2025))  # counts the touched day live, writes nothing
    assert board.demands.total.received == 13
    assert sum(DemandDay.objects.values_list("received", flat=True)) == 14 + 3  # stored rows untouched


def _writes(queries) -> list[str]:
    """Statements that change a table of ours, or take a lock, among the captured queries."""
    pattern = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b|pg_advisory|FOR UPDATE", re.IGNORECASE)
    return [q["sql"] for q in queries.captured_queries if pattern.search(q["sql"]) and "django_session" not in q["sql"]]


def test_dashboard_and_assessment_gets_write_nothing(crafted, client_as, cast):
    from opinions.services.demands import demand_merge

    open_one = Demand.objects.filter(kind=DemandKind.CONSULTATION).first()
    into = Demand.objects.filter(kind=DemandKind.COMPLAINT).first()
    demand_merge(demand=open_one, actor=cast["supervisor"].user, into=into)  # a stale stored day
    state = list(DailyFiguresState.objects.values_list("archive_watermark", "refreshed_at"))
    client = client_as("leader")
    with CaptureQueriesContext(connection) as board:
        response = client.get(URL, {"period": "range", "from": "2025-01-01", "to": "2025-12-31"})
    assert response.status_code == 200
    assert response.context["board"].demands.total.received == 13
    with CaptureQueriesContext(connection) as table:
        assert client.get(reverse("dashboard:assessment"), {"year": 2025}).status_code == 200
    assert _writes(board) == []
    assert _writes(table) == []
    assert list(DailyFiguresState.objects.values_list("archive_watermark", "refreshed_at")) == state


def test_never_refreshed_counts_live_without_rebuilding(crafted):
    DemandDay.objects.all().delete()
    PostDay.objects.all().delete()
    DailyFiguresState.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        board = dashboard(period=year_period(2025))
    assert _figures(board.demands.total) == (14, 8, 6, 5, 6, 4, 3)
    assert (board.posts.found, board.posts.taken_down) == (6, 2)
    assert _writes(queries) == []
    assert not DemandDay.objects.exists()
    assert not DailyFiguresState.objects.exists()


@pytest.mark.parametrize(("role", "status"), [("supervisor", 200), ("leader", 200), ("staff", 403), ("outsider", 403)])
def test_permissions(db, client_as, role, status):
    assert client_as(role).get(URL).status_code == status
    assert client_as(role).get(reverse("dashboard:assessment")).status_code == status


def test_anonymous_goes_to_login(db, client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("period", ["today", "week", "month", "year"])
def test_periods_render(crafted, client_as, period):
    response = client_as("supervisor").get(URL, {"period": period})
    assert response.status_code == 200
    assert b"<svg" in response.content


def test_range_renders(crafted, client_as):
    response = client_as("supervisor").get(URL, {"period": "range", "from": "2025-01-01", "to": "2025-12-31"})
    assert response.status_code == 200
    assert response.context["board"].demands.total.received == 14


def test_the_page_says_its_figures_are_counted_at_the_moment_it_is_opened(crafted, client_as, travel):
    """Stored days plus what changed since the last refresh: exact now, so the page says now (it
    once said the refresh's moment, as if the figures were that old)."""
    daily_figures_rebuild()
    travel.shift(timedelta(minutes=47))
    body = client_as("supervisor").get(URL, {"period": "year"}).content.decode()
    assert "数据截至 2026-03-02 09:47" in body


def test_query_count_does_not_grow(crafted, client_as):
    client = client_as("supervisor")
    params = {"period": "range", "from": "2025-01-01", "to": "2025-12-31"}
    client.get(URL, params)
    with CaptureQueriesContext(connection) as small:
        client.get(URL, params)
    channels = [ChannelFactory() for _ in range(3)]
    for i in range(60):
        DemandFactory(channel=channels[i % 3], received_at=at(2025, 1 + i % 12, 3, 10), department=DepartmentFactory())
        PostFactory(channel=channels[i % 3], found_at=at(2025, 1 + i % 12, 4, 10))
    DemandFactory.create_batch(5)  # today
    daily_figures_rebuild()
    with CaptureQueriesContext(connection) as large:
        client.get(URL, params)
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
    with CaptureQueriesContext(connection) as assessment:
        client.get(reverse("dashboard:assessment"), {"year": 2025})
    assert len(assessment) <= len(large) + 4


def _links(html: str) -> list[tuple[str, int]]:
    return [
        (unescape(href), int(number))
        for href, number in re.findall(r'<a[^>]*href="([^"]*count=1[^"]*)"[^>]*>\s*(\d+)\s*</a>', html)
    ]


def _count(client, href: str) -> int:
    response = client.get(href)
    assert response.status_code == 200, href
    match = re.search(rb'data-testid="list-count" data-count="(\d+)"', response.content)
    assert match, href
    return int(match.group(1))


@pytest.mark.parametrize("period", ["year", "range"])
def test_every_number_links_to_a_list_with_the_same_count(crafted, client_as, period):
    PublicityPostFactory.create_batch(3, published=date(2025, 5, 1), department=crafted["office"])
    QuotaFactory(year=2025, minimum=10)
    CountyTaskFactory(received_at=at(2025, 9, 1), due_at=at(2025, 9, 3), overdue_at=at(2025, 9, 3))
    CountyTaskFactory()
    client = client_as("leader")
    params = {"period": period} if period == "year" else {"period": "range", "from": "2025-01-01", "to": "2025-12-31"}
    html = client.get(URL, params).content.decode()
    links = _links(html)
    assert len(links) >= 15
    nonzero = 0
    for href, number in links:
        assert _count(client, href) == number, href
        nonzero += number > 0
    if period == "range":
        assert nonzero >= 10


def test_assessment_links_and_figures(crafted, client_as):
    QuotaFactory(year=2025, minimum=5, department=crafted["office"])
    PublicityPostFactory.create_batch(2, published=date(2025, 5, 1), department=crafted["office"])
    client = client_as("leader")
    response = client.get(reverse("dashboard:assessment"), {"year": 2025})
    rows = {item["row"].department.name: item for item in response.context["rows"]}
    office = rows["办公室"]["row"]
    assert office.demands.received == 10
    assert (office.publicity.published, office.publicity.minimum) == (2, 5)
    for href, number in _links(response.content.decode()):
        assert _count(client, href) == number, href


# --- Charts: buckets, ticks, labels, no inline style ----------------------------------------------


def _bars(html: str) -> list[tuple[str, str, int]]:
    """(series, span, value) of every bar of the received/replied chart."""
    chart = re.search(r'<figure[^>]*data-testid="chart-received".*?</figure>', html, re.S).group(0)
    pattern = r'<rect class="chart-bar"[^>]*><title>(\w+) ([-\d –]+): (\d+)</title>'
    return [(name, span, int(value)) for name, span, value in re.findall(pattern, chart)]


@pytest.mark.parametrize(
    ("first", "last", "unit", "buckets"),
    [
        (date(2025, 11, 1), date(2025, 12, 31), "day", 61),
        (date(2025, 8, 1), date(2025, 12, 31), "week", 23),
        (date(2025, 1, 1), date(2025, 12, 31), "month", 12),
    ],
)
def test_received_chart_buckets_add_up_to_the_period(crafted, client_as, first, last, unit, buckets):
    params = {"period": "range", "from": first.isoformat(), "to": last.isoformat()}
    response = client_as("supervisor").get(URL, params, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    total = response.context["board"].demands.total
    assert response.context["chart_received"].title == f"Demands received and replied per {unit}"
    assert f'aria-label="Demands received and replied per {unit}"' in html
    bars = _bars(html)
    assert len(bars) == 2 * buckets  # received and replied side by side per bucket
    assert sum(value for name, _span, value in bars if name == "Received") == total.received
    assert sum(value for name, _span, value in bars if name == "Replied") == total.replied
    assert total.received > 0


def test_group_days_picks_the_bucket_and_keeps_the_sums():
    from reports.dashboard.charts import group_days

    start = date(2025, 1, 1)  # a Wednesday
    for count, unit in ((1, "day"), (62, "day"), (63, "week"), (186, "week"), (187, "month"), (365, "month")):
        days = [start + timedelta(days=n) for n in range(count)]
        received, replied = [n % 5 for n in range(count)], [n % 3 for n in range(count)]
        chosen, buckets = group_days(days, [received, replied])
        assert chosen == unit, count
        assert sum(bucket.values[0] for bucket in buckets) == sum(received)
        assert sum(bucket.values[1] for bucket in buckets) == sum(replied)
        assert buckets[0].first == start
        assert buckets[-1].last == days[-1]
    _unit, weeks = group_days([start + timedelta(days=n) for n in range(100)], [[1] * 100])
    assert [week.first for week in weeks[:3]] == [date(2025, 1, 1), date(2025, 1, 6), date(2025, 1, 13)]
    assert weeks[0].values == (5,)  # Wednesday to Sunday
    assert all(week.first.weekday() == 0 for week in weeks[1:])
    _unit, months = group_days([start + timedelta(days=n) for n in range(365)], [[1] * 365])
    assert [month.values[0] for month in months] == [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


@pytest.mark.parametrize(
    ("value", "ticks"),
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (3, [0, 1, 2, 3]),
        (5, [0, 1, 2, 3, 4, 5]),
        (6, [0, 2, 4, 6]),
        (7, [0, 2, 4, 6, 8]),
        (13, [0, 5, 10, 15]),
        (100, [0, 20, 40, 60, 80, 100]),
        (101, [0, 50, 100, 150]),
        (1_234_567, [0, 500_000, 1_000_000, 1_500_000]),
    ],
)
def test_nice_ticks_are_integers(value, ticks):
    from reports.dashboard.charts import nice_ticks

    assert nice_ticks(value) == ticks


def _ticks(svg: str) -> list[str]:
    return re.findall(r'<text x="[\d.]+" y="[\d.]+" text-anchor="end" fill="#6c757d">([^<]+)</text>', svg)


def test_count_charts_have_integer_ticks_and_survive_all_zeros():
    from reports.dashboard import charts

    days = [date(2025, 1, 1) + timedelta(days=n) for n in range(365)]
    zeros = str(charts.line_chart(title="t", days=days, series=[("Overdue", [0] * 365)]))
    assert _ticks(zeros) == ["0", "1"]
    odd = str(charts.line_chart(title="t", days=days[:10], series=[("A", [0, 1, 2, 3, 5, 0, 0, 0, 0, 0])]))
    assert _ticks(odd) == ["0", "1", "2", "3", "4", "5"]
    unit, buckets = charts.group_days(days, [[3000] * 365])
    big = str(charts.column_chart(title="t", unit=unit, buckets=buckets, names=["A"]))
    assert _ticks(big) == ["0", "20,000", "40,000", "60,000", "80,000", "100,000"]
    with translation.override("en"):
        empty = str(charts.column_chart(title="t", unit="day", buckets=[], names=["A"]))
    assert "No data" in empty


def test_year_charts_label_months(db):
    from django.utils import translation

    from reports.dashboard import charts

    days = [date(2025, 1, 1) + timedelta(days=n) for n in range(365)]
    with translation.override("en"):
        overdue = str(charts.line_chart(title="t", days=days, series=[("Overdue", [n % 4 for n in range(365)])]))
        quota = str(charts.quota_chart(title="t", cumulative=[(days[0], 1)], minimum=12, year=2025))
        unit, buckets = charts.group_days(days, [[1] * 365, [1] * 365])
        received = str(charts.column_chart(title="t", unit=unit, buckets=buckets, names=["A", "B"]))
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    for svg in (overdue, quota, received):
        labels = re.findall(r'text-anchor="middle" fill="#6c757d">([^<]+)</text>', svg)
        assert labels
        assert set(labels) <= set(months), labels
        assert "Jan" in labels
    assert re.findall(r'text-anchor="middle" fill="#6c757d">([^<]+)</text>', quota) == months
    across = [date(2025, 7, 1) + timedelta(days=n) for n in range(365)]
    unit, buckets = charts.group_days(across, [[1] * 365])
    with translation.override("en"):
        svg = str(charts.column_chart(title="t", unit=unit, buckets=buckets, names=["A"]))
    assert ">2026</text>" in svg  # a range over two years marks the new year


def test_channel_chart_fits_long_chinese_names():
    from reports.dashboard import charts

    long_name = "县人民政府门户网站政民互动留言板（含县长信箱与部门信箱）"
    svg = str(charts.bar_chart(title="Demands by channel", rows=[(long_name, 120), ("论坛", 3)]))
    assert 'width="100%"' in svg
    assert re.search(r'viewBox="0 0 \d+ \d+"', svg)
    label = re.search(r'<text x="([\d.]+)"[^>]*text-anchor="end"[^>]*>([^<]+)</text>', svg)
    right_edge, shown = float(label.group(1)), label.group(2)
    assert shown.endswith("…")
    assert charts.text_width(shown) <= right_edge  # the label fits left of its right edge
    first_bar = float(re.search(r'<rect class="chart-bar" x="([\d.]+)"', svg).group(1))
    assert first_bar > right_edge  # and does not run into the bars
    assert f"<title>{long_name}: 120</title>" in svg  # the full name on hover


@pytest.mark.parametrize("period", ["week", "month", "year"])
def test_charts_are_accessible_and_need_no_inline_style(crafted, client_as, period):
    html = client_as("supervisor").get(URL, {"period": period}).content.decode()
    # The charts (the menu's decorative icons are aria-hidden and not charts).
    svgs = [svg for svg in re.findall(r"<svg.*?</svg>", html, re.S) if 'aria-hidden="true"' not in svg.split(">", 1)[0]]
    assert len(svgs) == 4
    for svg in svgs:
        assert re.match(r'<svg[^>]*role="img"[^>]*aria-label="[^"]+"', svg)
        assert re.search(r"<title>[^<]+</title>", svg)
        assert "<script" not in svg
    assert " style=" not in html
    assert "<style" not in html


def test_assessment_year_form_does_not_wrap(db, client_as):
    html = client_as("leader").get(reverse("dashboard:assessment")).content.decode()
    form = re.search(r'<form[^>]*data-testid="year-form".*?</form>', html, re.S).group(0)
    assert "input-group" in form
    assert form.count("text-nowrap") >= 2


@pytest.mark.parametrize(
    ("params", "shown", "message"),
    [
        ({"from": "2026-12-01", "to": "2026-01-01"}, ("2026-01-01", "2026-12-01"), "were swapped"),
        ({"from": "garbage", "to": "2026-01-01"}, ("2026-01-01", "2026-12-31"), "Give a valid start and end date"),
        ({"from": "2010-01-01", "to": "2026-01-01"}, ("2022-12-30", "2026-01-01"), "at most three years"),
    ],
)
def test_a_range_that_cannot_be_shown_as_asked_says_so(db, client_as, travel, params, shown, message):
    response = client_as("supervisor").get(URL, {"period": "range", **params}, HTTP_ACCEPT_LANGUAGE="en")
    period = response.context["board"].period
    assert (period.first.isoformat(), period.last.isoformat()) == shown
    assert message in response.content.decode()
