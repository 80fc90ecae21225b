"""In a real browser at phone width (390×844): a staff member drafts yesterday's daily briefing
from the menu, writes the next steps and submits it; a leader returns it (the reason is required,
and kept when refused), the staff member sees why, submits again, and another leader signs it off;
nothing is wider than the phone. A double click on 生成专报 makes one special report. On the draft
form the day follows the kind until it is changed by hand."""

from datetime import timedelta

import pytest

from bureau import clock
from events.models import Event
from reports.models import Briefing, BriefingReturn
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
    page.click("[data-testid=draft-submit]")  # yesterday, a daily briefing: the defaults
    page.wait_for_selector("[data-testid=briefing-title]")
    assert "网络舆情日报" in page.inner_text("[data-testid=briefing-title]")
    assert _fits(page)
    page.click("[data-testid=edit]")
    page.fill("textarea[name=next_steps]", "继续关注城关镇供水情况。")
    page.click("[data-testid=edit-save]")
    page.click("[data-testid=submit]")
    page.wait_for_selector(".alert-success")
    assert page.inner_text("[data-testid=briefing-state]") == "待签发"

    url = f"{live_server.url}{Briefing.objects.get().get_absolute_url()}"

    page.context.clear_cookies()
    login(cast["director"].user.username, TEST_PASSWORD)
    page.goto(url)
    page.click("[data-testid=return-open]")
    page.click("[data-testid=return]")  # no reason: the browser's own check stops it
    assert page.evaluate("document.querySelector('[name=reason]').validity.valueMissing")
    page.fill("textarea[name=reason]", "   ")
    page.click("[data-testid=return]")  # only spaces: the server refuses, the box stays open
    page.wait_for_selector("[data-testid=refused]")
    assert "请填写退回理由" in page.inner_text("[data-testid=return-form]")
    assert page.get_attribute("[data-testid=return-box]", "open") is not None
    page.fill("textarea[name=reason]", "请补充城关镇供水的抢修进度。")
    page.click("[data-testid=return]")
    page.wait_for_selector("[data-testid=open-return]")
    assert BriefingReturn.objects.get().reason == "请补充城关镇供水的抢修进度。"
    assert _fits(page)

    page.context.clear_cookies()
    login(cast["staff"].user.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/briefings/")
    assert page.inner_text("[data-testid=returned-badge]") == "已退回"
    assert page.inner_text("[data-testid=returned-reason]") == "请补充城关镇供水的抢修进度。"
    assert _fits(page)
    page.goto(url)
    assert "请补充城关镇供水的抢修进度。" in page.inner_text("[data-testid=open-return-reason]")
    page.click("[data-testid=edit]")
    page.fill("textarea[name=next_steps]", "继续关注城关镇供水情况，今日内公布抢修进度。")
    page.click("[data-testid=edit-save]")
    page.click("[data-testid=submit]")
    page.wait_for_selector(".alert-success")
    assert page.locator("[data-testid=returned-badge]").count() == 0
    assert page.locator("[data-testid=return-entry]").count() == 1

    page.context.clear_cookies()
    login(cast["leader"].user.username, TEST_PASSWORD)
    page.goto(url)
    assert page.inner_text("[data-testid=sign]") == "签发"
    page.click("[data-testid=sign]")
    page.wait_for_selector("[data-testid=signed-note]")
    assert page.inner_text("[data-testid=briefing-state]") == "已签发"
    assert _fits(page)
    assert Briefing.objects.get().state == Briefing.State.SIGNED


@pytest.mark.usefixtures("committed_db")
def test_a_double_click_on_the_special_report_button_makes_one_report(cast, page, login, live_server):
    now = clock.now()
    event = Event.objects.create(
        title="城关镇停水", first_seen_at=now - timedelta(hours=2), created_at=now, created_by=cast["supervisor"].user
    )
    login(cast["staff"].user.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    page.dblclick("[data-testid=special-report]")
    page.wait_for_selector("[data-testid=briefing-title]")
    # Quiet on the network: a second POST the double click may have sent has had its answer too.
    page.wait_for_load_state("networkidle")
    assert Briefing.objects.filter(kind=Briefing.Kind.SPECIAL).count() == 1
    report = Briefing.objects.get(kind=Briefing.Kind.SPECIAL)
    assert page.url == f"{live_server.url}{report.get_absolute_url()}"
    assert "城关镇停水" in page.inner_text("[data-testid=briefing-title]")

    page.goto(f"{live_server.url}{event.get_absolute_url()}")  # a while later, the button again
    page.click("[data-testid=special-report]")
    page.wait_for_selector(".alert-info")
    assert "已存在且尚未签发（草稿），已为您打开" in page.inner_text(".alert-info")
    assert page.url == f"{live_server.url}{report.get_absolute_url()}"
    assert Briefing.objects.filter(kind=Briefing.Kind.SPECIAL).count() == 1


@pytest.mark.usefixtures("committed_db")
def test_the_draft_forms_day_follows_the_kind_until_changed_by_hand(cast, page, login, live_server):
    today = clock.today()
    yesterday, last_week = today - timedelta(days=1), today - timedelta(days=7)
    last_month = today.replace(day=1) - timedelta(days=1)
    login(cast["staff"].user.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/briefings/draft/")
    assert page.input_value("input[name=day]") == yesterday.isoformat()
    page.select_option("select[name=kind]", "weekly")
    assert page.input_value("input[name=day]") == last_week.isoformat()
    page.select_option("select[name=kind]", "monthly")
    assert page.input_value("input[name=day]") == last_month.isoformat()
    page.fill("input[name=day]", yesterday.isoformat())  # chosen by hand: the kind no longer moves it
    page.select_option("select[name=kind]", "weekly")
    assert page.input_value("input[name=day]") == yesterday.isoformat()
