import pytest

from demo.organisation import DEMO_PASSWORD
from tests.e2e.navigation import click_to_next_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_staff_logs_in_and_reads_the_organisation_page_in_chinese(seeded_demo_office, login, live_server):
    page = login("staff", DEMO_PASSWORD)
    assert page.url.rstrip("/") == live_server.url
    assert "我的工作" in page.inner_text("h1")
    page.click("text=组织机构")
    click_to_next_page(page, "text=责任体系与人员")
    body = page.inner_text("main")
    assert "网络舆情宣传管理" in body  # the responsibility chain
    assert "网络发言人" in body
    assert "卞瑞华" in body
    assert "13905170005" in body


def test_wrong_password_is_refused_in_chinese(login, cast):
    page = login(cast["staff"].user.username, "not-the-password")
    assert "用户名或密码不正确" in page.inner_text("main")


def test_an_address_with_too_many_failures_is_told_so_in_chinese_on_a_phone(login, page, cast, password):
    """30 failed logins from the browser's address (127.0.0.1) within 15 minutes: the next login,
    even with the right password, is refused with a page that says why and when to try again."""
    from bureau import clock
    from bureau.models import LoginFailure

    LoginFailure.objects.bulk_create(LoginFailure(address="127.0.0.1", failed_at=clock.now()) for _ in range(30))
    page.set_viewport_size({"width": 390, "height": 844})
    login(cast["staff"].user.username, password)
    assert page.url.endswith("/accounts/login/")
    main = page.inner_text("main")
    assert "此地址登录失败次数过多" in main
    assert "15 分钟" in main
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
