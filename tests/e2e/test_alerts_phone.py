"""In a real browser, at phone width (390×844): nobody is on duty, so an alert goes to the office
head; she finds it from the alert button on the phone's menu bar, opens its card, acknowledges it with one tap, and
the badge is gone."""

import pytest

from alerts.models import Alert
from alerts.services.delivery import alert_deliveries_send
from alerts.services.raising import alert_raise
from tests.alerts.factories import AlertRuleFactory
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
WIDTH = "document.documentElement.scrollWidth"


@pytest.mark.usefixtures("committed_db")  # lets the flush at the end pass the archive's TRUNCATE guard
def test_the_office_head_acknowledges_an_alert_on_a_phone(cast, page, login, live_server):
    alert = alert_raise(
        rule=AlertRuleFactory(), key="word:图书馆", title="县图书馆突然停水闭馆", text="本局论坛 · 群众反映"
    )
    assert alert_deliveries_send() == 1  # her notice (and e-mail)
    page.set_viewport_size({"width": 390, "height": 844})
    login(cast["supervisor"].user.username, TEST_PASSWORD)

    # The menu is folded away at this width; the alert button stays on the bar while something waits.
    assert page.inner_text("[data-testid=alerts-link-mobile] .badge") == "1"
    assert page.evaluate(WIDTH) <= 390
    page.click("[data-testid=alerts-link-mobile]")
    page.wait_for_selector("[data-testid=alert-list]")
    assert page.evaluate(WIDTH) <= 390  # the rows are cards
    page.click("[data-testid=alert-list] a:has-text('县图书馆突然停水闭馆')")

    page.wait_for_selector("[data-testid=acknowledge]")
    assert page.url.endswith(f"/alerts/{alert.pk}/")
    assert page.evaluate(WIDTH) <= 390
    page.click("[data-testid=acknowledge]")  # one tap
    page.wait_for_selector("[data-testid=alert-acknowledged]")
    assert page.evaluate(WIDTH) <= 390
    assert page.locator("[data-testid=alerts-link-mobile]").count() == 0
    page.click(".navbar-toggler")
    page.click("#main-menu [data-testid=events-menu]")
    assert page.locator("#main-menu [data-testid=alerts-link]").is_visible()  # 预警 under 事件预警, no badge now
    assert page.locator("[data-testid=alerts-badge]").count() == 0
    alert = Alert.objects.get(pk=alert.pk)
    assert alert.acknowledged_by == cast["supervisor"].user
