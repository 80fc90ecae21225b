"""In a real browser: a supervisor opens the dashboard, sees the charts drawn, and follows a number
to the list behind it, which shows the same count."""

from datetime import timedelta

import pytest

from bureau import clock
from opinions.models import Demand
from tests.opinions.factories import ChannelFactory, DemandFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_dashboard_chart_and_link(login, live_server, cast, password):
    hotline, forum = ChannelFactory(name="12345热线"), ChannelFactory(name="论坛")
    now = clock.now()
    # Today (the period shown) by the office's clock, even when the suite runs just after midnight.
    today_start = clock.local_midnight(clock.today())
    for i in range(5):
        DemandFactory(channel=hotline, received_at=max(now - timedelta(minutes=30 + i), today_start))
    DemandFactory(
        channel=forum,
        received_at=max(now - timedelta(minutes=20), today_start),
        state=Demand.State.REPLIED,
        first_replied_at=max(now - timedelta(minutes=10), today_start),
        replied_at=max(now - timedelta(minutes=10), today_start),
    )
    page = login(cast["supervisor"].user.username, password)
    page.goto(f"{live_server.url}/dashboard/?period=today")
    chart = page.locator("svg.dashboard-chart").first
    chart.wait_for()
    assert chart.get_attribute("aria-label")
    bars = page.locator("svg.dashboard-chart rect.chart-bar")
    assert bars.count() >= 2
    box = bars.first.bounding_box()
    assert box
    assert box["height"] > 0
    assert box["width"] > 0

    received = page.locator("[data-testid=card-received] a[data-figure=received]")
    assert received.inner_text().strip() == "6"
    received.click()
    page.wait_for_selector("[data-testid=list-count]")
    assert page.get_attribute("[data-testid=list-count]", "data-count") == "6"
    assert page.locator("table tbody tr").count() >= 6


@pytest.mark.parametrize("width", [1400, 1024])
def test_charts_read_and_buttons_stay_on_one_line(login, live_server, cast, password, width):
    hotline = ChannelFactory(name="县人民政府门户网站政民互动留言板")
    now = clock.now()
    for i in range(3):
        DemandFactory(channel=hotline, received_at=now - timedelta(days=i * 20, minutes=30))
    page = login(cast["leader"].user.username, password)
    refused = []
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(f"{live_server.url}/dashboard/assessment/")
    for selector in ("[data-testid=year-form] button[type=submit]", "[data-testid=year-form] a"):
        box = page.locator(selector).bounding_box()
        assert box
        assert box["width"] > box["height"], box  # not a vertical stack of characters
        assert box["height"] < 40, box

    page.goto(f"{live_server.url}/dashboard/?period=year")
    for testid in ("chart-received", "chart-channels", "chart-overdue", "chart-quota"):
        chart = page.locator(f"[data-testid={testid}] svg.dashboard-chart")
        assert chart.get_attribute("aria-label")
        text = chart.locator("text").first.bounding_box()
        assert text
        assert text["height"] >= 15, (testid, text)  # a font of 11px or more, near the page's small text
    label = page.locator("[data-testid=chart-channels] svg text[text-anchor=end]").first.bounding_box()
    bar = page.locator("[data-testid=chart-channels] svg rect.chart-bar").first.bounding_box()
    assert label
    assert bar
    assert label["x"] + label["width"] <= bar["x"] + 1  # the long name stops before its bar
    assert refused == []
