"""Waiting for the page a click leads to.

``wait_for_load_state("networkidle")`` after a click waits for half a second in which the browser
sends nothing: at best half a second per click, and no promise that the next page is the one
the click asked for. ``click_to_next_page`` instead waits for the navigation the click starts
(a form's POST and its redirect, or a link) to reach the new page's ``load`` event."""

from playwright.sync_api import Locator, Page


def click_to_next_page(page: Page, target: str | Locator) -> None:
    """Clicks ``target`` (a selector on ``page`` or a locator) and returns once the page it
    leads to has loaded; fails (after the page's default timeout) if the click leads nowhere."""
    with page.expect_navigation(wait_until="load"):
        if isinstance(target, str):
            page.click(target)  # as ``page.click`` does: the first element the selector finds
        else:
            target.click()
