"""In a real browser: a post becomes a demand, is signed for, replied to, completed, and its
handling form printed."""

import pytest

from demo.organisation import DEMO_PASSWORD
from opinions.models import Demand, Post

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_from_post_to_printed_handling_form(seeded_demo_office, login, live_server):
    post = (
        Post.objects.filter(
            section__owner__user__username="supervisor", status__in=["new", "read"], screening="clean", demands=None
        ).first()
        or Post.objects.filter(status__in=["new", "read"], screening="clean", demands=None).first()
    )
    assert post is not None
    page = login("supervisor", DEMO_PASSWORD)

    page.goto(f"{live_server.url}/opinions/posts/{post.pk}/")
    page.select_option("[data-testid=post-demand] select[name=kind]", "complaint")
    page.click("[data-testid=post-demand] button[type=submit]")
    page.wait_for_selector("[data-testid=demand-state]")
    demand = Demand.objects.get(post=post)

    page.click("[data-testid=action-claim] button")
    page.wait_for_selector("[data-testid=action-reply]")
    page.fill(
        "[data-testid=action-reply] textarea[name=reply_text]", "您好，已安排执法队现场核查，情况属实将依法处理。"
    )
    page.click("[data-testid=action-reply] button")
    page.wait_for_selector("[data-testid=reply-text]")
    page.fill("[data-testid=action-complete] textarea[name=measures]", "执法队现场检查，责令整改。")
    page.fill("[data-testid=action-complete] textarea[name=resolution]", "经营者已整改，噪音问题解决。")
    page.click("[data-testid=action-complete] button")
    page.wait_for_selector("[data-testid=action-call-back]")
    demand.refresh_from_db()
    assert demand.state == Demand.State.COMPLETED

    page.goto(f"{live_server.url}/opinions/demands/?overdue=true")

    page.goto(f"{live_server.url}/opinions/demands/{demand.pk}/print/")
    assert "执法队现场检查" in page.inner_text("body")
