"""In a real browser, on the seeded demo office: the main pages pass axe-core's WCAG 2 A and AA
rules for staff, the office head and a leader, and the menu bar fits an office laptop's screen in
English as well as Chinese, with the language switch on screen.

axe-core is vendored under tests/e2e/vendor/ (axe.min.js 4.10.2 from the npm registry, MPL-2.0, its
licence header kept and the licence beside it); it is injected as an init script, which the
pages' Content-Security-Policy (script-src 'self') does not block, so the pages are checked as
served."""

import re
from pathlib import Path

import pytest

from demo.organisation import DEMO_PASSWORD
from tests.e2e.navigation import click_to_next_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# Only the violations are collected: axe then skips writing up every passing node.
WCAG_2_A_AA = "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}, resultTypes: ['violations']})"
MAIN_PAGES = {
    "home": "/",
    "monitor": "/opinions/",
    "demand list": "/opinions/demands/",
    "to-do": "/todo/",
    "dashboard": "/dashboard/",
    "archive": "/archive/",
}


def violations_text(violations: list[dict]) -> str:
    """One line per failing element: rule, impact, element and axe's reason, for the assertion."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"{violation['id']} ({violation['impact']}): {node['target']} — {summary}")
    return "\n".join(lines)


def axe_violations(page) -> list[dict]:
    return page.evaluate(WCAG_2_A_AA)["violations"]


# What each role is given: staff have no dashboard and no archive, so they are checked on the refusal
# page they see there (the demo's role groups, bureau/migrations/0002_roles.py).
STATUS = {
    "staff": dict.fromkeys(MAIN_PAGES, 200) | {"dashboard": 403, "archive": 403},
    "supervisor": dict.fromkeys(MAIN_PAGES, 200),
    "leader": dict.fromkeys(MAIN_PAGES, 200),
}
DEMAND_DETAIL = re.compile(r"/opinions/demands/\d+/")


@pytest.mark.parametrize("username", ["staff", "supervisor", "leader"])
def test_main_pages_pass_wcag_2_a_and_aa(seeded_demo_office, page, login, live_server, username):
    page.add_init_script(path=str(AXE))
    login(username, DEMO_PASSWORD)
    statuses, demands = {}, []
    for name, path in MAIN_PAGES.items():
        response = page.goto(f"{live_server.url}{path}")
        statuses[name] = response.status if response else None
        assert page.evaluate("typeof axe") == "object", f"axe-core was not injected on {path}"
        found = axe_violations(page)
        assert not found, f"{username} on {name} ({path}):\n{violations_text(found)}"
        if name == "demand list":
            hrefs = page.locator("main a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
            demands = [href for href in hrefs if href and DEMAND_DETAIL.fullmatch(href)]
    assert statuses == STATUS[username]
    assert demands, f"{username} sees no demand to open in the demo office"
    page.goto(f"{live_server.url}{demands[0]}")
    found = axe_violations(page)
    assert not found, f"{username} on a demand ({demands[0]}):\n{violations_text(found)}"


def menu_fits(page, width: int) -> None:
    """The page is no wider than the window, and every entry of the menu bar is inside it."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    rights = page.evaluate(
        "[...document.querySelectorAll('#main-menu .navbar-nav > li')].map(li => li.getBoundingClientRect().right)"
    )
    assert rights, "the menu bar is folded away at this width"
    assert max(rights) <= width, rights


def test_the_menu_fits_1366_in_english_for_the_office_head_and_switches_back(
    seeded_demo_office, page, login, live_server
):
    page.set_viewport_size({"width": 1366, "height": 768})
    login("supervisor", DEMO_PASSWORD)
    click_to_next_page(page, "nav .language-switch button[value=en]")
    assert page.evaluate("document.documentElement.lang") == "en"
    menu_fits(page, 1366)
    for testid in ("todo-link", "posts-menu", "notifications-link"):
        assert page.locator(f"nav [data-testid={testid}]").is_visible(), testid
    back = page.locator("nav .language-switch button[value=zh-hans]")
    assert back.is_visible()
    box = back.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 1366
    # A real click at the button's place on screen: it is not covered or off-screen.
    click_to_next_page(page, back)
    assert page.evaluate("document.documentElement.lang") == "zh-hans"
    assert "待办" in page.inner_text("nav")
    menu_fits(page, 1366)


@pytest.mark.parametrize("username", ["director", "leader", "supervisor", "staff", "admin"])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_menu_fits_1280_for_every_role(seeded_demo_office, page, login, live_server, username, language):
    page.set_viewport_size({"width": 1280, "height": 800})
    login(username, DEMO_PASSWORD)
    if language == "en":
        click_to_next_page(page, "nav .language-switch button[value=en]")
    assert page.evaluate("document.documentElement.lang") == language
    menu_fits(page, 1280)
    # One line: the bar is no taller than the office name on two lines.
    assert page.evaluate("document.querySelector('nav.navbar').getBoundingClientRect().height") < 80
