"""In a real browser, at phone width (390×844): a leader finds a waiting sign-off in the to-do
list, signs it off, and the count drops."""

import pytest

from bureau import clock
from opinions.models import Demand, DemandKind
from tests.factories import TEST_PASSWORD
from tests.opinions.factories import DemandFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.usefixtures("committed_db")  # lets the flush at the end pass the archive's TRUNCATE guard
def test_leader_signs_off_from_the_todo_list_on_a_phone(cast, page, login, live_server):
    demand = DemandFactory(
        kind=DemandKind.CRITICISM,
        state=Demand.State.REPLIED,
        handler=cast["staff"],
        replied_at=clock.now(),
        first_replied_at=clock.now(),
        subject="批评窗口工作人员态度生硬",
    )
    page.set_viewport_size({"width": 390, "height": 844})
    login(cast["leader"].user.username, TEST_PASSWORD)

    page.click("[data-testid=todo-link-mobile]")  # the menu is folded away at this width; the badge is not
    page.wait_for_selector("[data-testid=todo-sign_off]")
    assert page.inner_text("[data-testid=todo-badge-mobile]") == "1"
    assert page.inner_text("[data-testid=todo-count-sign_off]") == "1"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone

    page.click("[data-testid=todo-sign_off] a:has-text('批评窗口工作人员态度生硬')")
    page.wait_for_selector("[data-testid=action-sign-off]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("[data-testid=action-sign-off] button")
    page.wait_for_selector(".alert-success")
    demand.refresh_from_db()
    assert demand.signed_off_at is not None

    page.click("[data-testid=todo-link-mobile]")
    page.wait_for_selector("[data-testid=todo-sign_off]")
    assert page.inner_text("[data-testid=todo-count-sign_off]") == "0"
    assert page.locator("[data-testid=todo-badge-mobile]").count() == 0
    assert "批评窗口工作人员态度生硬" not in page.inner_text("[data-testid=todo-sign_off]")
