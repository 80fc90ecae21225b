"""Proofreading on a phone: the demo's example draft shows its hits with the correct forms; it is
submitted with a warning; the leader's approval is refused until each hit is kept with a reason."""

import pytest

from demo.organisation import DEMO_PASSWORD
from demo.proofing import EXAMPLE_TITLE
from proofing.models import ProofAcknowledgement
from publicity.models import PublicityPost
from tests.e2e.navigation import click_to_next_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.usefixtures("committed_db")
def test_hits_are_shown_warned_on_submission_and_block_approval_until_kept(
    seeded_demo_office, page, login, live_server
):
    post = PublicityPost.objects.get(title=EXAMPLE_TITLE)
    url = f"{live_server.url}/publicity/{post.pk}/"
    page.set_viewport_size(PHONE)

    page = login("staff", DEMO_PASSWORD)
    page.goto(url)
    panel = page.locator("[data-testid=proof-panel]")
    assert panel.locator("[data-testid=proof-open]").inner_text() == "4 处待改正或确认"
    assert panel.locator("mark.proof-open", has_text="郁志刚").count() == 2  # in the text and in its row
    assert "〔郁志强〕" in panel.locator(".proof-text").inner_text()
    assert fits(page)
    click_to_next_page(page, "[data-testid=submit-post]")
    assert "校对发现 4 处尚未改正或确认" in page.inner_text("body")

    page.context.clear_cookies()
    page = login("leader", DEMO_PASSWORD)
    page.goto(url)
    click_to_next_page(page, "[data-testid=approve-post]")
    assert "错敏词校对：还有 4 处既未改正也未确认" in page.inner_text("[data-testid=refused]")
    for _ in range(4):
        row = page.locator("[data-testid=proof-hit]", has=page.locator("[data-testid=proof-acknowledge]")).first
        row.locator("input[name^=reason-]").fill("示例稿件，保留原文")
        click_to_next_page(page, row.locator("[data-testid=proof-acknowledge]"))
    assert page.locator("[data-testid=proof-acknowledged]").count() == 4
    assert fits(page)
    click_to_next_page(page, "[data-testid=approve-post]")
    post.refresh_from_db()
    assert post.state == PublicityPost.State.APPROVED
    assert set(
        ProofAcknowledgement.objects.filter(content_type__model="publicitypost", object_id=post.pk).values_list(
            "by__user__username", flat=True
        )
    ) == {"leader"}
