import pytest

from demo.organisation import DEMO_PASSWORD
from publicity.models import PublicityPost
from tests.e2e.navigation import click_to_next_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def bureau_bar(page) -> tuple[int, int]:
    panel = page.locator("[data-testid=publicity-panel] [data-testid=quota-progress]").first
    published = panel.locator("[data-testid=quota-figures]").get_attribute("data-published")
    return int(published), int(panel.locator("progress").get_attribute("value"))


@pytest.mark.usefixtures("committed_db")  # lets the flush at the end pass the archive's TRUNCATE guard
def test_staff_submits_a_leader_approves_and_the_home_progress_bar_moves(seeded_demo_office, page, login, live_server):

    page = login("wangli", DEMO_PASSWORD)
    published_before, bar_before = bureau_bar(page)

    page.goto(f"{live_server.url}/publicity/new/")
    page.fill("input[name=title]", "我局举办“文化进万家”迎新春文艺演出")
    page.fill("textarea[name=body]", "1月18日，我局在县文化广场举办迎新春文艺演出，吸引群众三千余人观看。")
    page.select_option("select[name=platform]", label="县人民政府门户网站 · 部门动态")
    page.click("input[type=submit]")
    page.click("[data-testid=submit-post]")
    assert page.inner_text("[data-testid=post-state]") == "已提交"  # the whole badge, in the default Chinese
    post_url = page.url

    page.context.clear_cookies()
    page = login("lichunhua", DEMO_PASSWORD)
    queue_count = int(page.inner_text("[data-testid=approval-count]"))
    assert queue_count >= 1
    page.goto(f"{live_server.url}/publicity/approvals/")
    item = page.locator("[data-testid=queue-item]", has_text="文化进万家")
    item.locator("textarea[name=comment]").fill("同意发布。")
    click_to_next_page(page, item.locator("button[value=approve]"))
    assert page.locator("[data-testid=queue-item]", has_text="文化进万家").count() == 0

    page.context.clear_cookies()
    page = login("wangli", DEMO_PASSWORD)
    page.goto(post_url)
    page.fill("input[name=link]", "https://www.example.gov.cn/art/2026/wjwh.html")
    click_to_next_page(page, "[data-testid=publish-post]")
    assert PublicityPost.objects.get(title__contains="文化进万家").state == PublicityPost.State.PUBLISHED

    page.goto(live_server.url)
    published_after, bar_after = bureau_bar(page)
    assert published_after == published_before + 1
    assert bar_after > bar_before

    page.goto(f"{live_server.url}/publicity/")
