"""In a real browser: on the reply form, a reply template (答复口径) and a similar case's reply fill
the box, and what was typed first is never lost (asked first; Cancel keeps it)."""

import pytest

from demo.organisation import DEMO_PASSWORD
from opinions.models import Demand

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_template_fills_the_reply_box_without_losing_what_was_typed(seeded_demo_office, login, live_server):
    demand = (
        Demand.objects.filter(state__in=Demand.REPLYABLE_STATES, handler__isnull=False).order_by("-received_at").first()
    )
    assert demand is not None
    page = login("supervisor", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/opinions/demands/{demand.pk}/")
    box = page.locator("[data-testid=action-reply] textarea[name=reply_text]")
    template = page.locator("[data-testid=reply-template] button", has_text="受理告知（任何类别）")
    expected = template.get_attribute("data-reply-text")
    assert demand.number in expected
    assert "{" not in expected

    box.fill("先写的几句话")
    page.once("dialog", lambda dialog: dialog.dismiss())  # Cancel: keep it, add the template after it
    template.click()
    assert box.input_value() == f"先写的几句话\n\n{expected}"

    page.once("dialog", lambda dialog: dialog.accept())  # OK: replace
    template.click()
    assert box.input_value() == expected
    chosen = page.locator("[data-testid=action-reply] input[name=reply_template]").input_value()
    assert chosen == template.get_attribute("data-template-id")

    case = page.locator("[data-testid=similar-case]").first
    assert "%" in case.locator("[data-testid=similar-case-percent]").inner_text()
    page.once("dialog", lambda dialog: dialog.accept())
    case.locator("button").click()
    assert box.input_value() == case.locator("button").get_attribute("data-reply-text")
    assert page.locator("[data-testid=action-reply] input[name=reply_template]").input_value() == ""
