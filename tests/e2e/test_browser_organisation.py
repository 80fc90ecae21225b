import pytest

from demo.organisation import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_staff_logs_in_and_reads_the_organisation_page_in_chinese(seeded_demo_office, login, live_server):
    page = login("staff", DEMO_PASSWORD)
    assert page.url.rstrip("/") == live_server.url
    assert "我的工作" in page.inner_text("h1")
    page.click("text=组织机构")
    page.click("text=责任体系与人员")
    page.wait_for_load_state("networkidle")
    body = page.inner_text("main")
    assert "网络舆情宣传管理" in body  # the responsibility chain
    assert "网络发言人" in body
    assert "卞瑞华" in body
    assert "13905170005" in body


def test_wrong_password_is_refused_in_chinese(login, cast):
    page = login(cast["staff"].user.username, "not-the-password")
    assert "用户名或密码不正确" in page.inner_text("main")
