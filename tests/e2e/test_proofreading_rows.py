"""In a real browser, with JavaScript and without: the proofreading panel is one form, so a reason
typed in one row survives pressing another row's button; a row pressed with no reason is refused
next to it, in Chinese, and every reason typed is still there."""

from datetime import date

import pytest

from bureau import clock
from proofing.models import ProofAcknowledgement, ProofList, ProofTerm
from proofing.services import proof_list_saved
from publicity.services import post_create
from tests.e2e.navigation import click_to_next_page
from tests.e2e.test_accessibility import AXE, axe_violations, violations_text
from tests.factories import TEST_PASSWORD
from tests.publicity.factories import PlatformFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def draft(cast):
    names = ProofList.objects.create(name="领导姓名", kind=ProofList.Kind.WRONG_FORM, updated_at=clock.now())
    ProofTerm.objects.create(proof_list=names, wrong="郁志刚", correct="郁志强")
    ProofTerm.objects.create(proof_list=names, wrong="文广旅游局", correct="文化广电和旅游局")
    proof_list_saved(proof_list=names, actor=None)
    staff = cast["staff"]
    return post_create(
        actor=staff.user,
        title="送戏下乡",
        body="县文广旅游局举办送戏下乡，郁志刚出席。",
        department=staff.department,
        platform=PlatformFactory(),
        planned_on=date(2030, 3, 5),
    )


@pytest.mark.usefixtures("committed_db")  # lets the flush at the end pass the archive's TRUNCATE guard
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_reason_typed_in_one_row_survives_pressing_another(javascript, browser, cast, draft, live_server):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", java_script_enabled=javascript)
    if javascript:
        context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", cast["staff"].user.username)
    page.fill("input[name=password]", TEST_PASSWORD)
    click_to_next_page(page, "button[type=submit]")
    page.goto(f"{live_server.url}/publicity/{draft.pk}/")

    rows = page.locator("[data-testid=proof-hit]")
    assert rows.count() == 2  # 文广旅游局 (旅游局 inside it is not a second hit), 郁志刚
    rows.nth(1).locator("input[name=reason-1]").fill("引用县委文件原文")
    rows.nth(0).locator("[data-testid=proof-acknowledge]").click()  # row 0 has no reason yet
    page.wait_for_load_state("load")

    assert page.locator("[data-testid=proof-error]").count() == 1
    assert rows.nth(0).locator("[data-testid=proof-error]").inner_text() == "请说明保留原文的理由。"
    assert rows.nth(1).locator("input[name=reason-1]").input_value() == "引用县委文件原文"
    assert not ProofAcknowledgement.objects.exists()
    if javascript:  # the refused panel, its errors tied to their fields, passes WCAG 2 A and AA
        found = axe_violations(page)
        assert not found, violations_text(found)

    rows.nth(0).locator("input[name=reason-0]").fill("机构简称，沿用来函写法")
    rows.nth(0).locator("[data-testid=proof-acknowledge]").click()
    page.wait_for_load_state("load")
    assert "已确认：2 处保留原文" in page.inner_text("body")
    assert page.locator("[data-testid=proof-acknowledged]").count() == 2
    assert sorted(ProofAcknowledgement.objects.values_list("written", "reason")) == [
        ("文广旅游局", "机构简称，沿用来函写法"),
        ("郁志刚", "引用县委文件原文"),
    ]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    context.close()
