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
    for i in range(5):
        DemandFactory(channel=hotline, received_at=now - timedelta(minutes=30 + i))
    DemandFactory(
        channel=forum,
        received_at=now - timedelta(minutes=20),
        state=Demand.State.REPLIED,
        first_replied_at=now - timedelta(minutes=10),
        replied_at=now - timedelta(minutes=10),
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
    page.screenshot(path="var/screenshots/dashboard.png", full_page=True)

    received = page.locator("[data-testid=card-received] a[data-figure=received]")
    assert received.inner_text().strip() == "6"
    received.click()
    page.wait_for_selector("[data-testid=list-count]")
    assert page.get_attribute("[data-testid=list-count]", "data-count") == "6"
    assert page.locator("table tbody tr").count() >= 6
