"""In a real browser at phone width (390×844): the dashboard's group tables scroll sideways inside
their frame, and their headings and row labels stay on one line instead of breaking into a column
of single characters."""

from datetime import timedelta

import pytest

from bureau import clock
from tests.opinions.factories import ChannelFactory, DemandFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# How many lines a cell's text is laid out on, and the height of one of them.
LINES = """cell => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    const tops = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
    return {lines: tops.size, lineHeight: parseFloat(getComputedStyle(cell).lineHeight)};
}"""


def test_group_table_headings_and_row_labels_stay_on_one_line(login, live_server, cast, password):
    channel = ChannelFactory(name="县人民政府门户网站政民互动留言板")
    now = clock.now()
    for i in range(3):
        DemandFactory(channel=channel, received_at=now - timedelta(days=i * 20, minutes=30))
    page = login(cast["leader"].user.username, password)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/dashboard/?period=year")

    table = page.locator("[data-testid=by-kind]")
    heading = table.locator("thead th").first
    assert heading.inner_text().strip() == "类别"
    shape = heading.evaluate(LINES)
    assert shape["lines"] == 1, shape
    box = heading.bounding_box()
    assert box
    assert box["width"] > box["height"], box  # 类别 side by side, not one character above the other
    # Its cell is as tall as a cell of one line: the row's other headings are on one line too.
    for cell in table.locator("thead th").all():
        assert cell.evaluate(LINES)["lines"] == 1, cell.inner_text()
    assert box["height"] <= shape["lineHeight"] * 1.5 + 16, (box, shape)  # one line and the padding

    for testid in ("by-kind", "by-channel"):
        for label in page.locator(f"[data-testid={testid}] tbody td:first-child").all():
            assert label.evaluate(LINES)["lines"] == 1, (testid, label.inner_text())
