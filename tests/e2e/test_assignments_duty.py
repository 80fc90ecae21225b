"""A staff member on duty signs in from the browser and writes the handover note."""

import pytest

from assignments.models import HandoverNote
from demo.organisation import DEMO_PASSWORD
from tests.e2e.duty import shift_for_staff_now, shift_handed_over
from tests.e2e.navigation import click_to_next_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("committed_db"),  # lets the flush at the end pass the archive's TRUNCATE guard
]


def test_staff_signs_in_for_their_shift_and_writes_a_handover_note(seeded_demo_office, login, live_server):
    assignment = shift_for_staff_now(name="加班值守", started_minutes_ago=5, hours_left=3, sort_order=9)
    page = login("staff", DEMO_PASSWORD)
    assert page.locator("[data-testid=duty-panel]").count() == 1  # the home page panel
    page.goto(f"{live_server.url}/duty/")
    click_to_next_page(page, "[data-testid=sign-in]")
    assert page.locator("[data-testid=signed-in]").count() >= 1
    assignment.refresh_from_db()
    assert assignment.signed_in_at is not None
    assert assignment.sign_in_ip == "127.0.0.1"
    page.fill("textarea[name=body]", "民生诉求版块有两条网吧噪音投诉未回复，已转文化市场管理科，请下一班跟进。")
    click_to_next_page(page, "form[action$='/handover/'] [type=submit]")
    assert HandoverNote.objects.filter(shift=shift_handed_over("staff"), author__user__username="staff").exists()
    assert "请下一班跟进" in page.inner_text("main")
