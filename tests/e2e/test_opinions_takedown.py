"""In a real browser: the monitor, a flagged post with its highlighted words, confirming the takedown."""

import pytest

from demo.organisation import DEMO_PASSWORD
from opinions.models import Post
from tests.e2e.navigation import click_to_next_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_staff_confirms_a_takedown_from_the_queue(seeded_demo_office, login, live_server):
    flagged = Post.objects.filter(screening=Post.Screening.FLAGGED).order_by("found_at", "id").first()
    assert flagged is not None
    page = login("staff", DEMO_PASSWORD)

    page.goto(f"{live_server.url}/opinions/")
    page.wait_for_selector("#monitor-table")

    page.goto(f"{live_server.url}/opinions/posts/{flagged.pk}/")
    assert page.locator("mark.hit-prohibited").count() >= 1

    page.goto(f"{live_server.url}/opinions/takedowns/")
    entry = page.locator(f".takedown-entry[data-post='{flagged.pk}']")
    assert entry.locator("mark.hit-prohibited").count() >= 1
    entry.locator(f"input[name='p{flagged.pk}-reason']").fill("含赌博信息，予以删除")
    click_to_next_page(page, entry.locator("button.btn-danger"))
    assert page.locator(".alert-success").count() == 1
    assert page.locator(f".takedown-entry[data-post='{flagged.pk}']").count() == 0

    flagged.refresh_from_db()
    assert flagged.status == Post.Status.TAKEN_DOWN
    assert flagged.decision_reason == "含赌博信息，予以删除"
    page.goto(f"{live_server.url}/opinions/posts/{flagged.pk}/")
    history = page.inner_text(".archive-history")
    assert "删除违禁帖子" in history  # named, not opinions.post.taken_down
    assert "opinions.post" not in history
