"""In a real browser: the roster calendars, planning a roster, the task pages and the phone screen."""

import pytest

from assignments.models import CountyTask
from demo.organisation import DEMO_PASSWORD
from tests.e2e.navigation import click_to_next_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("committed_db"),  # lets the flush at the end pass the archive's TRUNCATE guard
]


def test_roster_calendars_phone_screen_and_task_sheet_render(seeded_demo_office, login, live_server, page):
    login("supervisor", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/duty/week/")
    assert page.locator("[data-testid=rostered]").count() >= 7
    page.goto(f"{live_server.url}/duty/month/")
    page.goto(f"{live_server.url}/duty/roster/")
    click_to_next_page(page, "form.roster-form [type=submit]")
    assert page.locator("[data-testid=roster-plan]").count() == 1
    task = CountyTask.objects.get(title="关于电影院消防安全隐患的网民举报")
    page.goto(f"{live_server.url}/duty/tasks/")
    page.goto(f"{live_server.url}/duty/tasks/{task.pk}/")
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server.url}/duty/now/")
