"""In a real browser, at phone width: on the reply form, a reply template (答复口径) and a similar
case's reply fill the box, and what was typed first is never lost: three buttons ask first
(replace, add at the end, cancel), with JavaScript and without."""

import pytest

from demo.organisation import DEMO_PASSWORD
from opinions.models import Demand
from tests.e2e.test_accessibility import AXE, axe_violations, violations_text

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


def test_a_template_fills_the_reply_box_without_losing_what_was_typed(seeded_demo_office, login, live_server):
    demand = (
        Demand.objects.filter(state__in=Demand.REPLYABLE_STATES, handler__isnull=False).order_by("-received_at").first()
    )
    assert demand is not None
    page = login("supervisor", DEMO_PASSWORD)
    page.add_init_script(path=str(AXE))
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/opinions/demands/{demand.pk}/")
    box = page.locator("[data-testid=action-reply] textarea[name=reply_text]")
    template = page.locator("[data-testid=reply-template] button", has_text="受理告知（任何类别）")
    expected = template.get_attribute("data-reply-text")
    assert demand.number in expected
    assert "{" not in expected

    choice = page.locator("[data-testid=reply-choice]")
    assert choice.is_hidden()
    box.fill("先写的几句话")
    template.click()
    assert choice.is_visible()  # asked on the page, no browser dialog
    page.mouse.move(0, 0)  # off the button: its hover colours fade out (0.15 s) before axe reads them
    page.wait_for_timeout(300)
    found = axe_violations(page)
    assert not found, violations_text(found)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.click("[data-testid=reply-cancel]")
    assert choice.is_hidden()
    assert box.input_value() == "先写的几句话"  # Cancel: nothing changed

    template.click()
    page.click("[data-testid=reply-append]")
    assert box.input_value() == f"先写的几句话\n\n{expected}"
    chosen = page.locator("[data-testid=action-reply] input[name=reply_template]")
    assert chosen.input_value() == template.get_attribute("data-template-id")

    box.fill("另写的")
    template.click()
    page.click("[data-testid=reply-replace]")
    assert box.input_value() == expected

    case = page.locator("[data-testid=similar-case]").first
    assert "%" in case.locator("[data-testid=similar-case-percent]").inner_text()
    case.locator("button").click()
    page.click("[data-testid=reply-replace]")
    assert box.input_value() == case.locator("button").get_attribute("data-reply-text")
    assert chosen.input_value() == ""
    assert page.url.endswith(f"/opinions/demands/{demand.pk}/")  # nothing was submitted


def test_without_javascript_the_template_is_put_in_by_the_server(seeded_demo_office, browser, live_server):
    demand = (
        Demand.objects.filter(state__in=Demand.REPLYABLE_STATES, handler__isnull=False).order_by("-received_at").first()
    )
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "supervisor")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    page.goto(f"{live_server.url}/opinions/demands/{demand.pk}/")
    box = page.locator("[data-testid=action-reply] textarea[name=reply_text]")
    template = page.locator("[data-testid=reply-template] button", has_text="受理告知（任何类别）")
    expected = template.get_attribute("data-reply-text")

    box.fill("先写的几句话")
    template.click()
    page.wait_for_load_state("load")
    assert page.locator("[data-testid=reply-choice]").is_visible()
    assert box.input_value() == "先写的几句话"
    page.click("[data-testid=reply-append]")
    page.wait_for_load_state("load")
    assert box.input_value() == f"先写的几句话\n\n{expected}"
    assert page.locator("[data-testid=reply-choice]").is_hidden()
    demand.refresh_from_db()
    assert demand.reply_text == ""  # nothing saved until the reply is recorded
    context.close()
