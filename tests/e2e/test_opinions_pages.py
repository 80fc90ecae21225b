"""In a real browser, as the office head: "my work", channel health and the patrol log."""

import pytest

from demo.organisation import DEMO_PASSWORD
from tests.e2e.navigation import click_to_next_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_supervisor_sees_channel_health_the_patrol_log_and_my_work(seeded_demo_office, login, live_server):
    page = login("supervisor", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/opinions/channels/")
    assert "县新闻网论坛" in page.inner_text("main")
    page.goto(f"{live_server.url}/opinions/patrol/")
    click_to_next_page(page, page.locator("form[action$='/opinions/patrol/review/'] button").first)
    assert page.locator(".alert-success").count() == 1
