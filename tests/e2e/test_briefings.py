"""In a real browser at phone width (390×844): a staff member drafts yesterday's daily briefing
from the menu, writes the next steps and submits it; a leader signs it off; nothing is wider than
the phone."""

import pytest

from reports.models import Briefing
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.usefixtures("committed_db")  # lets the flush at the end pass the archive's TRUNCATE guard
def test_draft_submit_and_sign_a_briefing_on_a_phone(cast, page, login, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    login(cast["staff"].user.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/briefings/")
    assert _fits(page)
    page.click("[data-testid=draft-link]")
    page.click("[data-testid=draft-submit]")  # today, a daily briefing: the defaults
    page.wait_for_selector("[data-testid=briefing-title]")
    assert "网络舆情日报" in page.inner_text("[data-testid=briefing-title]")
    assert _fits(page)
    page.click("[data-testid=edit]")
    page.fill("textarea[name=next_steps]", "继续关注城关镇供水情况。")
    page.click("[data-testid=edit-save]")
    page.click("[data-testid=submit]")
    page.wait_for_selector(".alert-success")
    assert page.inner_text("[data-testid=briefing-state]") == "待签发"

    page.context.clear_cookies()
    login(cast["leader"].user.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}{Briefing.objects.get().get_absolute_url()}")
    page.click("[data-testid=sign]")
    page.wait_for_selector("[data-testid=signed-note]")
    assert page.inner_text("[data-testid=briefing-state]") == "已签发"
    assert _fits(page)
    assert Briefing.objects.get().state == Briefing.State.SIGNED
