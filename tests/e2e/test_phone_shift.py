"""At phone width (390×844), in the demo office: the person on duty walks a shift from the duty desk —
opens it from the menu, signs in, opens a new post in their section, sees the to-do count, writes the
handover — and no page is wider than the phone. The monitor's and the demand list's 50 rows are cards:
at this width the pages measured 12,180 px and 14,468 px as tables, 5,405 px and 5,259 px as cards."""

import pytest

from assignments.models import HandoverNote
from bureau import clock
from bureau.models import Person, Section
from demo.organisation import DEMO_PASSWORD
from opinions.models import Channel, Demand
from tests.e2e.duty import shift_for_staff_now, shift_handed_over
from tests.opinions.factories import DemandFactory, PostFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("committed_db"),  # lets the flush at the end pass the archive's TRUNCATE guard
]
PHONE = {"width": 390, "height": 844}
WIDTH = "document.documentElement.scrollWidth"
HEIGHT = "document.documentElement.scrollHeight"


def test_the_person_on_duty_walks_a_shift_on_a_phone(seeded_demo_office, page, login, live_server):
    assignment = shift_for_staff_now(name="手机值守", started_minutes_ago=10, hours_left=2, sort_order=8)
    section = Section.objects.get(name="工作动态")  # the demo staff member's own section
    post = PostFactory(
        title="手机值班测试：网友询问图书馆夜间开放时间",
        section=section,
        channel=Channel.objects.filter(section=section).first() or Channel.objects.first(),
        found_at=clock.now(),
    )
    page.set_viewport_size(PHONE)
    login("staff", DEMO_PASSWORD)

    # The desk from the menu, which is folded away at this width.
    page.click(".navbar-toggler")
    # Bootstrap adds .show when the menu's opening animation has ended: a tap during it could
    # land on an item still moving (seen once: the desk was never opened).
    page.wait_for_selector("#main-menu.show")
    page.click("#main-menu .dropdown-toggle:has-text('值班')")
    page.click("[data-testid=menu-duty-desk]")
    page.wait_for_selector("[data-testid=desk-next-shift]")
    assert page.inner_text("h1") == "值班台"
    assert page.evaluate(WIDTH) <= 390

    # Sign in.
    page.click(f"form[action='/duty/assignments/{assignment.pk}/sign-in/'] button")
    page.wait_for_selector("[data-testid=desk-signed-in]")
    assert page.url.endswith("/duty/desk/")
    assignment.refresh_from_db()
    assert assignment.signed_in_at is not None
    assert page.evaluate(WIDTH) <= 390

    # The new post in my section, opened from the desk.
    page.click(f"[data-testid=desk-post]:has-text('{post.title}')")
    page.wait_for_selector("h1")
    assert page.url.endswith(f"/opinions/posts/{post.pk}/")
    assert page.evaluate(WIDTH) <= 390
    page.go_back()
    page.wait_for_selector("[data-testid=desk-todo]")

    # The to-do count on the desk is the menu badge's number.
    desk_count = page.inner_text("[data-testid=desk-todo-count]")
    badge = page.locator("[data-testid=todo-badge-mobile]")
    assert desk_count == (badge.inner_text() if badge.count() else "0")

    # The handover note, written on the desk; back on the desk.
    page.fill("[data-testid=desk-handover] textarea[name=body]", "工作动态版块新帖已查看，图书馆开放时间咨询待答复。")
    page.click("[data-testid=desk-handover] [type=submit]")
    page.wait_for_selector(".alert-success")
    assert page.url.endswith("/duty/desk/")
    assert HandoverNote.objects.filter(
        shift=shift_handed_over("staff"), body__startswith="工作动态版块新帖已查看"
    ).exists()
    assert page.evaluate(WIDTH) <= 390

    # The monitor: 50 rows as cards, the filters folded behind one button.
    page.goto(f"{live_server.url}/opinions/")
    page.wait_for_selector("#monitor-table")
    assert page.locator("#monitor-table tbody tr").count() == 50
    assert page.evaluate(WIDTH) <= 390
    assert page.evaluate(HEIGHT) < 6000  # 12,180 px as a table; 5,405 px measured as cards
    first = page.locator("#monitor-table tbody tr").first
    assert first.locator(".cell-title").is_visible()
    assert not first.locator(".cell-wide-only").first.is_visible()  # the channel's kind stays in the wide table
    assert not page.is_visible("#monitor-filters")
    page.click("[data-testid=filters-toggle]")
    page.wait_for_selector("#monitor-filters", state="visible")

    # The demand list likewise.
    page.goto(f"{live_server.url}/opinions/demands/")
    assert page.locator("[data-testid=demand-row]").count() == 50
    assert page.evaluate(WIDTH) <= 390
    assert page.evaluate(HEIGHT) < 6000  # 14,468 px as a table; 5,259 px measured as cards
    assert not page.is_visible("#demand-filters")


def test_a_leader_reviews_a_reply_on_a_phone(seeded_demo_office, page, login, live_server):
    """The review form on the demand page fits the phone, and the decision is recorded from it."""
    demand = DemandFactory(
        state=Demand.State.IN_REVIEW,
        handler=Person.objects.get(user__username="staff"),
        subject="手机审核测试：网友反映文化馆空调不制冷",
        reply_text="您好，已安排维修人员今日检修，感谢反映。",
    )
    page.set_viewport_size(PHONE)
    login("leader", DEMO_PASSWORD)  # 郁志强, a spokesperson: reviews replies
    page.goto(f"{live_server.url}/opinions/demands/{demand.pk}/")
    page.wait_for_selector("[data-testid=action-review]")
    assert page.evaluate(WIDTH) <= 390
    page.select_option("[data-testid=action-review] select[name=approve]", "1")
    page.fill("[data-testid=action-review] textarea[name=opinion]", "同意答复。")
    page.click("[data-testid=action-review] button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert page.evaluate(WIDTH) <= 390
    demand.refresh_from_db()
    assert demand.state == Demand.State.REPLIED
