"""Every publicity page in a real browser on the demo office (a screenshot is kept if one fails)."""

import pytest

from demo.organisation import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAGES = {
    "publicity_progress": "/publicity/progress/",
    "publicity_mine": "/publicity/mine/",
    "publicity_coverage": "/publicity/coverage/",
    "publicity_outlets": "/publicity/coverage/outlets/",
    "publicity_statistics": "/publicity/statistics/",
    "publicity_disclosure": "/publicity/disclosure/",
    "publicity_new": "/publicity/new/",
}


@pytest.mark.usefixtures("committed_db")
def test_the_office_head_walks_through_the_publicity_pages(seeded_demo_office, login, live_server):
    page = login("supervisor", DEMO_PASSWORD)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.click("[data-testid=publicity-menu]")
    for path in PAGES.values():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
    page.goto(f"{live_server.url}/publicity/?state=approved")
    assert page.locator("[data-testid=overdue]").count() >= 1  # approved, planned date passed, not out
    assert errors == []  # no CSP violations or script errors
