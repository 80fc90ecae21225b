"""In a real browser, at phone width (390×844): the office head opens the folded menu, types a
traditional two-character word in the one search box and sees the results grouped by kind, the
simplified text of a post and of a demand marked, the page no wider than the phone."""

import pytest

from tests.factories import TEST_PASSWORD
from tests.opinions.factories import DemandFactory, PostFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
WIDTH = "document.documentElement.scrollWidth"


@pytest.mark.usefixtures("committed_db")  # lets the flush at the end pass the archive's TRUNCATE guard
def test_typing_in_the_menu_box_on_a_phone_shows_grouped_marked_results(cast, page, login, live_server):
    PostFactory(title="城南工地噪音扰民", body="夜里十二点还在施工。")
    DemandFactory(subject="投诉：工地夜间施工", content="夜间施工噪音扰民，影响休息。")
    page.set_viewport_size({"width": 390, "height": 844})
    login(cast["supervisor"].user.username, TEST_PASSWORD)

    page.click(".navbar-toggler")
    box = page.locator("[data-testid=menu-search-bar] input[name=q]")
    box.fill("擾民")  # traditional, folded as screening folds it
    box.press("Enter")

    page.wait_for_selector("[data-testid=search-posts]")
    assert page.inner_text("[data-testid=search-posts] mark") == "扰民"
    assert page.inner_text("[data-testid=search-posts] h2 a") == "帖子"
    assert page.inner_text("[data-testid=search-demands] [data-testid=search-item] div mark") == "扰民"
    assert page.inner_text("[data-testid=search-demands] h2 a") == "诉求"
    assert page.input_value("#id_q") == "擾民"  # what was typed, kept
    assert page.evaluate(WIDTH) <= 390
